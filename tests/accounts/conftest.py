"""Helpers for the accounts tests: second-factor settings, codes from an authenticator,
and signing in through the real pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from mcsc.models import Role
from tests.factories import user_with_role

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _url_table_loaded():
    """Import the URL table (and psycopg's C module under it) before a test freezes the
    clock: imported under freezegun, C extensions warn about datetime's size."""
    reverse("login")


@pytest.fixture
def mfa_required(settings):
    """The production default: leadership, monitors, administrators and staff."""
    settings.MCSC_MFA_REQUIRED_ROLES = ["leadership", "monitor", "administrator", "staff"]
    return settings


def code_now(device: TOTPDevice) -> str:
    """What the user's authenticator app shows right now."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def enrol(user) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator for ``user`` through the services; returns the device and
    the recovery codes."""
    device = services.mfa_enrol_start(user=user)
    return services.mfa_enrol_confirm(user=user, code=code_now(device), ip="127.0.0.1")


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


@pytest.fixture
def leader():
    return user_with_role(Role.LEADERSHIP, "prizren", username="leader.prizren")
