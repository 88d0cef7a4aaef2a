"""Audit checkpoints: a monitor keeps (count, head hash) and later checks that the chain
still extends it, on the page, through the API and with ``verify_audit --checkpoint``."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from casefiles.audit.chain import GENESIS_HASH, event_hash
from casefiles.audit.checkpoints import audit_checkpoint, audit_verify_checkpoint, checkpoint_clean
from casefiles.audit.verification import audit_verify
from casefiles.models import AuditAction, AuditEvent, AuditHead, CaseState
from mcsc.models import Role
from tests.casefiles.builders import case_in, open_case, team
from tests.casefiles.test_api import token_client
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tamperable():
    """Rows an intruder with the table owner's rights could change (see test_audit)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE casefiles_auditevent "
                "DISABLE TRIGGER casefiles_auditevent_no_update_delete"
            )


def verify_command(path) -> str:
    out = io.StringIO()
    call_command("verify_audit", checkpoint=str(path), stdout=out)
    return out.getvalue()


def write(tmp_path, checkpoint) -> str:
    path = tmp_path / "checkpoint.json"
    path.write_text(json.dumps(checkpoint), encoding="utf-8")
    return path


def rewrite_from(sequence: int) -> None:
    """What a careful intruder does: change event #sequence and recompute every hash after
    it, and the head, so the chain on its own verifies again."""
    previous = AuditEvent.objects.get(sequence=sequence - 1).hash if sequence > 1 else GENESIS_HASH
    with transaction.atomic():
        for event in AuditEvent.objects.filter(sequence__gte=sequence).order_by("sequence"):
            if event.sequence == sequence:
                event.payload = {**event.payload, "reference": "PZ-2026-9999"}
            event.previous_hash = previous
            event.hash = event_hash(event)
            AuditEvent.objects.filter(pk=event.pk).update(
                payload=event.payload, previous_hash=event.previous_hash, hash=event.hash
            )
            previous = event.hash
        AuditHead.objects.filter(pk=1).update(hash=previous)


# --- The functions ------------------------------------------------------------------------


def test_a_checkpoint_of_an_empty_chain_is_the_genesis_and_verifies():
    checkpoint = audit_checkpoint()
    assert (checkpoint["count"], checkpoint["head_hash"]) == (0, GENESIS_HASH)
    assert checkpoint["time"].endswith("+00:00")
    assert audit_verify_checkpoint(checkpoint).ok


def test_the_chain_extends_an_earlier_checkpoint():
    t = team()
    open_case(t)
    checkpoint = audit_checkpoint()
    last = AuditEvent.objects.order_by("sequence").last()
    assert (checkpoint["count"], checkpoint["head_hash"]) == (last.sequence, last.hash)

    case_in(t, CaseState.STATEMENT_DRAFTED)
    report = audit_verify_checkpoint(checkpoint)
    assert report.ok, report.problem
    assert report.count == AuditEvent.objects.count() > checkpoint["count"]
    # A checkpoint of now verifies too, and so does one from the very start.
    assert audit_verify_checkpoint(audit_checkpoint()).ok
    assert audit_verify_checkpoint({"count": 0, "head_hash": GENESIS_HASH}).ok


def test_an_altered_event_within_the_checkpoint_is_named(tamperable):
    t = team()
    case_in(t, CaseState.VERIFIED)
    checkpoint = audit_checkpoint()
    AuditEvent.objects.filter(sequence=2).update(payload={"reference": "PZ-2026-9999"})
    report = audit_verify_checkpoint(checkpoint)
    assert not report.ok
    assert report.bad_sequence == 2
    assert "event #2 was altered" in report.problem
    assert f"within the checkpoint's {checkpoint['count']} events" in report.problem


def test_a_rewritten_chain_that_verifies_on_its_own_does_not_extend_the_checkpoint(tamperable):
    t = team()
    case_in(t, CaseState.COUNCIL_CONVENED)
    checkpoint = audit_checkpoint()
    open_case(t)
    rewrite_from(3)
    assert audit_verify().ok  # the chain alone cannot tell ...
    report = audit_verify_checkpoint(checkpoint)  # ... the checkpoint can
    assert not report.ok
    assert report.bad_sequence == checkpoint["count"]
    assert f"event #{checkpoint['count']} now has hash" in report.problem
    assert checkpoint["head_hash"] in report.problem
    assert "rewritten" in report.problem


def test_a_rewrite_after_the_checkpoint_is_outside_what_it_covers(tamperable):
    t = team()
    open_case(t)
    checkpoint = audit_checkpoint()
    open_case(t)
    rewrite_from(checkpoint["count"] + 1)
    assert audit_verify_checkpoint(checkpoint).ok


def test_removed_events_are_named(tamperable):
    t = team()
    case_in(t, CaseState.COUNCIL_CONVENED)
    checkpoint = audit_checkpoint()
    count = checkpoint["count"]
    # Remove the last two events and move the head back, so the shorter chain verifies.
    AuditEvent.objects.filter(sequence__gt=count - 2).delete()
    last = AuditEvent.objects.order_by("sequence").last()
    AuditHead.objects.filter(pk=1).update(count=last.sequence, hash=last.hash)
    assert audit_verify().ok
    report = audit_verify_checkpoint(checkpoint)
    assert not report.ok
    assert f"names {count} events but the chain now has only {count - 2}" in report.problem


def test_a_head_hash_that_differs_is_named():
    open_case(team())
    checkpoint = {**audit_checkpoint(), "head_hash": "a" * 64}
    report = audit_verify_checkpoint(checkpoint)
    assert not report.ok
    assert f"not the checkpoint's {'a' * 64}" in report.problem


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{", "not JSON"),
        ("[]", "JSON object"),
        ({"count": -1, "head_hash": GENESIS_HASH}, "whole number"),
        ({"count": "3", "head_hash": GENESIS_HASH}, "whole number"),
        ({"count": True, "head_hash": GENESIS_HASH}, "whole number"),
        ({"count": 3, "head_hash": "xyz"}, "64 lowercase hexadecimal"),
        ({"count": 3}, "64 lowercase hexadecimal"),
        ({"count": 0, "head_hash": "a" * 64}, "genesis"),
    ],
)
def test_a_malformed_checkpoint_is_refused_naming_why(data, message):
    with pytest.raises(ValueError, match=message):
        checkpoint_clean(data)
    with pytest.raises(ValueError, match=message):
        audit_verify_checkpoint(data)


# --- The command --------------------------------------------------------------------------


def test_the_command_says_the_chain_extends_the_checkpoint(tmp_path):
    t = team()
    open_case(t)
    checkpoint = audit_checkpoint()
    open_case(t)
    output = verify_command(write(tmp_path, checkpoint))
    now = AuditEvent.objects.count()
    assert f"{checkpoint['count']} events then, {now} now" in output


def test_the_command_exits_non_zero_naming_the_reason(tmp_path, tamperable):
    t = team()
    case_in(t, CaseState.VERIFIED)
    path = write(tmp_path, audit_checkpoint())
    AuditEvent.objects.filter(sequence=2).update(payload={"reference": "PZ-2026-9999"})
    with pytest.raises(CommandError, match=r"does not extend the checkpoint.*#2 was altered"):
        verify_command(path)


def test_the_command_refuses_a_bad_or_missing_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"count": 1}', encoding="utf-8")
    with pytest.raises(CommandError, match=r"is not valid: .*head_hash"):
        verify_command(bad)
    with pytest.raises(CommandError, match="Cannot read the checkpoint file"):
        verify_command(tmp_path / "missing.json")


# --- Page and API -------------------------------------------------------------------------


def test_downloading_a_checkpoint_describes_the_chain_before_recording_the_download(client):
    t = team()
    open_case(t)
    monitor = user_with_role(Role.MONITOR, region_code="gjilan")
    client.force_login(monitor)
    before = AuditHead.objects.get()
    response = client.post(reverse("audit:checkpoint_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    checkpoint = json.loads(response.content)
    assert set(checkpoint) == {"count", "head_hash", "time"}
    assert (checkpoint["count"], checkpoint["head_hash"]) == (before.count, before.hash)
    # The download is the next event, chained right after the checkpoint it handed out.
    event = AuditEvent.objects.get(sequence=before.count + 1)
    assert event.action == AuditAction.AUDIT_CHECKPOINT
    assert event.actor == monitor and event.municipality is None
    assert event.previous_hash == checkpoint["head_hash"]
    assert event.payload == {
        "count": checkpoint["count"],
        "head_hash": checkpoint["head_hash"],
        "via": "page",
    }
    assert audit_verify_checkpoint(checkpoint).ok


def test_the_page_checks_an_uploaded_or_pasted_checkpoint(client, tamperable):
    t = team()
    case_in(t, CaseState.VERIFIED)
    client.force_login(user_with_role(Role.MONITOR))
    checkpoint = json.loads(client.post(reverse("audit:checkpoint_download")).content)
    open_case(t)
    now = AuditEvent.objects.count()

    upload = io.BytesIO(json.dumps(checkpoint).encode())
    upload.name = "checkpoint.json"
    response = client.post(reverse("audit:checkpoint"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "The chain still extends this checkpoint" in page
    assert f"{checkpoint['count']} events then, {now} now." in page

    AuditEvent.objects.filter(sequence=2).update(payload={"reference": "PZ-2026-9999"})
    response = client.post(reverse("audit:checkpoint"), {"text": json.dumps(checkpoint)})
    page = response.content.decode()
    assert "The chain does not extend this checkpoint" in page
    assert "event #2 was altered" in page

    response = client.post(reverse("audit:checkpoint"), {"text": '{"count": "many"}'})
    assert response.status_code == 400
    assert "This is not a valid checkpoint" in response.content.decode()
    response = client.post(reverse("audit:checkpoint"), {})
    assert response.status_code == 400
    assert "Choose a checkpoint file or paste one." in response.content.decode()


def test_the_page_says_that_a_checkpoint_covers_the_whole_chain(client):
    client.force_login(user_with_role(Role.MONITOR, region_code="gjilan"))
    page = client.get(reverse("audit:checkpoint")).content.decode()
    assert "covers the whole trail, whatever your scope" in page
    assert "manage.py verify_audit --checkpoint FILE" in page


def test_the_api_hands_out_a_checkpoint_and_records_it():
    open_case(team())
    api = token_client(user_with_role(Role.MONITOR))
    before = AuditHead.objects.get()
    response = api.post("/api/v1/audit/checkpoint/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "head_hash", "time"}
    assert (body["count"], body["head_hash"]) == (before.count, before.hash)
    event = AuditEvent.objects.get(sequence=before.count + 1)
    assert (event.action, event.payload["via"]) == (AuditAction.AUDIT_CHECKPOINT, "api")


def test_only_users_with_the_audit_right_take_checkpoints(client):
    member = user_with_role(Role.MEMBER, "prizren")
    assert token_client(member).post("/api/v1/audit/checkpoint/").status_code == 403
    client.force_login(member)
    assert client.post(reverse("audit:checkpoint_download")).status_code == 403
    assert client.get(reverse("audit:checkpoint")).status_code == 403
    client.logout()
    response = client.post(reverse("audit:checkpoint_download"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_CHECKPOINT).exists()


def test_reading_the_checkpoint_addresses_with_get_takes_no_checkpoint(client):
    """The finding: ``GET /audit/checkpoint.json`` appended an audit event. Taking a
    checkpoint is a POST (the page's button, the API); a GET changes nothing."""
    open_case(team())
    monitor = user_with_role(Role.MONITOR)
    client.force_login(monitor)
    api = token_client(monitor)
    # Role assignments, sign-ins and tokens are audit events too: count from here.
    before = list(AuditEvent.objects.values_list("sequence", flat=True))

    response = client.get(reverse("audit:checkpoint_download"))
    assert response.status_code == 302
    assert response["Location"] == reverse("audit:checkpoint")
    assert api.get("/api/v1/audit/checkpoint/").status_code == 405
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == before

    page = client.get(reverse("audit:checkpoint")).content.decode()
    action = f'<form method="post" action="{reverse("audit:checkpoint_download")}"'
    assert action in page and "csrfmiddlewaretoken" in page
    assert list(AuditEvent.objects.values_list("sequence", flat=True)) == before
