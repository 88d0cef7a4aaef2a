"""API tokens: hashed, expiring, revoked on password change and role removal, listed and
revoked by their owner (page and API), never by anyone else."""

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from accounts.models import ApiToken
from casefiles.models import AuditAction, AuditEvent
from mcsc.models import Role, RoleAssignment
from mcsc.services import role_remove
from tests.accounts.conftest import PASSWORD
from tests.factories import api_token_key, user_with_role

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/auth/tokens/"


def with_token(api_client, key):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


def test_the_token_endpoint_gives_a_key_that_expires_after_the_default_lifetime(
    api_client, settings
):
    settings.MCSC_API_TOKEN_DAYS = 90
    user_with_role(Role.MONITOR, username="monitor.t")
    response = api_client.post(
        "/api/v1/auth/token/",
        {"username": "monitor.t", "password": PASSWORD, "name": "nightly export"},
    )
    assert response.status_code == 200
    body = response.json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    token = ApiToken.objects.get()
    # Only a hash and a short prefix of the key are stored.
    assert token.key_hash == hashlib.sha256(body["token"].encode()).hexdigest()
    assert token.prefix == body["token"][:8] and token.name == "nightly export"
    assert body["token"] not in {token.key_hash, token.prefix, token.name}
    [created] = AuditEvent.objects.filter(action=AuditAction.TOKEN_CREATE)
    assert created.payload["via"] == "api" and body["token"] not in str(created.payload)
    assert with_token(api_client, body["token"]).get("/api/v1/languages/").status_code == 200


def test_a_wrong_password_gets_no_token(api_client):
    user_with_role(Role.MONITOR, username="monitor.w")
    response = api_client.post("/api/v1/auth/token/", {"username": "monitor.w", "password": "x"})
    assert response.status_code == 400 and "token" not in response.json()


def test_an_expired_token_is_refused_with_401(api_client):
    user = user_with_role(Role.MONITOR)
    key = api_token_key(user, days=1)
    with_token(api_client, key)
    assert api_client.get("/api/v1/languages/").status_code == 200
    with freeze_time(timezone.now() + dt.timedelta(days=1, minutes=1)):
        response = api_client.get("/api/v1/languages/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "expired" in response.json()["detail"]


def test_removing_a_role_revokes_the_users_tokens(api_client):
    user = user_with_role(Role.SECRETARY, "prizren")
    with_token(api_client, api_token_key(user))
    assert api_client.get("/api/v1/languages/").status_code == 200
    role_remove(assignment=RoleAssignment.objects.get(user=user), actor=None)
    assert api_client.get("/api/v1/languages/").status_code == 401
    [removed] = AuditEvent.objects.filter(action=AuditAction.ROLE_REMOVE)
    assert removed.payload["role"] == "secretary" and removed.payload["tokens_revoked"] == 1
    assert removed.municipality.slug == "prizren"
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_the_admin_removes_a_role_through_the_service(client, api_client):
    root = user_with_role(Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True)
    user = user_with_role(Role.TRANSLATOR, "gjilan")
    with_token(api_client, api_token_key(user))
    assignment = RoleAssignment.objects.get(user=user)
    client.force_login(root)
    response = client.post(
        reverse("admin:mcsc_roleassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert api_client.get("/api/v1/languages/").status_code == 401
    [removed] = AuditEvent.objects.filter(action=AuditAction.ROLE_REMOVE)
    assert removed.actor == root and removed.payload["user"] == user.username


def test_the_admin_adds_a_role_through_the_service(client):
    root = user_with_role(Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True)
    user = user_with_role(Role.MEMBER, "gjilan")
    client.force_login(root)
    response = client.post(
        reverse("admin:mcsc_roleassignment_add"), {"user": user.pk, "role": "monitor"}
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=user, role="monitor").exists()
    [assigned] = AuditEvent.objects.filter(action=AuditAction.ROLE_ASSIGN, actor=root)
    assert assigned.payload == {
        "user": user.username,
        "role": "monitor",
        "municipality": None,
        "region": None,
    }


def test_the_owner_lists_and_revokes_their_tokens_and_nobody_else_can(api_client):
    owner = user_with_role(Role.MONITOR, username="owner")
    other = user_with_role(Role.MONITOR, username="other")
    owner_key = api_token_key(owner, name="script")
    api_token_key(owner, name="spare")
    other_key = api_token_key(other, name="theirs")

    rows = with_token(api_client, owner_key).get(TOKENS).json()["results"]
    assert sorted(row["name"] for row in rows) == ["script", "spare"]
    assert {"id", "name", "prefix", "created_at", "expires_at", "last_used_at"} <= set(rows[0])
    assert not any("key" in name for row in rows for name in row)
    spare = next(row for row in rows if row["name"] == "spare")

    # Another user cannot see or revoke it: 404, as if it did not exist.
    with_token(api_client, other_key)
    assert api_client.get(f"{TOKENS}{spare['id']}/").status_code == 404
    assert api_client.delete(f"{TOKENS}{spare['id']}/").status_code == 404
    assert ApiToken.objects.get(pk=spare["id"]).revoked_at is None

    with_token(api_client, owner_key)
    assert api_client.delete(f"{TOKENS}{spare['id']}/").status_code == 204
    assert [row["name"] for row in api_client.get(TOKENS).json()["results"]] == ["script"]
    assert api_client.delete(f"{TOKENS}{spare['id']}/").status_code == 404
    [revoked] = AuditEvent.objects.filter(action=AuditAction.TOKEN_REVOKE)
    assert revoked.actor == owner and revoked.payload["name"] == "spare"


def test_the_security_page_creates_a_token_shown_once_and_revokes_it(client, api_client):
    owner = user_with_role(Role.SECRETARY, "gjilan", username="owner.page")
    client.force_login(owner)
    response = client.post(reverse("accounts:token_create"), {"name": "reports", "days": 30})
    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get(user=owner)
    key = html.split('id="token-key" type="text" readonly value="')[1].split('"')[0]
    assert hashlib.sha256(key.encode()).hexdigest() == token.key_hash
    assert "shown only once" in html
    assert with_token(api_client, key).get("/api/v1/languages/").status_code == 200
    assert token.expires_at - token.created_at == dt.timedelta(days=30)

    page = client.get(reverse("accounts:security")).content.decode()
    assert "reports" in page and f"{token.prefix}…" in page and key not in page
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api_client.get("/api/v1/languages/").status_code == 401

    too_long = client.post(reverse("accounts:token_create"), {"name": "x", "days": 9999})
    assert too_long.status_code == 400 and "id_days_error" in too_long.content.decode()


def test_a_token_of_another_user_cannot_be_revoked_from_the_page(client):
    other = user_with_role(Role.MONITOR, username="other.page")
    api_token_key(other)
    token = ApiToken.objects.get(user=other)
    client.force_login(user_with_role(Role.MONITOR, username="me.page"))
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
