"""Settings for `make bench`: production-like (DEBUG off, no query logging), a separate database."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DEBUG", "0")

from dlprep.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver"]
ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
if not DATABASE_URL:  # noqa: F405
    DATABASES["default"]["NAME"] = os.environ.get("BENCH_SQLITE_PATH", str(BASE_DIR / "bench-db.sqlite3"))  # noqa: F405
