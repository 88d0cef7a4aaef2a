"""Password reset by e-mail: the whole flow through Django's mail outbox, in the user's
language, throttled, silent about which addresses exist, audited, the link short-lived,
and the second factor still asked for afterwards."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core import mail
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from accounts.models import ApiToken
from casefiles.models import AuditAction, AuditEvent
from mcsc.models import Role
from mcsc.profiles import profile_language_set
from tests.accounts.conftest import enrol, sign_in
from tests.factories import api_token_key, user_with_role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a new long passphrase 2026"
RESET = "/accounts/password/reset/"


def ask(client, email: str):
    return client.post(RESET, {"email": email})


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body)[1]


def choose(client, link: str, password: str = NEW_PASSWORD):
    # Django's view swaps the token in the link for a session key, then shows the form.
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_sign_in_page_links_to_the_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{RESET}"' in page


def test_the_whole_flow_sets_the_password_revokes_tokens_and_is_audited(client):
    user = user_with_role(Role.SECRETARY, "prizren", username="sec.reset")
    api_token_key(user)

    response = ask(client, user.email.upper())
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == [user.email] and "sec.reset" in message.body

    response = choose(client, link_in(message))
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    # Not signed in by the reset: the sign-in page is the way in.
    assert client.get("/cases/").status_code == 302

    [request] = AuditEvent.objects.filter(action=AuditAction.AUTH_PASSWORD_RESET_REQUEST)
    assert request.payload["sent_to"] == ["sec.reset"] and request.actor == user
    [reset] = AuditEvent.objects.filter(action=AuditAction.AUTH_PASSWORD_RESET)
    assert reset.actor == user and reset.payload["tokens_revoked"] == 1

    # The link works once.
    assert "does not work any more" in client.get(link_in(message), follow=True).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    user_with_role(Role.SECRETARY, "prizren", username="known")
    known = ask(client, "known@example.invalid")
    unknown = ask(client, "nobody@example.invalid")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["known@example.invalid"]]
    events = AuditEvent.objects.filter(action=AuditAction.AUTH_PASSWORD_RESET_REQUEST)
    assert [e.payload["sent_to"] for e in events.order_by("sequence")] == [["known"], []]


def test_each_mail_is_written_in_its_recipients_interface_language(client, monkeypatch):
    albanian = user_with_role(Role.SECRETARY, "prizren", username="sq.user")
    profile_language_set(user=albanian, language="sq")
    other = user_with_role(Role.SECRETARY, "prizren", username="no.choice")
    languages = {}

    def record(self, subject, body, context, *args, **kwargs):
        languages[context["user"].username] = translation.get_language()

    monkeypatch.setattr(PasswordResetForm, "send_mail", record)
    with translation.override("en"):
        ask(client, albanian.email)
        ask(client, other.email)
    assert languages == {"sq.user": "sq", "no.choice": settings.LANGUAGE_CODE}


def test_requests_are_throttled_per_address_without_telling(client):
    user = user_with_role(Role.SECRETARY, "prizren", username="many")
    answers = {ask(client, user.email)["Location"] for _ in range(5)}
    assert answers == {reverse("password_reset_done")}
    assert len(mail.outbox) == 3
    events = AuditEvent.objects.filter(action=AuditAction.AUTH_PASSWORD_RESET_REQUEST)
    assert [e.payload["throttled"] for e in events.order_by("sequence")] == [False] * 3 + [True] * 2


def test_the_link_expires_after_an_hour(client):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    user = user_with_role(Role.SECRETARY, "prizren", username="late")
    with freeze_time("2026-03-02 09:00"):
        ask(client, user.email)
    with freeze_time("2026-03-02 10:01"):
        page = client.get(link_in(mail.outbox[0]), follow=True).content.decode()
    assert "does not work any more" in page
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_a_reset_does_not_get_round_the_second_factor(client, mfa_required):
    leader = user_with_role(Role.LEADERSHIP, "prizren", username="leader.reset")
    enrol(leader)
    ask(client, leader.email)
    choose(client, link_in(mail.outbox[0]))

    response = sign_in(client, "leader.reset", NEW_PASSWORD)
    assert response.status_code == 302
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")
