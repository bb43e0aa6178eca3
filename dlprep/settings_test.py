"""Test settings: the real app with a fast hasher, in-memory email and plain static files."""

from dlprep.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
SECURE_SSL_REDIRECT = False
LOGGING = {"version": 1, "disable_existing_loggers": False}
FSRS_FUZZING = False

# A file, not SQLite's shared in-memory database: concurrent-request tests need real locking
# (busy timeout), which shared-cache memory databases do not give.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

# The test client's login() authenticates without a request, which django-axes refuses; the
# throttling tests switch it back on (tests/test_login_throttling.py).
AXES_ENABLED = False

# Browser journeys sign up many users from 127.0.0.1; tests/test_rate_limits.py sets real limits.
RATE_LIMITS = dict.fromkeys(RATE_LIMITS, (10000, 3600))
