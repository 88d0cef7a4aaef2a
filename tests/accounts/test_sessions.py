"""Sessions: idle timeout, absolute lifetime, cookie flags, a new key at sign-in, and
sign-in and sign-out in the audit trail."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from casefiles.models import AuditAction, AuditEvent
from mcsc.models import Role
from tests.accounts.conftest import sign_in
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def secretary():
    return user_with_role(Role.SECRETARY, "prizren", username="secretary.s")


def test_thirty_minutes_without_activity_end_the_session(client, secretary):
    assert settings.MCSC_SESSION_IDLE_MINUTES == 30
    with freeze_time(START) as clock:
        sign_in(client, "secretary.s")
        clock.tick(dt.timedelta(minutes=20))
        assert client.get("/").status_code == 200  # activity
        clock.tick(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # 29 minutes after the last activity
        clock.tick(dt.timedelta(minutes=31))
        response = client.get("/cases/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "signed out after 30 minutes without activity" in page
    [signed_out] = AuditEvent.objects.filter(action=AuditAction.AUTH_SIGN_OUT)
    assert signed_out.actor == secretary and signed_out.payload["reason"] == "idle"


def test_a_session_ends_eight_hours_after_signing_in_however_active(client, secretary):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    with freeze_time(START) as clock:
        sign_in(client, "secretary.s")
        for _ in range(23):  # every 20 minutes for 7 h 40 min
            clock.tick(dt.timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.tick(dt.timedelta(minutes=21))
        assert client.get("/").status_code == 302
    [signed_out] = AuditEvent.objects.filter(action=AuditAction.AUTH_SIGN_OUT)
    assert signed_out.payload["reason"] == "expired"


def test_the_session_cookie_is_http_only_and_same_site_lax(client, secretary):
    response = sign_in(client, "secretary.s")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 8 * 3600


def test_signing_in_gives_a_new_session_key_and_is_recorded(client, secretary):
    client.get(reverse("login"))
    client.cookies[settings.SESSION_COOKIE_NAME] = "attacker-chosen-session-key"
    sign_in(client, "secretary.s")
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != "attacker-chosen-session-key"
    [signed_in] = AuditEvent.objects.filter(action=AuditAction.AUTH_SIGN_IN)
    assert signed_in.actor == secretary
    assert signed_in.payload == {"ip": "127.0.0.1", "second_factor": None}
    client.post(reverse("logout"))
    [signed_out] = AuditEvent.objects.filter(action=AuditAction.AUTH_SIGN_OUT)
    assert signed_out.payload == {"ip": "127.0.0.1", "reason": "user"}
