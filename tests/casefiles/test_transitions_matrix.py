"""Who may make each step of the lifecycle, from which state, and what a refusal leaves behind.

Every transition is tried by the role that owns it (it succeeds, with one audit event), by
every other role (403), by the same roles of another municipality (403 from the service,
404 when they look the case up) and from every state it does not start from (409,
nothing written).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from casefiles import services
from casefiles.errors import TransitionConflict
from casefiles.models import AuditAction, AuditEvent, Case, CaseState, Statement
from casefiles.selectors import case_get_for_user
from mcsc.models import Language, Role
from tests.casefiles.builders import Team, case_in, held_meeting, team, translate_all
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


# --- How to make each step with valid data ------------------------------------------------


def _verify(user, case, ctx):
    return services.case_verify(
        user=user,
        case=case,
        verification_source="police",
        verification_reference="PZ-2026-77",
        category="property_damage",
        affected_community=case.affected_community,
        settlement="Mamushë",
    )


def _dismiss(user, case, ctx):
    return services.case_dismiss(user=user, case=case, reason="A quarrel between neighbours.")


def _convene(user, case, ctx):
    return services.case_convene(user=user, case=case, meeting=ctx["meeting"])


def _draft(user, case, ctx):
    return services.statement_draft(
        user=user,
        case=case,
        language=Language.objects.get(code="sq"),
        title="Komuna dënon sulmin",
        text="Komuna dënon sulmin ndaj shtëpisë.",
    )


def _approve(user, case, ctx):
    return services.statement_approve(user=user, case=case)


def _reject(user, case, ctx):
    return services.statement_reject(user=user, case=case, comment="Name the community.")


def _publish(user, case, ctx):
    return services.statement_publish(user=user, case=case, channels=["website"])


def _outreach(user, case, ctx):
    return services.outreach_record(
        user=user,
        case=case,
        held_on=timezone.localdate(),
        place="Community centre",
        officials_present="Deputy mayor for communities",
        participants_women=3,
        participants_men=4,
        concerns_raised="Lighting on the main road.",
        language=Language.objects.get(code="tr"),
    )


def _start_follow_up(user, case, ctx):
    return services.follow_up_start(
        user=user,
        case=case,
        actions=[
            {
                "description": "Install street lighting",
                "owner": "Public services",
                "due_on": timezone.localdate() + dt.timedelta(days=30),
            }
        ],
    )


def _close(user, case, ctx):
    return services.case_close(
        user=user,
        case=case,
        closing_summary="Lighting installed; no further incidents.",
        safety_before=2,
        safety_after=4,
    )


def _reopen(user, case, ctx):
    return services.case_reopen(user=user, case=case, reason="The family reports new threats.")


# --- What each step needs before it can be made -----------------------------------------


def _with_meeting(t: Team, case: Case) -> dict:
    return {"meeting": held_meeting(t, case)}


def _with_translations(t: Team, case: Case) -> dict:
    translate_all(t, case)
    return {}


def _with_actions_done(t: Team, case: Case) -> dict:
    for action in case.follow_up_actions.all():
        services.follow_up_action_update(user=t.secretary, action=action, status="done")
    return {}


@dataclass(frozen=True)
class Step:
    name: str
    source: CaseState
    target: CaseState
    owner: Role
    audit_action: AuditAction
    run: Callable
    prepare: Callable[[Team, Case], dict] = field(default=lambda t, case: {})

    def __str__(self) -> str:
        return f"{self.name}-from-{self.source}"


S = CaseState
STEPS = [
    Step("verify", S.REPORTED, S.VERIFIED, Role.SECRETARY, AuditAction.CASE_VERIFY, _verify),
    Step("dismiss", S.REPORTED, S.DISMISSED, Role.SECRETARY, AuditAction.CASE_DISMISS, _dismiss),
    Step(
        "convene",
        S.VERIFIED,
        S.COUNCIL_CONVENED,
        Role.SECRETARY,
        AuditAction.CASE_CONVENE,
        _convene,
        _with_meeting,
    ),
    Step(
        "draft_statement",
        S.COUNCIL_CONVENED,
        S.STATEMENT_DRAFTED,
        Role.SECRETARY,
        AuditAction.STATEMENT_DRAFT,
        _draft,
    ),
    Step(
        "approve",
        S.STATEMENT_DRAFTED,
        S.STATEMENT_APPROVED,
        Role.LEADERSHIP,
        AuditAction.STATEMENT_APPROVE,
        _approve,
    ),
    Step(
        "reject",
        S.STATEMENT_DRAFTED,
        S.COUNCIL_CONVENED,
        Role.LEADERSHIP,
        AuditAction.STATEMENT_REJECT,
        _reject,
    ),
    Step(
        "publish",
        S.STATEMENT_APPROVED,
        S.STATEMENT_PUBLISHED,
        Role.SECRETARY,
        AuditAction.STATEMENT_PUBLISH,
        _publish,
        _with_translations,
    ),
    Step(
        "record_outreach",
        S.STATEMENT_PUBLISHED,
        S.OUTREACH_CONDUCTED,
        Role.SECRETARY,
        AuditAction.OUTREACH_RECORD,
        _outreach,
    ),
    Step(
        "start_follow_up",
        S.OUTREACH_CONDUCTED,
        S.FOLLOW_UP,
        Role.SECRETARY,
        AuditAction.FOLLOW_UP_START,
        _start_follow_up,
    ),
    Step(
        "close",
        S.FOLLOW_UP,
        S.CLOSED,
        Role.SECRETARY,
        AuditAction.CASE_CLOSE,
        _close,
        _with_actions_done,
    ),
    Step("reopen", S.CLOSED, S.FOLLOW_UP, Role.LEADERSHIP, AuditAction.CASE_REOPEN, _reopen),
    Step("reopen", S.DISMISSED, S.REPORTED, Role.LEADERSHIP, AuditAction.CASE_REOPEN, _reopen),
]
TRANSITIONS = list(dict.fromkeys(step.name for step in STEPS))
assert len(TRANSITIONS) == 11

# The states each transition may start from, written out (not asked of the FSM).
ALLOWED_FROM = {name: {step.source for step in STEPS if step.name == name} for name in TRANSITIONS}
RUN = {step.name: step.run for step in STEPS}
OWNER = {step.name: step.owner for step in STEPS}


def build(step: Step) -> tuple[Team, Case, dict]:
    t = team("prizren")
    case = case_in(t, step.source)
    assert case.state == step.source
    return t, case, step.prepare(t, case)


def owner_of(t: Team, role: Role):
    return t.secretary if role == Role.SECRETARY else t.leadership


def state_of(case: Case) -> str:
    return Case.objects.values_list("state", flat=True).get(pk=case.pk)


@pytest.mark.parametrize("step", STEPS, ids=str)
def test_the_owning_role_makes_the_step_and_one_audit_event_records_it(step):
    t, case, ctx = build(step)
    last = AuditEvent.objects.order_by("-sequence").first().sequence
    user = owner_of(t, step.owner)

    step.run(user, case, ctx)

    assert state_of(case) == step.target
    new = list(AuditEvent.objects.filter(sequence__gt=last))
    assert [(e.action, e.from_state, e.to_state) for e in new] == [
        (step.audit_action, step.source, step.target)
    ]
    assert new[0].actor == user
    assert new[0].case_id == case.pk


def other_roles_of_the_municipality(t: Team, owner: Role) -> dict[str, object]:
    users = {
        "translator": t.translator,
        "member": user_with_role(Role.MEMBER, "prizren"),
        "monitor of all municipalities": user_with_role(Role.MONITOR),
        "administrator": user_with_role(Role.ADMINISTRATOR),
    }
    if owner == Role.SECRETARY:
        users["leadership"] = t.leadership
    else:
        users["secretary"] = t.secretary
    return users


@pytest.mark.parametrize("step", STEPS, ids=str)
def test_every_other_role_is_refused_and_nothing_changes(step):
    t, case, ctx = build(step)
    others = other_roles_of_the_municipality(t, step.owner)
    events = AuditEvent.objects.count()

    for label, user in others.items():
        # They can see the case (so the refusal is 403, not 404) ...
        assert case_get_for_user(user=user, reference=case.reference).pk == case.pk, label
        # ... but may not make the step.
        with pytest.raises(PermissionDenied):
            step.run(user, case, ctx)
        assert state_of(case) == step.source, label
        assert AuditEvent.objects.count() == events, label


@pytest.mark.parametrize("step", STEPS, ids=str)
def test_secretary_and_leadership_of_another_municipality_cannot_reach_the_case(step):
    _, case, ctx = build(step)
    outsiders = {
        "gjilan secretary": user_with_role(Role.SECRETARY, "gjilan"),
        "gjilan leadership": user_with_role(Role.LEADERSHIP, "gjilan"),
    }
    events = AuditEvent.objects.count()

    for label, user in outsiders.items():
        with pytest.raises(Http404):
            case_get_for_user(user=user, reference=case.reference)
        with pytest.raises(PermissionDenied):
            step.run(user, case, ctx)
        assert state_of(case) == step.source, label
        assert AuditEvent.objects.count() == events, label


def snapshot_of(case: Case) -> tuple:
    row = Case.objects.get(pk=case.pk)
    return (
        row.state,
        row.state_changed_at,
        AuditEvent.objects.count(),
        list(Statement.objects.filter(case=case).values_list("version", "status")),
        row.outreach.count(),
        row.follow_up_actions.count(),
    )


@pytest.mark.parametrize("state", list(CaseState), ids=str)
def test_every_step_not_allowed_from_a_state_is_a_conflict_that_changes_nothing(state):
    t = team("prizren")
    case = case_in(t, state)
    assert case.state == state
    ctx = {"meeting": held_meeting(t, case)}
    wrong = [name for name in TRANSITIONS if state not in ALLOWED_FROM[name]]
    assert wrong, state
    before = snapshot_of(case)

    for name in wrong:
        with pytest.raises(TransitionConflict) as conflict:
            RUN[name](owner_of(t, OWNER[name]), case, ctx)
        assert conflict.value.transition == name
        assert conflict.value.state == state
        assert snapshot_of(case) == before, name
