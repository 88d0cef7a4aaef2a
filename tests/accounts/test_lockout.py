"""Throttling of sign-in by django-axes: per account at an address and per address, with
a cool-off; the page and the API token endpoint alike; audited; lifted by an
administrator."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from freezegun import freeze_time

from casefiles.models import AuditAction, AuditEvent
from mcsc.models import Role
from tests.accounts.conftest import PASSWORD, sign_in
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def victim():
    return user_with_role(Role.SECRETARY, "prizren", username="victim")


def fail_six_times(client, username="victim", **extra):
    responses = [sign_in(client, username, "not the password", **extra) for _ in range(6)]
    assert all(r.status_code == 200 for r in responses[:5])
    return responses[-1]


def test_six_wrong_passwords_lock_the_account_at_that_address_page_and_api(
    client, api_client, victim
):
    with freeze_time(START) as clock:
        sixth = fail_six_times(client)
        assert sixth.status_code == 429
        # Even the right password is refused now, on the page and at the token endpoint.
        refused = sign_in(client, "victim")
        assert refused.status_code == 429
        html = refused.content.decode()
        assert "<h1>Sign-in paused</h1>" in html and '<main id="main"' in html
        assert "15 minutes" in html and refused["Retry-After"] == "900"
        assert "_auth_user_id" not in client.session
        api = api_client.post(TOKEN, {"username": "victim", "password": PASSWORD})
        assert api.status_code == 429 and "Too many failed sign-ins" in api.json()["detail"]

        # From another address the victim still signs in: an attacker cannot lock them out.
        elsewhere = sign_in(client, "victim", REMOTE_ADDR="10.1.2.3")
        assert elsewhere.status_code == 302
        client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")

        # The cool-off ends 15 minutes after the last counted failure.
        clock.tick(dt.timedelta(minutes=14))
        assert sign_in(client, "victim").status_code == 429
        clock.tick(dt.timedelta(minutes=2))
        assert sign_in(client, "victim").status_code == 302


def test_the_token_endpoint_counts_failures_and_locks_the_page_too(client, api_client, victim):
    for _ in range(5):
        assert api_client.post(TOKEN, {"username": "victim", "password": "x"}).status_code == 400
    assert api_client.post(TOKEN, {"username": "victim", "password": "x"}).status_code == 429
    assert api_client.post(TOKEN, {"username": "victim", "password": PASSWORD}).status_code == 429
    assert sign_in(client, "victim").status_code == 429


def test_one_address_trying_many_accounts_is_locked_out(client):
    for n in range(6):
        user_with_role(Role.MEMBER, "gjilan", username=f"member{n}")
        sign_in(client, f"member{n}", "wrong")
    user_with_role(Role.MEMBER, "gjilan", username="member.last")
    assert sign_in(client, "member.last").status_code == 429
    assert sign_in(client, "member.last", REMOTE_ADDR="10.9.9.9").status_code == 302


def test_failures_and_the_lockout_are_in_the_audit_trail(client, victim):
    fail_six_times(client)
    sign_in(client, "victim")  # refused unchecked while locked out
    failures = list(AuditEvent.objects.filter(action=AuditAction.AUTH_SIGN_IN_FAIL))
    assert len(failures) == 7
    assert failures[0].payload == {"username": "victim", "ip": "127.0.0.1", "reason": "password"}
    assert failures[-1].payload["reason"] == "locked_out"
    [lockout] = AuditEvent.objects.filter(action=AuditAction.AUTH_LOCKOUT)
    assert lockout.payload["username"] == "victim" and lockout.payload["ip"] == "127.0.0.1"
    assert lockout.payload["failures"] == 6 and lockout.payload["cool_off_minutes"] == 15
    # In the order it happened: the sixth failure, then the lockout it caused.
    assert failures[5].sequence < lockout.sequence < failures[6].sequence


def test_an_unknown_username_is_recorded_as_typed(client):
    sign_in(client, "nobody.here", "whatever")
    [failure] = AuditEvent.objects.filter(action=AuditAction.AUTH_SIGN_IN_FAIL)
    assert failure.payload["username"] == "nobody.here" and failure.actor is None


def test_an_administrator_lifts_a_lockout_and_it_is_recorded(client, victim, capsys):
    fail_six_times(client)
    assert sign_in(client, "victim").status_code == 429
    call_command("auth_unlock", "--username", "victim")
    assert "Removed" in capsys.readouterr().out
    assert sign_in(client, "victim").status_code == 302
    [unlock] = AuditEvent.objects.filter(action=AuditAction.AUTH_UNLOCK)
    assert unlock.payload["username"] == "victim" and unlock.payload["counters_removed"] >= 1


def test_proxies_are_trusted_only_as_configured(client, settings, victim):
    settings.MCSC_TRUSTED_PROXY_COUNT = 1
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.5, 198.51.100.7"}
    sign_in(client, "victim", "wrong", **forwarded)
    [failure] = AuditEvent.objects.filter(action=AuditAction.AUTH_SIGN_IN_FAIL)
    # The proxy appended the address it saw; what the client wrote before it is ignored.
    assert failure.payload["ip"] == "198.51.100.7"


def test_deleting_the_counter_in_the_admin_lifts_the_lockout_and_is_recorded(client, victim):
    fail_six_times(client)
    root = user_with_role(Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(root)
    attempt = AccessAttempt.objects.get(username="victim")
    response = admin_client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    [unlock] = AuditEvent.objects.filter(action=AuditAction.AUTH_UNLOCK)
    assert unlock.actor == root and unlock.payload["username"] == "victim"
    assert sign_in(client, "victim").status_code == 302
