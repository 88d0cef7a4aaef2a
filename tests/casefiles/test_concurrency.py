"""Real concurrency on PostgreSQL: row locks, the serialised audit chain, gapless numbers,
and the trigger that keeps audit events append-only.

Each writer runs in its own thread with its own database connection, which SQLite's
in-memory test database cannot share, so these tests run on PostgreSQL only.
"""

import threading
from collections import Counter, defaultdict

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from casefiles import services
from casefiles.audit.verification import audit_verify
from casefiles.errors import TransitionConflict
from casefiles.models import (
    AuditAction,
    AuditEvent,
    Case,
    CaseState,
    Statement,
    StatementStatus,
)
from tests.casefiles.builders import case_in, open_case, team
from tests.factories import community

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: row locks, concurrent connections and triggers",
    ),
]

TIMEOUT = 60

# Transactional tests ask for ``transactional_db`` by name as well as by marker: the shared
# ``_reference_data`` fixture (tests/conftest.py) reseeds the reference data that the flush
# after each transactional test removes only when it sees that fixture name.


def run_together(*jobs):
    """Run each job in its own thread, all released at once; return result or exception."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait(timeout=TIMEOUT)
            outcomes[index] = job()
        except Exception as error:  # the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a writer is stuck"
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_leaders_approving_at_once_approve_the_statement_once(transactional_db):
    t = team("prizren")
    case = case_in(t, CaseState.STATEMENT_DRAFTED)

    outcomes = run_together(
        lambda: services.statement_approve(user=t.leadership, case=case),
        lambda: services.statement_approve(user=t.leadership2, case=case),
    )

    kinds = Counter(type(outcome).__name__ for outcome in outcomes)
    assert kinds == {"Statement": 1, "TransitionConflict": 1}, outcomes
    winner = next(o for o in outcomes if isinstance(o, Statement))
    loser = next(o for o in outcomes if isinstance(o, TransitionConflict))
    assert loser.state == CaseState.STATEMENT_APPROVED

    assert Case.objects.get(pk=case.pk).state == CaseState.STATEMENT_APPROVED
    statement = Statement.objects.get(case=case)
    assert statement.status == StatementStatus.APPROVED
    assert statement.reviewed_by_id == winner.reviewed_by_id
    approvals = AuditEvent.objects.filter(case=case, action=AuditAction.STATEMENT_APPROVE)
    assert approvals.count() == 1
    assert approvals.get().actor_id == winner.reviewed_by_id
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unforked_chain_and_gapless_references(transactional_db):
    teams = {"prizren": team("prizren"), "gjilan": team("gjilan")}
    community = {"prizren": "turk", "gjilan": "serb"}
    # Writers 0 and 1 alternate between the municipalities, 2 and 3 stay in one each.
    plans = [
        ["prizren", "gjilan"] * 3,
        ["gjilan", "prizren"] * 3,
        ["prizren"] * 5,
        ["gjilan"] * 5,
    ]

    def writer(plan):
        def job():
            return [
                open_case(teams[slug], community_code=community[slug]).reference for slug in plan
            ]

        return job

    outcomes = run_together(*(writer(plan) for plan in plans))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    written = sum(len(plan) for plan in plans)
    assert written == 22

    report = audit_verify()
    assert report.ok, report.problem
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert len({e.previous_hash for e in events}) == len(events), "the chain forked"
    assert AuditEvent.objects.filter(action=AuditAction.CASE_OPEN).count() == written

    references = [r for outcome in outcomes for r in outcome]
    assert len(set(references)) == written
    numbers = defaultdict(list)
    for case in Case.objects.select_related("municipality"):
        numbers[case.municipality.slug].append(case.number)
    expected = Counter(slug for plan in plans for slug in plan)
    for slug, count in expected.items():
        assert sorted(numbers[slug]) == list(range(1, count + 1)), slug


@pytest.mark.django_db(transaction=True)
def test_a_conflicting_step_waits_for_the_lock_and_sees_the_new_state(transactional_db):
    """Verify and dismiss at once: one wins, the other is refused from the state it finds."""
    t = team("prizren")
    case = open_case(t)

    outcomes = run_together(
        lambda: services.case_dismiss(user=t.secretary, case=case, reason="Not serious."),
        lambda: services.case_verify(
            user=t.secretary,
            case=case,
            verification_source="osce",
            verification_reference="",
            category=case.category,
            affected_community=case.affected_community,
            settlement=case.settlement,
        ),
    )

    conflicts = [o for o in outcomes if isinstance(o, TransitionConflict)]
    done = [o for o in outcomes if isinstance(o, Case)]
    assert (len(done), len(conflicts)) == (1, 1), outcomes
    final = Case.objects.get(pk=case.pk).state
    assert final == done[0].state
    assert conflicts[0].state == final
    transitions = AuditEvent.objects.filter(case=case).exclude(from_state="")
    assert [(e.from_state, e.to_state) for e in transitions] == [(CaseState.REPORTED, final)]


def _verify_as(user, case, community_code):
    """A verify step that also corrects the affected community (a joined key of the case)."""
    return lambda: services.case_verify(
        user=user,
        case=case,
        verification_source="osce",
        verification_reference="",
        category=case.category,
        affected_community=community(community_code),
        settlement=case.settlement,
    )


@pytest.mark.django_db(transaction=True)
def test_four_verifications_changing_the_community_end_in_one_winner_and_three_conflicts(
    transactional_db,
):
    """The losers wait for the winner's lock; the winner changed the affected community, a
    key the step's query joins on. Locking the bare row first, the losers find the new
    state (a conflict) instead of no row at all (``Case.DoesNotExist``, a 500)."""
    t = team("prizren")
    case = open_case(t, community_code="turk")
    communities = ["roma", "ashkali", "egyptian", "bosniak"]

    outcomes = run_together(*(_verify_as(t.secretary, case, code) for code in communities))

    kinds = Counter(type(outcome).__name__ for outcome in outcomes)
    assert kinds == {"Case": 1, "TransitionConflict": 3}, outcomes
    winner = next(o for o in outcomes if isinstance(o, Case))
    assert {o.state for o in outcomes if isinstance(o, TransitionConflict)} == {CaseState.VERIFIED}
    stored = Case.objects.get(pk=case.pk)
    assert stored.state == CaseState.VERIFIED
    assert stored.affected_community_id == winner.affected_community_id
    assert AuditEvent.objects.filter(case=case, action=AuditAction.CASE_VERIFY).count() == 1
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_mixed_dismissals_and_verifications_end_in_one_winner_and_conflicts(transactional_db):
    t = team("prizren")
    case = open_case(t, community_code="turk")
    dismiss = lambda: services.case_dismiss(user=t.secretary, case=case, reason="Not serious.")  # noqa: E731

    outcomes = run_together(
        _verify_as(t.secretary, case, "roma"),
        dismiss,
        _verify_as(t.secretary, case, "bosniak"),
        dismiss,
    )

    kinds = Counter(type(outcome).__name__ for outcome in outcomes)
    assert kinds == {"Case": 1, "TransitionConflict": 3}, outcomes
    final = Case.objects.get(pk=case.pk).state
    assert final in (CaseState.VERIFIED, CaseState.DISMISSED)
    assert {o.state for o in outcomes if isinstance(o, TransitionConflict)} == {final}
    transitions = AuditEvent.objects.filter(case=case).exclude(from_state="")
    assert [(e.from_state, e.to_state) for e in transitions] == [(CaseState.REPORTED, final)]


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_409_to_every_loser_of_a_verify_race(transactional_db):
    """The finding as reported: four simultaneous ``verify`` calls through the API answered
    one 200 and 500s. Each request runs in its own thread and connection."""
    t = team("prizren")
    case = open_case(t, community_code="turk")
    url = reverse("api-case-transition-verify", kwargs={"reference": case.reference})

    def post(code):
        def job():
            # A 500 is an answer here, not an exception (the exception signal is global
            # and would reach every thread's client).
            client = APIClient(raise_request_exception=False)
            client.force_authenticate(t.secretary)
            body = {
                "verification_source": "osce",
                "category": case.category,
                "affected_community": code,
                "settlement": case.settlement,
            }
            response = client.post(url, body, format="json")
            json_body = response.get("Content-Type", "").startswith("application/json")
            return response.status_code, response.json() if json_body else {}

        return job

    outcomes = run_together(*(post(code) for code in ["roma", "ashkali", "egyptian", "bosniak"]))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    statuses = sorted(status for status, _body in outcomes)
    assert statuses == [200, 409, 409, 409], outcomes
    conflicts = [body for status, body in outcomes if status == 409]
    assert all(body["state"] == CaseState.VERIFIED for body in conflicts), conflicts
    assert all(body["transition"] == "verify" for body in conflicts), conflicts


# --- The append-only trigger --------------------------------------------------------------
# These tests run as the test database's superuser, which owns the tables: the trigger
# refuses even the owner. (As the application's role, see test_audit_privileges.py.)
# Transactional (committed rows): PostgreSQL refuses TRUNCATE for another reason while the
# same transaction has pending foreign-key checks.

CHANGES = [
    "UPDATE casefiles_auditevent SET payload = '{}'::jsonb",
    "DELETE FROM casefiles_auditevent",
    "TRUNCATE casefiles_auditevent",
    "TRUNCATE casefiles_case CASCADE",
]
CHANGE_IDS = ["update", "delete", "truncate", "truncate-cascade"]


def chain_rows():
    return list(AuditEvent.objects.order_by("sequence").values_list("sequence", "hash"))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("statement", CHANGES, ids=CHANGE_IDS)
def test_the_database_refuses_to_change_or_remove_audit_events(transactional_db, statement):
    t = team("prizren")
    open_case(t)
    before = chain_rows()
    assert before

    with (
        pytest.raises(DatabaseError, match="append-only") as error,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    # PostgreSQL reports insufficient_privilege, which Django raises as ProgrammingError.
    assert type(error.value).__name__ == "ProgrammingError"

    assert chain_rows() == before
    # Appending is still allowed, and the chain is intact.
    open_case(t)
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("statement", CHANGES, ids=CHANGE_IDS)
def test_no_session_setting_switches_the_guard_off(transactional_db, statement):
    """The trigger of migration 0003 let any session that ran ``SET LOCAL
    mcsc.audit_maintenance = 'on'`` rewrite the trail; the trigger has no switch now."""
    t = team("prizren")
    open_case(t)
    before = chain_rows()

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL mcsc.audit_maintenance = 'on'")
        cursor.execute(statement)

    assert chain_rows() == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'casefiles_audit_append_only'")
        (source,) = cursor.fetchone()
    assert "current_setting" not in source and "audit_maintenance" not in source


@pytest.mark.django_db(transaction=True)
def test_the_orm_cannot_edit_an_audit_event_either(transactional_db):
    t = team("prizren")
    open_case(t)
    event = AuditEvent.objects.get(action=AuditAction.CASE_OPEN)
    event.payload = {"reference": "PZ-2026-9999"}
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).payload["reference"] != "PZ-2026-9999"
