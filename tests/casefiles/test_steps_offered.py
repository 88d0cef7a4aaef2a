"""The steps a user is offered are the steps that succeed.

``selectors.case_steps`` lists every step the user has the right to take in the case's
state, each available or blocked with reasons. Over every state of the lifecycle (and the
data that blocks a step: meetings, translations, follow-up actions, the drafter), for every
role, each of the eleven steps is tried through its service in a savepoint that is rolled
back: an available step succeeds, a blocked or unlisted one is refused.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casefiles import selectors, services
from casefiles.errors import TransitionConflict
from casefiles.models import Case, CaseState
from casefiles.selectors import BlockCode, case_detail_get_for_user, case_steps
from mcsc.councils.services import meeting_create
from mcsc.models import Language, Meeting, Role
from mcsc.permissions import forget_scope
from mcsc.services import role_assign
from tests.casefiles.builders import Team, case_in, held_meeting, team, translate_all
from tests.casefiles.test_transitions_matrix import RUN, TRANSITIONS
from tests.factories import municipality, user_with_role

pytestmark = pytest.mark.django_db

REFUSALS = (TransitionConflict, PermissionDenied, ValidationError)


def scheduled_meeting(t: Team, case: Case) -> Meeting:
    """Next week's meeting with the case on its agenda: it has not taken place yet."""
    return meeting_create(
        user=t.secretary,
        municipality=case.municipality,
        kind="regular",
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="Municipal assembly hall",
        agenda=[{"case": case}],
    )


def secretary_and_leadership(slug: str = "prizren"):
    user = user_with_role(Role.SECRETARY, slug)
    role_assign(user=user, role=Role.LEADERSHIP, municipality=municipality(slug))
    forget_scope(user)
    return user


@dataclass(frozen=True)
class Scenario:
    name: str
    state: CaseState
    # Makes the data around the case; gets the team, the case and the users by label.
    prepare: Callable[[Team, Case, dict], None] = lambda t, case, users: None
    # What the secretary (or, for review steps, the leadership) must be told: the blocker
    # codes of each step offered, so that the matrix cannot pass by offering nothing.
    expected: dict[str, dict[str, set[BlockCode]]] | None = None


def _draft_by(user_label: str):
    def prepare(t, case, users):
        services.statement_draft(
            user=users[user_label],
            case=case,
            language=Language.objects.get(code="sq"),
            title="Komuna dënon sulmin",
            text="Komuna dënon sulmin ndaj shtëpisë.",
        )

    return prepare


def _close_actions(t, case, users):
    for action in case.follow_up_actions.all():
        services.follow_up_action_update(user=t.secretary, action=action, status="done")


NONE: set[BlockCode] = set()
SCENARIOS = [
    Scenario(
        "reported",
        CaseState.REPORTED,
        expected={"secretary": {"verify": NONE, "dismiss": NONE}},
    ),
    Scenario(
        "verified-no-meeting",
        CaseState.VERIFIED,
        expected={"secretary": {"convene": {BlockCode.NO_QUALIFYING_MEETING}}},
    ),
    Scenario(
        "verified-meeting-not-held",
        CaseState.VERIFIED,
        prepare=lambda t, case, users: scheduled_meeting(t, case),
        expected={"secretary": {"convene": {BlockCode.NO_QUALIFYING_MEETING}}},
    ),
    Scenario(
        "verified-meeting-without-quorum",
        CaseState.VERIFIED,
        prepare=lambda t, case, users: held_meeting(t, case, present=1, members=4),
        expected={"secretary": {"convene": {BlockCode.NO_QUALIFYING_MEETING}}},
    ),
    Scenario(
        "verified-meeting-held",
        CaseState.VERIFIED,
        prepare=lambda t, case, users: (scheduled_meeting(t, case), held_meeting(t, case)),
        expected={"secretary": {"convene": NONE}},
    ),
    Scenario(
        "convened",
        CaseState.COUNCIL_CONVENED,
        expected={"secretary": {"draft_statement": NONE}},
    ),
    Scenario(
        "drafted",
        CaseState.STATEMENT_DRAFTED,
        expected={"leadership": {"approve": NONE, "reject": NONE}},
    ),
    Scenario(
        "drafted-by-a-secretary-who-is-also-leadership",
        CaseState.COUNCIL_CONVENED,
        prepare=_draft_by("secretary and leadership"),
        expected={
            "secretary and leadership": {
                "approve": {BlockCode.FOUR_EYES},
                "reject": {BlockCode.FOUR_EYES},
            },
            "leadership": {"approve": NONE, "reject": NONE},
        },
    ),
    Scenario(
        "approved-translations-missing",
        CaseState.STATEMENT_APPROVED,
        expected={"secretary": {"publish": {BlockCode.TRANSLATIONS_MISSING}}},
    ),
    Scenario(
        "approved-translated",
        CaseState.STATEMENT_APPROVED,
        prepare=lambda t, case, users: translate_all(t, case),
        expected={"secretary": {"publish": NONE}},
    ),
    Scenario(
        "published",
        CaseState.STATEMENT_PUBLISHED,
        expected={"secretary": {"record_outreach": NONE}},
    ),
    Scenario(
        "outreach",
        CaseState.OUTREACH_CONDUCTED,
        expected={"secretary": {"start_follow_up": NONE}},
    ),
    Scenario(
        "follow-up-action-open",
        CaseState.FOLLOW_UP,
        expected={"secretary": {"close": {BlockCode.FOLLOW_UP_ACTIONS_OPEN}}},
    ),
    Scenario(
        "follow-up-actions-done",
        CaseState.FOLLOW_UP,
        prepare=_close_actions,
        expected={"secretary": {"close": NONE}},
    ),
    Scenario("closed", CaseState.CLOSED, expected={"leadership": {"reopen": NONE}}),
    Scenario("dismissed", CaseState.DISMISSED, expected={"leadership": {"reopen": NONE}}),
]
assert {s.state for s in SCENARIOS} | {CaseState.STATEMENT_DRAFTED} == set(CaseState)


def attempt(run: Callable[[], object]) -> Exception | None:
    """Run a service call in a savepoint that is always rolled back; its refusal, if any."""
    try:
        with transaction.atomic():
            run()
            transaction.set_rollback(True)
    except REFUSALS as exc:
        return exc
    return None


def attempt_step(name: str, user, case: Case) -> Exception | None:
    if name != "convene":
        return attempt(lambda: RUN[name](user, case, {}))
    # Convening succeeds if any recorded meeting of the municipality qualifies.
    refusals = []
    for meeting in Meeting.objects.filter(municipality=case.municipality):
        refusal = attempt(lambda meeting=meeting: RUN[name](user, case, {"meeting": meeting}))
        if refusal is None:
            return None
        refusals.append(refusal)
    return refusals[0] if refusals else ValidationError("No meeting is recorded.")


def users_of(t: Team) -> dict[str, object]:
    return {
        "secretary": t.secretary,
        "leadership": t.leadership,
        "member": user_with_role(Role.MEMBER, t.slug),
        "translator": t.translator,
        "monitor": user_with_role(Role.MONITOR),
        "administrator": user_with_role(Role.ADMINISTRATOR),
        "secretary and leadership": secretary_and_leadership(t.slug),
    }


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_an_offered_step_succeeds_and_a_blocked_or_unoffered_one_is_refused(scenario):
    t = team("prizren")
    users = users_of(t)
    case = case_in(t, scenario.state)
    scenario.prepare(t, case, users)
    case = Case.objects.get(pk=case.pk)

    for label, user in users.items():
        # What the case page and the API read: the case with its prefetched records.
        detail = case_detail_get_for_user(user=user, reference=case.reference)
        offered = {option.name: option for option in case_steps(user=user, case=detail)}
        codes = {
            name: {blocker.code for blocker in option.blocked_by}
            for name, option in offered.items()
        }
        if label in (scenario.expected or {}):
            assert codes == scenario.expected[label], label
        for name in TRANSITIONS:
            refusal = attempt_step(name, user, Case.objects.get(pk=case.pk))
            where = f"{label}: {name}"
            if name in offered and offered[name].available:
                assert refusal is None, f"{where} is offered but refused: {refusal!r}"
            else:
                assert refusal is not None, f"{where} is not offered but succeeds"
                if name in offered:
                    # Blocked by data, not by the state or the right.
                    assert not isinstance(refusal, TransitionConflict) or (
                        codes[name] == {BlockCode.NO_STATEMENT}
                    ), where
        assert selectors.available_transitions(user=user, case=detail) == [
            name for name, option in offered.items() if option.available
        ]
    # Nothing above wrote anything.
    assert Case.objects.get(pk=case.pk).state == case.state


def test_a_statement_no_longer_awaiting_review_blocks_approval_and_rejection():
    """The state says "drafted" but the version was reviewed (a race, or data repaired by
    hand): review is offered blocked, and the services refuse it."""
    from casefiles.models import Statement, StatementStatus

    t = team("prizren")
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    Statement.objects.filter(case=case).update(status=StatementStatus.APPROVED)
    detail = case_detail_get_for_user(user=t.leadership, reference=case.reference)

    offered = {o.name: o for o in case_steps(user=t.leadership, case=detail)}

    assert {n: [b.code for b in o.blocked_by] for n, o in offered.items()} == {
        "approve": [BlockCode.NO_STATEMENT],
        "reject": [BlockCode.NO_STATEMENT],
    }
    for name in ("approve", "reject"):
        assert isinstance(attempt_step(name, t.leadership, case), TransitionConflict)
