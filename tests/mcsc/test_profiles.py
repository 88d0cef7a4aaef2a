"""Each user's interface language: chosen once, followed by pages on every device and by
the e-mails they receive; anonymous visitors and API clients get what they ask for."""

import datetime as dt

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import formats, timezone, translation
from freezegun import freeze_time

from casefiles.models import CaseState
from mcsc.models import Language, Profile
from mcsc.profiles import addresses_by_language, profile_language_set
from tests.casefiles.builders import case_in, open_case, team
from workflows.reminders import reminders_send

pytestmark = pytest.mark.django_db


def test_the_first_sign_in_keeps_the_browsers_language_as_the_users_choice(client):
    t = team()
    signed_in = client.post(
        reverse("login"),
        {"username": t.secretary.username, "password": "correct horse battery staple"},
        HTTP_ACCEPT_LANGUAGE="tr",
    )
    assert signed_in.status_code == 302
    assert Profile.objects.get(user=t.secretary).language == "tr"
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "tr"


def test_the_language_menu_saves_the_choice_and_another_device_follows_it(client):
    t = team()
    client.force_login(t.secretary)
    client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("set_language"), {"language": "sr", "next": "/"})
    assert response.status_code == 302
    assert Profile.objects.get(user=t.secretary).language == "sr"

    phone = Client()
    phone.force_login(t.secretary)
    page = phone.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert page["Content-Language"] == "sr"
    assert 'lang="sr"' in page.content.decode()


def test_an_unknown_language_is_refused_and_changes_nothing(client):
    t = team()
    profile_language_set(user=t.secretary, language="sq")
    client.force_login(t.secretary)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert Profile.objects.get(user=t.secretary).language == "sq"


def test_api_messages_follow_accept_language():
    response = Client().get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="sq")
    assert response.status_code == 401
    assert response["Content-Language"] == "sq"


def test_recipients_are_grouped_by_their_language():
    t = team()
    profile_language_set(user=t.secretary, language="sq")
    profile_language_set(user=t.leadership, language="sr")
    groups = addresses_by_language([t.secretary.email, t.leadership.email, "x@example.org"])
    assert groups == {
        "sq": [t.secretary.email],
        "sr": [t.leadership.email],
        "en": ["x@example.org"],
    }


def test_case_notifications_are_written_in_each_recipients_language(
    django_capture_on_commit_callbacks, mailoutbox
):
    from casefiles import services

    t = team()
    profile_language_set(user=t.leadership, language="sr")
    profile_language_set(user=t.leadership2, language="en")
    case = case_in(t, CaseState.COUNCIL_CONVENED)
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_draft(
            user=t.secretary,
            case=case,
            language=Language.objects.get(code="sq"),
            title="Deklaratë",
            text="Komuna dënon sulmin.",
        )
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    with translation.override("sr"):
        serbian = translation.gettext("Statement for %(reference)s awaits your approval")
    assert by_address[t.leadership.email].subject == serbian % {"reference": case.reference}
    assert by_address[t.leadership2.email].subject == (
        f"Statement for {case.reference} awaits your approval"
    )


def test_reminders_are_written_in_each_recipients_language(mailoutbox):
    t = team()
    t.secretary.email = "secretary@prizren.example"
    t.secretary.save()
    profile_language_set(user=t.secretary, language="sq")
    case = open_case(t, days_ago=3)
    with (
        freeze_time(case.due_at + dt.timedelta(hours=5)),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        reminders_send()
    [mail] = mailoutbox
    with translation.override("sq"):
        overdue = translation.gettext("Overdue: %(step)s for case %(reference)s")
        due = formats.date_format(timezone.localtime(case.due_at), "SHORT_DATETIME_FORMAT")
    assert overdue.split("%")[0] in mail.subject
    assert due in mail.body  # the Albanian day-first date, not the English one
