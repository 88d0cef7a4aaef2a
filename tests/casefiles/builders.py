"""Build cases in any state through the real services, for tests."""

import datetime as dt
from dataclasses import dataclass

from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from casefiles import services
from casefiles.models import Case, CaseState
from mcsc.councils.services import council_member_add, meeting_attendance_record, meeting_create
from mcsc.models import AttendanceStatus, Language, Role, Seat
from tests.factories import community, municipality, user_with_role


@dataclass
class Team:
    secretary: object
    leadership: object
    leadership2: object
    translator: object
    slug: str


def team(slug: str = "prizren") -> Team:
    return Team(
        secretary=user_with_role(Role.SECRETARY, slug),
        leadership=user_with_role(Role.LEADERSHIP, slug),
        leadership2=user_with_role(Role.LEADERSHIP, slug),
        translator=user_with_role(Role.TRANSLATOR, slug),
        slug=slug,
    )


def open_case(t: Team, *, community_code: str = "turk", days_ago: int = 3, **overrides) -> Case:
    now = timezone.now()
    data = {
        "municipality": municipality(t.slug),
        "occurred_at": now - dt.timedelta(days=days_ago),
        "reported_at": now - dt.timedelta(days=days_ago) + dt.timedelta(hours=2),
        "settlement": "Mamushë",
        "location": "Near the mosque",
        "category": "property_damage",
        "affected_community": community(community_code),
        "summary": "Windows of a family house broken at night.",
        "source": "police",
        "source_reference": "2026-PZ-1234",
        "people": [{"role": "victim", "name": "Ahmet Kaya", "contact": "+383 44 000 000"}],
    }
    data.update(overrides)
    return services.case_open(user=t.secretary, **data)


def held_meeting(t: Team, case: Case, *, present: int = 3, members: int = 4):
    """A meeting held an hour ago with ``case`` on its agenda, ``present`` of ``members``
    attending. A council that already has members keeps them, with the same share present."""
    from mcsc.models import CouncilMember

    council_members = list(
        CouncilMember.objects.filter(municipality=case.municipality, ended_on__isnull=True)
    )
    if not council_members:
        council_members = [
            council_member_add(
                user=t.secretary,
                municipality=case.municipality,
                name=f"Member {i}",
                seat=Seat.CIVIL_SOCIETY,
                appointed_on=dt.date(2024, 1, 1),
            )
            for i in range(members)
        ]
    else:
        present = -(-present * len(council_members) // members)
    meeting = meeting_create(
        user=t.secretary,
        municipality=case.municipality,
        kind="extraordinary",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Municipal assembly hall",
        agenda=[{"title": "Security situation"}, {"case": case}],
    )
    meeting_attendance_record(
        user=t.secretary,
        meeting=meeting,
        attendance={
            m.pk: AttendanceStatus.PRESENT if i < present else AttendanceStatus.EXCUSED
            for i, m in enumerate(council_members)
        },
    )
    return meeting


def advance(t: Team, case: Case, target: str) -> Case:
    """Take ``case`` forward along the main path until it reaches ``target``."""
    order = [
        CaseState.REPORTED,
        CaseState.VERIFIED,
        CaseState.COUNCIL_CONVENED,
        CaseState.STATEMENT_DRAFTED,
        CaseState.STATEMENT_APPROVED,
        CaseState.STATEMENT_PUBLISHED,
        CaseState.OUTREACH_CONDUCTED,
        CaseState.FOLLOW_UP,
        CaseState.CLOSED,
    ]
    if target == CaseState.DISMISSED:
        return services.case_dismiss(user=t.secretary, case=case, reason="Not an ethnic incident.")
    while order.index(case.state) < order.index(target):
        case = STEP[case.state](t, case)
    return case


def _verify(t, case):
    return services.case_verify(
        user=t.secretary,
        case=case,
        verification_source="police",
        verification_reference="PZ-2026-55",
        category=case.category,
        affected_community=case.affected_community,
        settlement=case.settlement,
        location=case.location,
    )


def _convene(t, case):
    return services.case_convene(user=t.secretary, case=case, meeting=held_meeting(t, case))


def _draft(t, case):
    services.statement_draft(
        user=t.secretary,
        case=case,
        language=Language.objects.get(code="sq"),
        title="Komuna dënon sulmin",
        text="Komuna e Prizrenit dënon ashpër sulmin ndaj shtëpisë së familjes.",
    )
    return Case.objects.get(pk=case.pk)


def _approve(t, case):
    services.statement_approve(user=t.leadership, case=case)
    return Case.objects.get(pk=case.pk)


def translate_all(t, case):
    for language in services.statement_missing_languages(case, services.current_statement(case)):
        services.translation_save(
            user=t.translator,
            case=case,
            language=language,
            title=f"Title in {language.code}",
            text=f"Statement text in {language.code}.",
        )
        services.translation_approve(user=t.secretary, case=case, language=language)


def _publish(t, case):
    translate_all(t, case)
    return services.statement_publish(user=t.secretary, case=case, channels=["website"])


def _outreach(t, case):
    services.outreach_record(
        user=t.secretary,
        case=case,
        held_on=timezone.localdate(),
        place="Mamushë community centre",
        officials_present="Deputy mayor for communities; police station commander",
        participants_women=6,
        participants_men=9,
        participants_other=0,
        concerns_raised="Night patrols; lighting on the main road.",
        commitments_made="Police patrols for one month.",
        language=Language.objects.get(code="tr"),
    )
    return Case.objects.get(pk=case.pk)


def _follow_up(t, case):
    return services.follow_up_start(
        user=t.secretary,
        case=case,
        actions=[
            {
                "description": "Install street lighting",
                "owner": "Directorate of public services",
                "due_on": timezone.localdate() + dt.timedelta(days=30),
            }
        ],
    )


def _close(t, case):
    for action in case.follow_up_actions.all():
        services.follow_up_action_update(user=t.secretary, action=action, status="done")
    return services.case_close(
        user=t.secretary,
        case=case,
        closing_summary="Lighting installed; no further incidents.",
        safety_before=2,
        safety_after=4,
    )


STEP = {
    CaseState.REPORTED: _verify,
    CaseState.VERIFIED: _convene,
    CaseState.COUNCIL_CONVENED: _draft,
    CaseState.STATEMENT_DRAFTED: _approve,
    CaseState.STATEMENT_APPROVED: _publish,
    CaseState.STATEMENT_PUBLISHED: _outreach,
    CaseState.OUTREACH_CONDUCTED: _follow_up,
    CaseState.FOLLOW_UP: _close,
}


# --- Additions for the service, matrix, audit and concurrency tests ----------------------


def case_in(t: Team, state: str, **overrides) -> Case:
    """A new case of ``t``'s municipality, taken along the main path to ``state``."""
    return advance(t, open_case(t, **overrides), state)


def council_members(t: Team, *, count: int, appointed_on: dt.date = dt.date(2024, 1, 1), **extra):
    """``count`` new members of the council of ``t``'s municipality."""
    return [
        council_member_add(
            user=t.secretary,
            municipality=municipality(t.slug),
            name=f"Member {i}",
            seat=Seat.CIVIL_SOCIETY,
            appointed_on=appointed_on,
            **extra,
        )
        for i in range(count)
    ]


def record_attendance(t: Team, meeting, members, *, present: int):
    """The first ``present`` of ``members`` present, the others excused."""
    return meeting_attendance_record(
        user=t.secretary,
        meeting=meeting,
        attendance={
            m.pk: AttendanceStatus.PRESENT if i < present else AttendanceStatus.EXCUSED
            for i, m in enumerate(members)
        },
    )


# Clients that answer a server error as a response (so a test can assert it is not one).
def page_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def api_client(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client
