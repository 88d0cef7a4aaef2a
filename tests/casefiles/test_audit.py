"""The audit trail: a verifiable chain that names the first tampered event, holds the
changes made, never holds the personal data of the people in a case, and carries the id of
the request that wrote it."""

import datetime as dt
import io
import itertools
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from casefiles import services
from casefiles.audit.chain import GENESIS_HASH, diff, event_hash
from casefiles.audit.verification import audit_verify
from casefiles.models import AuditAction, AuditEvent, AuditHead, CaseState
from config.middleware import RequestIdMiddleware
from tests.casefiles.builders import advance, case_in, open_case, team

pytestmark = pytest.mark.django_db


def run_verify_audit() -> str:
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_the_chain_is_intact_after_a_whole_lifecycle_and_the_command_says_so():
    t = team()
    case_in(t, CaseState.CLOSED)
    events = list(AuditEvent.objects.order_by("sequence"))
    assert len(events) > 10

    report = audit_verify()
    assert report.ok, report.problem
    assert report.count == len(events)
    assert report.head_hash == events[-1].hash
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert events[0].previous_hash == GENESIS_HASH
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(events))

    output = run_verify_audit()
    assert f"{len(events)} events" in output
    assert events[-1].hash in output


def test_an_empty_trail_verifies():
    report = audit_verify()
    assert (report.ok, report.count) == (True, 0)
    assert "0 events" in run_verify_audit()


# --- Tampering ----------------------------------------------------------------------------


def edit_payload(events):
    changed = AuditEvent.objects.filter(sequence=3).update(payload={"reference": "PZ-2026-9999"})
    assert changed == 1
    return 3, "#3 was altered"


def edit_and_rehash(events):
    """An editor who also recomputes the row's own hash breaks the link to the next row."""
    row = AuditEvent.objects.get(sequence=3)
    row.payload = {"reference": "PZ-2026-9999"}
    AuditEvent.objects.filter(pk=row.pk).update(payload=row.payload, hash=event_hash(row))
    assert AuditEvent.objects.get(pk=row.pk).hash == event_hash(row)
    return 4, "#4 does not follow #3"


def delete_middle(events):
    AuditEvent.objects.filter(sequence=4).delete()
    assert not AuditEvent.objects.filter(sequence=4).exists()
    return 4, "#4 is missing"


def delete_last(events):
    last = events[-1].sequence
    AuditEvent.objects.filter(sequence=last).delete()
    assert AuditEvent.objects.count() == last - 1
    return last, f"ends at #{last - 1} but {last} events were written"


def swap_pair(events):
    # Sequences are unique, so swap through a free number (three steps, also on PostgreSQL).
    a, b = AuditEvent.objects.get(sequence=3), AuditEvent.objects.get(sequence=4)
    AuditEvent.objects.filter(pk=a.pk).update(sequence=10**12)
    AuditEvent.objects.filter(pk=b.pk).update(sequence=3)
    AuditEvent.objects.filter(pk=a.pk).update(sequence=4)
    assert AuditEvent.objects.get(pk=a.pk).sequence == 4
    return 3, "#3 does not follow #2"


@pytest.mark.parametrize(
    "tamper", [edit_payload, edit_and_rehash, delete_middle, delete_last, swap_pair]
)
def test_tampering_is_detected_naming_the_first_bad_event(tamperable, tamper):
    t = team()
    case_in(t, CaseState.STATEMENT_DRAFTED)
    events = list(AuditEvent.objects.order_by("sequence"))
    assert len(events) >= 6
    assert audit_verify().ok

    with transaction.atomic():
        bad_sequence, named = tamper(events)

    report = audit_verify()
    assert not report.ok
    assert report.bad_sequence == bad_sequence
    assert named in report.problem
    with pytest.raises(CommandError, match=named):
        run_verify_audit()


def test_the_head_checkpoint_matches_the_chain():
    t = team()
    open_case(t)
    open_case(t)
    head = AuditHead.objects.get()
    last = AuditEvent.objects.order_by("sequence").last()
    assert (head.count, head.hash) == (last.sequence, last.hash)


# --- Content of events --------------------------------------------------------------------


def test_diff_keeps_only_changed_fields_with_old_and_new_values():
    when = dt.datetime(2025, 3, 1, 12, 30, tzinfo=ZoneInfo("Europe/Belgrade"))
    assert diff({"a": 1, "b": "x", "c": None}, {"a": 1, "b": "y", "c": when}) == {
        "b": ["x", "y"],
        "c": [None, "2025-03-01T11:30:00.000000+00:00"],
    }
    assert diff({"a": 1}, {"a": 1}) == {}


def test_an_intake_correction_records_old_and_new_values():
    t = team()
    case = open_case(t, settlement="Mamushë")
    services.case_update(user=t.secretary, case=case, settlement="Landovica", summary=case.summary)
    event = AuditEvent.objects.filter(case=case).last()
    assert event.action == AuditAction.CASE_UPDATE
    assert event.changes == {"settlement": ["Mamushë", "Landovica"]}
    assert event.actor == t.secretary
    assert audit_verify().ok


def test_no_personal_data_of_people_ever_reaches_the_audit_trail():
    t = team()
    case = open_case(
        t,
        people=[
            {
                "role": "victim",
                "name": "Ahmet Kaya",
                "contact": "+383 44 123 456",
                "notes": "Lives alone",
            },
            {"role": "reporter", "name": "Selin Demir", "contact": "selin@example.invalid"},
        ],
    )
    services.person_add(
        user=t.secretary,
        case=case,
        role="witness",
        name="Milica Jovanović",
        contact="milica.j@example.invalid",
        notes="Saw two men running",
    )
    advance(t, case, CaseState.CLOSED)

    trail = json.dumps(
        [(e.payload, e.changes, e.object_type, e.object_id) for e in AuditEvent.objects.all()],
        ensure_ascii=False,
    )
    for secret in (
        "Ahmet",
        "Kaya",
        "+383 44 123 456",
        "Lives alone",
        "Selin",
        "selin@example.invalid",
        "Milica",
        "Jovanović",
        "milica.j@example.invalid",
        "Saw two men running",
    ):
        assert secret not in trail, secret
    person_events = AuditEvent.objects.filter(case=case, action=AuditAction.PERSON_ADD)
    assert [e.payload for e in person_events] == [{"role": "witness"}]
    opened = AuditEvent.objects.get(case=case, action=AuditAction.CASE_OPEN)
    assert opened.payload["people_recorded"] == 2


# --- Request id ---------------------------------------------------------------------------


def _write_during_request(t, header: str | None):
    """A request through the real middleware whose view writes through a service."""

    def view(request):
        open_case(t)
        return HttpResponse("ok")

    headers = {"HTTP_X_REQUEST_ID": header} if header is not None else {}
    response = RequestIdMiddleware(view)(RequestFactory().post("/cases/", **headers))
    return response, AuditEvent.objects.filter(action=AuditAction.CASE_OPEN).last()


def test_an_event_written_during_a_request_carries_its_request_id():
    t = team()
    response, event = _write_during_request(t, "client-abc-12345")
    assert event.request_id == "client-abc-12345"
    assert response["X-Request-ID"] == "client-abc-12345"
    assert audit_verify().ok


def test_an_unusable_request_id_is_replaced_and_the_event_carries_the_replacement():
    t = team()
    response, event = _write_during_request(t, "<script>alert(1)</script>")
    assert event.request_id == response["X-Request-ID"]
    assert len(event.request_id) == 32
    assert "<" not in event.request_id


def test_an_event_written_outside_a_request_has_no_request_id():
    t = team()
    open_case(t)
    assert AuditEvent.objects.get(action=AuditAction.CASE_OPEN).request_id == ""


def test_a_transition_made_through_the_api_carries_the_request_id(api_client):
    t = team()
    case = open_case(t)
    api_client.force_authenticate(t.secretary)
    response = api_client.post(
        f"/api/v1/cases/{case.reference}/transitions/dismiss/",
        {"reason": "A dispute between neighbours."},
        format="json",
        HTTP_X_REQUEST_ID="api-call-0001",
    )
    assert response.status_code == 200, response.content
    assert response["X-Request-ID"] == "api-call-0001"
    event = AuditEvent.objects.get(case=case, action=AuditAction.CASE_DISMISS)
    assert event.request_id == "api-call-0001"
    assert audit_verify().ok
