from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from casefiles.audit.verification import audit_verify
from casefiles.demo import demo_cases
from casefiles.models import (
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
