"""The password policy (ASVS L2: 12 characters at least, no common passwords, no
composition rules) and what a password change does."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import ApiToken
from casefiles.models import AuditAction, AuditEvent
from mcsc.demo import demo_password
from mcsc.models import Role
from tests.accounts.conftest import PASSWORD
from tests.factories import UserFactory, api_token_key, user_with_role

pytestmark = pytest.mark.django_db


def change(client, new: str):
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )


def test_an_eleven_character_password_is_refused_and_twelve_are_enough(client):
    user = user_with_role(Role.SECRETARY, "prizren")
    client.force_login(user)
    response = change(client, "gravelmoth7")
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert change(client, "gravelmoth7x").status_code == 302
    user.refresh_from_db()
    assert user.check_password("gravelmoth7x")


@pytest.mark.parametrize("password", ["password1234", "qwertyuiop123"])
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationError, match="too common"):
        validate_password(password, UserFactory())


def test_no_composition_rules_a_long_lowercase_or_digits_only_password_is_fine():
    user = UserFactory()
    validate_password("lantern river blossom", user)
    validate_password("830219475561", user)


def test_the_demo_password_satisfies_the_policy_for_every_demo_login():
    for username in ("admin", "secretary.prizren", "monitor.gjilan-region"):
        user = UserFactory.build(username=username, email=f"{username}@demo.invalid")
        validate_password(demo_password(), user)


def test_a_password_change_is_recorded_and_revokes_the_api_tokens(client, api_client):
    user = user_with_role(Role.MONITOR, username="monitor.pw")
    key = api_token_key(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/languages/").status_code == 200
    client.force_login(user)
    assert change(client, "a brand new passphrase").status_code == 302
    assert api_client.get("/api/v1/languages/").status_code == 401
    assert ApiToken.objects.get(user=user).revoked_at is not None
    [event] = AuditEvent.objects.filter(action=AuditAction.AUTH_PASSWORD_CHANGE)
    assert event.actor == user and event.payload["tokens_revoked"] == 1
    # Still signed in after the change; the done page says what happened to the tokens.
    done = client.get(reverse("password_change_done")).content.decode()
    assert "Your API tokens were revoked" in done


def test_a_password_set_in_the_admin_goes_through_the_same_service(client):
    root = user_with_role(Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True)
    user = user_with_role(Role.SECRETARY, "gjilan", username="secretary.g")
    api_token_key(user)
    client.force_login(root)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    short = {"password1": "short", "password2": "short", "usable_password": "true"}
    assert client.post(url, short).status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.AUTH_PASSWORD_CHANGE).exists()
    response = client.post(
        url,
        {
            "password1": "set by the administrator",
            "password2": "set by the administrator",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("set by the administrator")
    [event] = AuditEvent.objects.filter(action=AuditAction.AUTH_PASSWORD_CHANGE)
    assert event.actor == root and event.payload["user"] == "secretary.g"
    assert event.payload["tokens_revoked"] == 1


def test_the_admins_own_change_password_link_leads_to_the_audited_page(client):
    root = user_with_role(Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
