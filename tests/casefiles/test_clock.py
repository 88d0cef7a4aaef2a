import datetime as dt

import pytest
from django.utils import timezone

from casefiles.audit.verification import audit_verify
from casefiles.clock import recording_at
from casefiles.models import AuditAction, AuditEvent, Case, CaseState
from tests.casefiles.builders import advance, open_case, team

pytestmark = pytest.mark.django_db


def test_a_step_recorded_at_an_earlier_moment_keeps_that_moment_but_audits_the_real_time():
    t = team()
    case = open_case(t, days_ago=3)
    verified = case.reported_at + dt.timedelta(hours=4)
    with recording_at(verified):
        advance(t, case, CaseState.VERIFIED)
    case = Case.objects.get(pk=case.pk)
    assert case.verified_at == verified
    assert case.due_at == verified + dt.timedelta(days=3)
    event = AuditEvent.objects.get(case=case, action=AuditAction.CASE_VERIFY)
    assert event.created_at > timezone.now() - dt.timedelta(minutes=1)


def test_steps_cannot_be_recorded_in_the_future():
    with (
        pytest.raises(ValueError, match="future"),
        recording_at(timezone.now() + dt.timedelta(hours=1)),
    ):
        pass


def test_the_event_of_a_step_recorded_earlier_carries_that_moment_in_its_hash(tamperable):
    t = team()
    case = open_case(t, days_ago=3)
    verified = case.reported_at + dt.timedelta(hours=4)
    with recording_at(verified):
        advance(t, case, CaseState.VERIFIED)
    event = AuditEvent.objects.get(case=case, action=AuditAction.CASE_VERIFY)
    assert event.as_of == verified
    assert event.happened_at == verified
    assert audit_verify().ok

    # Moving the recorded moment afterwards is tampering like any other change.
    AuditEvent.objects.filter(pk=event.pk).update(as_of=verified - dt.timedelta(days=1))
    report = audit_verify()
    assert not report.ok
    assert report.bad_sequence == event.sequence


def test_live_steps_are_recorded_at_the_time_of_writing_only():
    t = team()
    before = timezone.now()
    case = open_case(t, days_ago=3)
    advance(t, case, CaseState.VERIFIED)
    events = list(AuditEvent.objects.filter(case=case))
    assert [e.as_of for e in events] == [None, None]
    assert all(before <= e.happened_at == e.created_at <= timezone.now() for e in events)
