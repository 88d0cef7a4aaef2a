"""Settings are read at import time, so each case runs manage.py in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k3x!9vQ#z8mR2tL@w5nY7pB$c4hJ6fD^s1gA0eU&oI-" * 2,
    "ALLOWED_HOSTS": "mcsc.example.org",
    "DATABASE_URL": "postgres://mcsc:secret@db.example.org:5432/mcsc",
    "EMAIL_URL": "smtp://mailer:secret@mail.example.org:587",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DEBUG"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_URL"])
def test_production_without_a_required_variable_is_a_clear_startup_error(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} is required when DJANGO_ENV=production" in result.stderr


def test_development_defaults_need_no_variables():
    result = manage("check", env={})
    assert result.returncode == 0, result.stderr


def test_time_zone_defaults_to_kosovos_zone():
    from django.conf import settings

    assert settings.TIME_ZONE == "Europe/Belgrade"


def test_email_url_becomes_smtp_settings():
    from config.settings.email import email_settings

    smtp = email_settings("smtp://user%40x:p%2Fw@mail.example.org:2525")
    assert smtp["EMAIL_HOST"] == "mail.example.org"
    assert smtp["EMAIL_PORT"] == 2525
    assert smtp["EMAIL_HOST_USER"] == "user@x"
    assert smtp["EMAIL_HOST_PASSWORD"] == "p/w"
    assert smtp["EMAIL_USE_TLS"] and not smtp["EMAIL_USE_SSL"]
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


@pytest.mark.django_db
def test_the_health_check_answers_over_plain_http_in_production(client, settings):
    """README: ``curl http://127.0.0.1:8000/healthz`` on the server answered 301 (to HTTPS)
    in production; every other address still redirects."""
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print('SETTINGS', s.SECURE_SSL_REDIRECT, '|'.join(s.SECURE_REDIRECT_EXEMPT))",
        env=PRODUCTION,
    )
    assert shown.returncode == 0, shown.stderr
    line = next(line for line in shown.stdout.splitlines() if line.startswith("SETTINGS "))
    _label, redirect, exempt = line.split()
    assert redirect == "True"
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = exempt.split("|")
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert client.get("/public/").status_code == 301
    assert client.get("/healthz/").status_code == 301
