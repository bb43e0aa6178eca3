"""The environment-driven settings (run in subprocesses: settings are read once per process)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment |= {"DJANGO_SETTINGS_MODULE": "dlprep.settings", **env}
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_without_debug_a_secret_key_is_required():
    result = manage("check", DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_check_is_clean_in_a_production_like_environment():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 64 + "a-long-random-production-secret",
        ALLOWED_HOSTS="dlprep.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_an_empty_database_url_means_sqlite():
    result = manage(
        "shell", "--no-imports", "-c", "from django.db import connection; print(connection.vendor)", DATABASE_URL=""
    )

    assert result.stdout.strip() == "sqlite"


def test_database_url_selects_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = manage("shell", "--no-imports", "-c", code, DATABASE_URL="postgres://u:p@127.0.0.1:5432/db")

    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_sqlite_through_database_url_gets_the_same_locking_options_as_the_default(tmp_path):
    code = (
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS'];"
        "print(o['transaction_mode'], o['timeout'])"
    )
    via_url = manage("shell", "--no-imports", "-c", code, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    default = manage("shell", "--no-imports", "-c", code, DATABASE_URL="")

    assert via_url.stdout.strip() == default.stdout.strip() == "IMMEDIATE 20"
