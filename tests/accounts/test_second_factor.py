"""The second factor: the code step after the password, enrolment on first sign-in,
recovery codes, the admin, and the API's view of an unverified session."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from freezegun import freeze_time

from casefiles.models import AuditAction, AuditEvent
from mcsc.models import Role
from tests.accounts.conftest import PASSWORD, code_now, enrol, sign_in
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

VERIFY = "/accounts/verify/"


def events(action, **payload):
    found = AuditEvent.objects.filter(action=action)
    return [e for e in found if all(e.payload.get(k) == v for k, v in payload.items())]


def test_a_leader_with_an_authenticator_is_sent_to_the_code_step_on_every_page(
    client, mfa_required, leader
):
    enrol(leader)
    response = sign_in(client, "leader.prizren")
    assert response.status_code == 302
    for url in ("/", "/cases/", "/accounts/security/", "/accounts/password/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{VERIFY}?next=")
    # The API treats the half-signed-in session as signed out.
    assert client.get("/api/v1/municipalities/").status_code in (401, 403)
    # The code step itself, public pages and signing out stay open.
    page = client.get(VERIFY)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<label for="id_code">' in html and 'autocomplete="one-time-code"' in html
    assert client.get("/public/").status_code == 200
    # No sign-in is recorded before the code.
    assert not events(AuditAction.AUTH_SIGN_IN)


def test_a_wrong_code_is_refused_and_recorded(client, mfa_required, leader):
    device, _codes = enrol(leader)
    sign_in(client, "leader.prizren")
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong, "next": "/cases/"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302
    [failure] = events(AuditAction.AUTH_SIGN_IN_FAIL)
    assert failure.payload == {
        "username": "leader.prizren",
        "ip": "127.0.0.1",
        "reason": "second_factor",
    }
    assert not events(AuditAction.AUTH_SIGN_IN)


def test_the_current_code_verifies_the_session_and_rotates_its_key(client, mfa_required, leader):
    device, _codes = enrol(leader)
    sign_in(client, "leader.prizren")
    key_before = client.session.session_key
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)):
        response = client.post(VERIFY, {"code": code_now(device), "next": "/cases/"})
        assert response.status_code == 302 and response["Location"] == "/cases/"
        assert client.get("/").status_code == 200
    assert client.session.session_key != key_before
    [signed_in] = events(AuditAction.AUTH_SIGN_IN)
    assert signed_in.actor == leader and signed_in.payload["second_factor"] == "totp"


def test_a_recovery_code_works_once(client, mfa_required, leader):
    _device, codes = enrol(leader)
    assert len(codes) == 10 and len(set(codes)) == 10
    sign_in(client, "leader.prizren")
    response = client.post(VERIFY, {"code": codes[0].upper(), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=leader).count() == 9
    assert events(AuditAction.AUTH_SIGN_IN, second_factor="recovery_code")

    client.post(reverse("logout"))
    sign_in(client, "leader.prizren")
    response = client.post(VERIFY, {"code": codes[0], "next": "/"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_leader_without_an_authenticator_sets_one_up_at_the_first_sign_in(
    client, mfa_required, leader
):
    sign_in(client, "leader.prizren")
    response = client.get("/cases/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:enrol"))
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    assert "otpauth://totp/MCSC%20Case%20Engine%3Aleader.prizren?secret=" in html
    assert '<svg role="img" aria-labelledby="qr-title"' in html
    assert "<h1>Set up two-factor authentication</h1>" in html
    # Until confirmed, the unconfirmed authenticator does not count.
    assert client.get("/").status_code == 302

    enrol_url = response.redirect_chain[-1][0]
    response = client.post(enrol_url, {"code": "000000"})
    assert response.status_code == 200 and "That code is not right" in response.content.decode()
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)):
        response = client.post(enrol_url, {"code": code_now(device)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your recovery codes" in html and "They are shown only now." in html
    codes = StaticToken.objects.filter(device__user=leader).values_list("token", flat=True)
    assert len(codes) == 10
    assert all(f"{c[:4]}-{c[4:8]}-{c[8:12]}-{c[12:]}" in html for c in codes)
    assert client.get("/cases/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    [enrolled] = events(AuditAction.AUTH_MFA_ENROL)
    assert enrolled.actor == leader and enrolled.payload["recovery_codes"] == 10


def test_in_development_nobody_needs_a_second_factor_unless_they_set_one_up(client, settings):
    settings.MCSC_MFA_REQUIRED_ROLES = []
    leader = user_with_role(Role.LEADERSHIP, "prizren", username="leader.dev")
    sign_in(client, "leader.dev")
    assert client.get("/").status_code == 200
    assert events(AuditAction.AUTH_SIGN_IN, second_factor=None)
    client.post(reverse("logout"))
    # Someone who set one up voluntarily is asked for it all the same.
    enrol(leader)
    sign_in(client, "leader.dev")
    assert client.get("/").status_code == 302


def test_a_secretary_is_not_asked_for_a_code_by_default(client, mfa_required):
    user_with_role(Role.SECRETARY, "prizren", username="secretary.p")
    sign_in(client, "secretary.p")
    assert client.get("/").status_code == 200


def test_the_admin_needs_a_verified_session(client, mfa_required):
    superuser = user_with_role(
        Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True
    )
    device, _codes = enrol(superuser)
    # The admin site itself refuses a session without the second factor ...
    request = RequestFactory().get("/admin/")
    request.user = superuser
    superuser.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    superuser.is_verified = lambda: True
    assert admin.site.has_permission(request)
    # ... and its login page sends to the product's sign-in, then to the code step.
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith(reverse("login"))
    sign_in(client, "root")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)):
        client.post(VERIFY, {"code": code_now(device)})
        assert client.get("/admin/").status_code == 200


def test_an_administrator_resets_a_lost_second_factor_and_it_is_set_up_again(
    client, mfa_required, leader
):
    root = user_with_role(Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True)
    enrol(leader)
    root_device, _ = enrol(root)
    client.force_login(root)
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)):
        client.post(VERIFY, {"code": code_now(root_device)})
        response = client.post(
            reverse("admin:auth_user_changelist"),
            {"action": "reset_second_factor", "_selected_action": [leader.pk]},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert not StaticDevice.objects.filter(user=leader).exists()
    [reset] = events(AuditAction.AUTH_MFA_RESET)
    assert reset.actor == root and reset.payload["user"] == "leader.prizren"

    client.post(reverse("logout"))
    sign_in(client, "leader.prizren")
    assert client.get("/", follow=True).redirect_chain[-1][0].startswith("/accounts/two-factor/")


def test_the_security_page_shows_the_status_and_makes_new_recovery_codes(
    client, mfa_required, leader
):
    device, old_codes = enrol(leader)
    client.force_login(leader)
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)):
        client.post(VERIFY, {"code": code_now(device)})
    html = client.get("/accounts/security/").content.decode()
    assert "<h1>Security</h1>" in html and "10 recovery codes left." in html
    assert 'aria-labelledby="second-factor"' in html

    response = client.post(reverse("accounts:recovery_codes"), {"code": "123"})
    assert response.status_code == 400
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)):
        response = client.post(reverse("accounts:recovery_codes"), {"code": code_now(device)})
    assert response.status_code == 200
    new = set(StaticToken.objects.filter(device__user=leader).values_list("token", flat=True))
    assert len(new) == 10
    assert not new & {code.replace("-", "") for code in old_codes}
    assert events(AuditAction.AUTH_RECOVERY_CODES)


def test_an_unverified_session_cannot_take_a_token_and_the_endpoint_asks_for_the_code(
    api_client, mfa_required, leader
):
    device, _codes = enrol(leader)
    body = {"username": "leader.prizren", "password": PASSWORD}
    response = api_client.post("/api/v1/auth/token/", body)
    assert response.status_code == 400 and "otp_code" in response.json()
    response = api_client.post("/api/v1/auth/token/", {**body, "otp_code": "000000"})
    assert response.status_code == 400 and "otp_code" in response.json()
    with freeze_time(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=60)):
        response = api_client.post("/api/v1/auth/token/", {**body, "otp_code": code_now(device)})
    assert response.status_code == 200 and response.json()["token"]
    [created] = events(AuditAction.TOKEN_CREATE)
    assert created.payload["second_factor"] == "totp" and created.payload["via"] == "api"


def test_a_leader_without_an_authenticator_cannot_take_a_token(api_client, mfa_required, leader):
    response = api_client.post(
        "/api/v1/auth/token/", {"username": "leader.prizren", "password": PASSWORD}
    )
    assert response.status_code == 403
    assert not events(AuditAction.TOKEN_CREATE)
