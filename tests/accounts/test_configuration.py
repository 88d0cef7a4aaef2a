"""Which roles need a second factor, per environment; the admin shows no raw second-factor
devices; the settings the rest of the accounts tests rely on."""

import pytest
from django.conf import settings
from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.config.test_settings import PRODUCTION, manage

SHOW = "from django.conf import settings; print(','.join(settings.MCSC_MFA_REQUIRED_ROLES))"


def shown(env) -> str:
    result = manage("shell", "--no-imports", "-c", SHOW, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_requires_a_second_factor_of_leadership_monitors_and_staff():
    assert shown(PRODUCTION) == "leadership,monitor,administrator,staff"


def test_development_requires_none_unless_told():
    assert shown({}) == ""
    assert shown({"MFA_REQUIRED_ROLES": "monitor, staff"}) == "monitor,staff"


def test_an_unknown_role_is_a_startup_error():
    result = manage("check", env={"MFA_REQUIRED_ROLES": "leadership,mayor"})
    assert result.returncode != 0
    assert "accounts.E001" in result.stderr and "mayor" in result.stderr


def test_throttling_and_sessions_are_configured_as_documented():
    assert settings.AXES_ENABLED and settings.AXES_FAILURE_LIMIT == 6
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    # Last of the project's middleware, as django-axes documents (viewflow appends its own).
    ours = [m for m in settings.MIDDLEWARE if not m.startswith("viewflow.")]
    assert ours[-1] == "axes.middleware.AxesMiddleware"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.parametrize("model", [TOTPDevice, StaticDevice])
def test_the_admin_has_no_raw_second_factor_devices(model):
    assert not admin.site.is_registered(model)
