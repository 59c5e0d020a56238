"""Start-up under production settings, checked in a fresh process as an operator would run it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "GZA_ENVIRONMENT": "production",
    "DEBUG": "false",
    "SECRET_KEY": "p9Zr-3vXq!8mLw2#Ns7Tb4@Kc6Yh1%Jd5Fg0^Ra-Ue9Io3&Pl7Qz",
    "ALLOWED_HOSTS": "gza.gov.ge",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A fresh process as an operator starts it: Gza's own settings module, not the test shim.
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV
        and k not in {"DJANGO_SETTINGS_MODULE", "GZA_ENVIRONMENT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_issues_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_a_bad_setting_stops_start_up_with_a_message_naming_it():
    result = _manage("check", **{**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = dict(PRODUCTION_ENV)
    env.pop("SECRET_KEY")
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_production_requires_two_factor_for_staff(settings):
    # The test profile leaves it off; production turns it on by default.
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.REQUIRE_STAFF_2FA)",
        **PRODUCTION_ENV,
    )
    assert result.stdout.strip() == "True", result.stderr


def test_postgresql_connections_are_atomic_with_timeouts():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ATOMIC_REQUESTS'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']['options'])",
        DATABASE_URL="postgres://gza@db.invalid:5432/gza",
    )
    assert result.stdout.strip() == (
        "True True -c statement_timeout=30000 -c lock_timeout=10000"
    ), result.stderr
