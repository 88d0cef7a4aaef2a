import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casefiles.audit.verification import audit_verify
from casefiles.demo import demo_cases
from casefiles.models import (
    AuditAction,
    AuditEvent,
    Case,
    CaseState,
    FollowUpAction,
    OutreachActivity,
    Statement,
    StatementStatus,
    Translation,
    TranslationStatus,
)
from casefiles.services import case_required_languages
from mcsc.councils.meetings import meeting_quorum
from mcsc.models import CouncilMember, Meeting
from workflows.deadlines import case_due, case_timeline
from workflows.models import CaseProcess
from workflows.services import OPEN_TASK_STATUSES

pytestmark = pytest.mark.django_db


def _counts():
    return [
        model.objects.count()
        for model in (
            Case,
            AuditEvent,
            Meeting,
            CouncilMember,
            Statement,
            Translation,
            OutreachActivity,
            FollowUpAction,
        )
    ]


def test_seed_demo_builds_cases_in_every_state_once(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out

    cases = demo_cases()
    assert set(cases.values_list("state", flat=True)) == set(CaseState.values)
    per_municipality = Counter(cases.values_list("municipality__slug", flat=True))
    assert set(per_municipality) == {"prizren", "gracanica", "gjilan"}
    assert min(per_municipality.values()) >= 3
    assert cases.count() >= 10
    report = audit_verify()
    assert report.ok, report.problem
    assert f"Demo cases: {cases.count()}" in out

    before = _counts()
    call_command("seed_demo")
    assert _counts() == before
    assert audit_verify().ok


def test_demo_cases_follow_the_rules_of_the_response():
    call_command("seed_demo")
    now = timezone.now()
    for case in demo_cases().select_related("municipality", "affected_community__language"):
        assert case.occurred_at <= case.reported_at <= now
        assert case.affected_community_id != case.municipality.majority_community_id
        meeting = case.convened_meeting
        if meeting is not None:
            assert case.occurred_at < meeting.starts_at < now
            assert meeting.agenda_items.filter(case=case).exists()
            assert meeting_quorum(meeting).reached
        for statement in case.statements.all():
            if statement.reviewed_by_id:
                assert statement.reviewed_by_id != statement.drafted_by_id
                assert statement.reviewed_by.username == f"leadership.{case.municipality.slug}"
            for translation in statement.translations.all():
                assert translation.translator.username == f"translator.{case.municipality.slug}"
                if translation.status == TranslationStatus.APPROVED:
                    assert translation.reviewer.username == f"secretary.{case.municipality.slug}"
        if case.published_at is not None:
            published = case.statements.get(status=StatementStatus.PUBLISHED)
            languages = {published.language.code} | {
                t.language.code
                for t in published.translations.all()
                if t.status == TranslationStatus.APPROVED
            }
            assert {lang.code for lang in case_required_languages(case)} <= languages
            assert case.occurred_at < case.published_at <= now
        for activity in case.outreach.all():
            assert timezone.localtime(case.occurred_at).date() <= activity.held_on
            assert activity.held_on <= timezone.localdate()
    sources = set(
        demo_cases()
        .filter(statements__isnull=False)
        .values_list("municipality__slug", "statements__language__code")
    )
    assert sources == {("prizren", "sq"), ("gjilan", "sq"), ("gracanica", "sr-Cyrl")}


# The case field that stamps the step each task of the process ends.
_TASK_ENDS = {
    "verify": ("verified_at", "dismissed_at"),
    "convene": ("convened_at",),
    "record_outreach": ("outreach_at",),
    "start_follow_up": ("follow_up_started_at",),
    "close": ("closed_at",),
}
_EVENT_STAMPS = {
    AuditAction.CASE_VERIFY: "verified_at",
    AuditAction.CASE_DISMISS: "dismissed_at",
    AuditAction.CASE_CONVENE: "convened_at",
    AuditAction.OUTREACH_RECORD: "outreach_at",
    AuditAction.FOLLOW_UP_START: "follow_up_started_at",
    AuditAction.CASE_CLOSE: "closed_at",
}
_CLOSE_ENOUGH = dt.timedelta(minutes=5)


def test_demo_histories_lie_in_the_past_of_each_incident_and_agree_with_its_steps():
    call_command("seed_demo")
    now = timezone.now()
    weeks_ago = now - dt.timedelta(days=14)
    cases = list(demo_cases().select_related("municipality"))
    assert cases
    for case in cases:
        tasks = list(Task.objects.filter(process__caseprocess__case=case).order_by("pk"))
        assert tasks, case.reference
        previous = case.occurred_at
        for task in tasks:
            assert previous <= task.created <= now, (case.reference, task.flow_task.name)
            if task.finished is not None:
                assert task.created <= task.finished <= now
            previous = task.created
            ends = _TASK_ENDS.get(task.flow_task.name)
            if task.status == STATUS.DONE and ends:
                stamp = next(getattr(case, f) for f in ends if getattr(case, f))
                assert abs(task.finished - stamp) <= _CLOSE_ENOUGH, case.reference
        for process in CaseProcess.objects.filter(case=case):
            assert case.occurred_at <= process.created <= now
            if process.finished is not None:
                assert process.created <= process.finished <= now

        events = list(case.audit_events.order_by("sequence"))
        assert events[0].action == AuditAction.CASE_OPEN
        assert abs(events[0].happened_at - case.reported_at) <= _CLOSE_ENOUGH
        previous = case.occurred_at
        for event in events:
            # Written now, recorded for the moment the step happened.
            assert event.created_at > weeks_ago
            assert previous <= event.happened_at <= now, (case.reference, event.action)
            previous = event.happened_at
            field = _EVENT_STAMPS.get(event.action)
            if field is not None:
                assert abs(event.happened_at - getattr(case, field)) <= _CLOSE_ENOUGH
        if case.occurred_at < weeks_ago:
            # The story of an old incident does not end on the day of seeding.
            assert events[0].happened_at < weeks_ago
            assert tasks[0].created < weeks_ago

    recorded = list(
        AuditEvent.objects.filter(as_of__isnull=False)
        .order_by("sequence")
        .values_list("as_of", flat=True)
    )
    assert recorded == sorted(recorded)
    report = audit_verify()
    assert report.ok, report.problem


# The task whose completion stops the clock of each step with a deadline.
_STEP_TASK = {
    "verify": "verify",
    "convene": "convene",
    "publish": "publish",
    "outreach": "record_outreach",
    "follow_up": "close",
}


def test_demo_tasks_tell_the_same_deadline_story_as_the_case():
    call_command("seed_demo")
    now = timezone.now()
    seen = Counter()
    for case in demo_cases().select_related("municipality"):
        tasks = [
            t
            for t in Task.objects.filter(process__caseprocess__case=case).order_by("pk")
            if t.flow_task_type == "HUMAN"
        ]
        latest_step = max(e.happened_at for e in case.audit_events.all())
        due = case_due(case)
        waiting = [t for t in tasks if t.status in OPEN_TASK_STATUSES]
        if due is None:
            assert not waiting, case.reference
        for task in waiting:
            # Waiting since the step that opened it, not since the day of seeding.
            assert due.due_at - due.period - _CLOSE_ENOUGH <= task.created
            assert task.created <= latest_step + _CLOSE_ENOUGH, case.reference
        finished = {t.flow_task.name: t.finished for t in tasks if t.status == STATUS.DONE}
        for row in case_timeline(case, now=now):
            seen[row.status] += 1
            if row.status == "overdue":
                assert case.is_overdue, case.reference
            if row.done_at is None or case.state == CaseState.DISMISSED:
                continue
            # The task that ended the step was done in time exactly when the step was.
            done = finished[_STEP_TASK[row.step]]
            assert (done > row.due_at) == (row.status == "late"), (case.reference, row.step)
    assert seen["overdue"] and seen["on_time"]
