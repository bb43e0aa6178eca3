"""Settings for `make loadtest`: the production settings (DEBUG off, every value from the
environment) served by gunicorn over plain HTTP on 127.0.0.1, plus the bench URLs (a bare view).

Only what plain HTTP on a loopback address cannot do is changed here.
"""

import os

from dlprep.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# settings.py ties the Secure flag of these cookies to DEBUG and has no switch for it; a client
# on http://127.0.0.1 would not send Secure cookies back, so sign-in and CSRF would fail.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False

# settings.py fixes STATIC_ROOT inside the work tree; the load test collects into its temp dir.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or STATIC_ROOT  # noqa: F405
