import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.test import TestCase
from freezegun import freeze_time

from casefiles.models import AuditAction, AuditEvent, CaseState
from mcsc.models import Role
from tests.casefiles.builders import advance, open_case, team
from tests.factories import user_with_role
from workflows.models import Reminder
from workflows.reminders import reminders_send
from workflows.selectors import inbox
from workflows.services import task_claim

pytestmark = pytest.mark.django_db


def send(**kwargs):
    """Run the reminders and their on-commit mail, as a real (committed) run does."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return reminders_send(**kwargs)


@pytest.fixture
def overdue_case():
    """A Prizren case reported three days ago and never verified (due after one day)."""
    t = team()
    t.secretary.email = "secretary@prizren.example"
    t.secretary.save()
    t.leadership.email = "mayor@prizren.example"
    t.leadership.save()
    return t, open_case(t, days_ago=3)


def test_running_twice_on_the_same_day_sends_each_reminder_once(overdue_case, mailoutbox):
    _team, case = overdue_case
    with freeze_time(case.due_at + dt.timedelta(hours=5)):
        first = send()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("send_reminders")
    assert (first.sent, first.skipped) == (1, 0)
    assert len(mailoutbox) == 1
    assert case.reference in mailoutbox[0].subject
    assert "secretary@prizren.example" in mailoutbox[0].to
    assert mailoutbox[0].cc == []
    assert Reminder.objects.filter(case=case).count() == 1
    events = AuditEvent.objects.filter(action=AuditAction.REMINDER_SEND, case=case)
    assert [e.payload["step"] for e in events] == ["verify"]


def test_the_next_day_reminds_again_and_after_a_second_period_copies_leadership(
    overdue_case, mailoutbox
):
    t, case = overdue_case
    with freeze_time(case.due_at + dt.timedelta(hours=2)):
        send()
    with freeze_time(case.due_at + dt.timedelta(days=1, hours=2)):
        report = send()
    assert report.escalated == 1
    assert len(mailoutbox) == 2
    assert mailoutbox[1].cc == sorted(["mayor@prizren.example", t.leadership2.email])
    assert Reminder.objects.filter(case=case).count() == 2


def test_a_claimed_task_reminds_only_the_person_who_claimed_it(overdue_case, mailoutbox):
    _team, case = overdue_case
    colleague = user_with_role(Role.SECRETARY, "prizren", email="colleague@prizren.example")
    task_claim(user=colleague, task=inbox(user=colleague)[0].task)
    with freeze_time(case.due_at + dt.timedelta(hours=1)):
        send()
    assert mailoutbox[0].to == ["colleague@prizren.example"]


def test_nothing_is_sent_for_steps_on_time_or_closed_cases(mailoutbox):
    t = team()
    on_time = open_case(t, days_ago=1)
    closed = advance(t, open_case(t, days_ago=2), CaseState.CLOSED)
    with freeze_time(on_time.due_at - dt.timedelta(minutes=30)):
        report = send()
    assert report.sent == 0
    assert mailoutbox == []
    assert not Reminder.objects.filter(case=closed).exists()


def test_reminders_appear_as_notifications_on_the_home_page(overdue_case, client):
    t, case = overdue_case
    with freeze_time(case.due_at + dt.timedelta(hours=1)):
        send()
    client.force_login(t.secretary)
    html = client.get("/").content.decode()
    assert f"for {case.reference} is overdue" in html
    # The overdue task is a row of its own, marked overdue, not a count.
    row = re.search(rf'<tr class="row--overdue">.*?{case.reference}.*?</tr>', html, re.S)
    assert row and "Overdue" in row.group(0)
