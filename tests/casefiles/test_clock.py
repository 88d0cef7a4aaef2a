import datetime as dt

import pytest
from django.utils import timezone

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
