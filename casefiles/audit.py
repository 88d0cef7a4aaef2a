"""The append-only, hash-chained audit trail.

Each event stores SHA-256 over its canonical content, which includes the previous event's
hash. Appends lock the single ``AuditHead`` row, so concurrent writers queue up and the
chain never forks. On PostgreSQL a trigger also refuses UPDATE, DELETE and TRUNCATE.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from casefiles.models import AuditAction, AuditEvent, AuditHead
from config.middleware import current_request_id

GENESIS_HASH = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def jsonable(value: Any) -> Any:
    """``value`` as it will come back from a JSON column, so hashing is stable."""
    return json.loads(json.dumps(value, default=_default))


def canonical_content(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "created_at": _default(event.created_at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "municipality_id": event.municipality_id,
        "case_id": event.case_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "changes": event.changes,
        "payload": event.payload,
        "request_id": event.request_id,
        "previous_hash": event.previous_hash,
    }


def event_hash(event: AuditEvent) -> str:
    encoded = json.dumps(
        canonical_content(event), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value changed."""
    changed = {}
    for key in sorted(set(before) | set(after)):
        old, new = jsonable(before.get(key)), jsonable(after.get(key))
        if old != new:
            changed[key] = [old, new]
    return changed


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _lock_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(singleton=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@transaction.atomic
def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    case: Any = None,
    municipality: Any = None,
    obj: models.Model | None = None,
    from_state: str = "",
    to_state: str = "",
    changes: Mapping[str, Any] | None = None,
    payload: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event, in the caller's transaction, chained to the one before."""
    head = _lock_head()
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if municipality is None and case is not None:
        municipality = case.municipality_id
    event = AuditEvent(
        sequence=head.count + 1,
        created_at=timezone.now(),
        actor=actor_obj,
        actor_name=actor_obj.get_username() if actor_obj else "system",
        action=AuditAction(action),
        municipality_id=municipality.pk if isinstance(municipality, models.Model) else municipality,
        case=case,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        from_state=from_state or "",
        to_state=to_state or "",
        changes=jsonable(dict(changes or {})),
        payload=jsonable(dict(payload or {})),
        request_id=current_request_id.get(),
        previous_hash=head.hash,
    )
    event.hash = event_hash(event)
    event.save(force_insert=True)
    head.count = event.sequence
    head.hash = event.hash
    head.save(update_fields=["count", "hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    count: int
    head_hash: str
    problem: str = ""
    bad_sequence: int | None = None


def audit_verify(events: Iterable[AuditEvent] | None = None) -> ChainReport:
    """Walk the chain from the first event and name the first one that breaks it."""
    if events is None:
        events = AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000)
    expected_sequence, previous, count = 1, GENESIS_HASH, 0
    for event in events:
        if event.sequence != expected_sequence:
            return ChainReport(
                False,
                count,
                previous,
                f"event #{expected_sequence} is missing (next found is #{event.sequence})",
                expected_sequence,
            )
        if event.previous_hash != previous:
            return ChainReport(
                False,
                count,
                previous,
                f"event #{event.sequence} does not follow #{event.sequence - 1} "
                "(its previous hash differs: reordered or replaced)",
                event.sequence,
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                False,
                count,
                previous,
                f"event #{event.sequence} was altered (its content no longer matches its hash)",
                event.sequence,
            )
        previous, count, expected_sequence = event.hash, count + 1, expected_sequence + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.count, head.hash) != (count, previous):
        return ChainReport(
            False,
            count,
            previous,
            f"the chain ends at #{count} but {head.count} events were written "
            "(events after the last one were removed)",
            count + 1,
        )
    return ChainReport(True, count, previous)


# --- Checkpoints --------------------------------------------------------------------------
# A checkpoint is the chain's length and head hash at one moment. Whoever keeps one (a
# monitor, outside this system) can later check that the chain of today still *extends* it:
# event #count still exists with exactly that hash, and every event up to now verifies.
# Rewriting history, even with every hash recomputed, then no longer goes unnoticed. The
# chain is global, so a checkpoint covers every municipality; it reveals no content.

_HEX64 = frozenset("0123456789abcdef")


def audit_checkpoint() -> dict[str, Any]:
    """``{count, head_hash, time}`` of the chain as it stands (the head row, no walk)."""
    head = AuditHead.objects.filter(pk=1).first()
    count, head_hash = (head.count, head.hash) if head is not None else (0, GENESIS_HASH)
    return {
        "count": count,
        "head_hash": head_hash,
        "time": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
    }


@transaction.atomic
def audit_checkpoint_record(*, actor: Any, via: str) -> dict[str, Any]:
    """Take a checkpoint for ``actor`` and write that it was taken.

    The head is locked first, so the checkpoint describes the chain exactly *before* the
    ``audit.checkpoint`` event, which is #count + 1 and names the checkpoint it handed out.
    """
    _lock_head()
    checkpoint = audit_checkpoint()
    audit_record(
        actor=actor,
        action=AuditAction.AUDIT_CHECKPOINT,
        payload={"count": checkpoint["count"], "head_hash": checkpoint["head_hash"], "via": via},
    )
    return checkpoint


def checkpoint_clean(data: Any) -> dict[str, Any]:
    """The checkpoint in ``data`` (a mapping or JSON text); ValueError naming what is wrong."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise ValueError(f"the checkpoint is not JSON ({exc})") from None
    if not isinstance(data, Mapping):
        raise ValueError("the checkpoint must be a JSON object with count and head_hash")
    count, head_hash = data.get("count"), data.get("head_hash")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError("the checkpoint's count must be a whole number, 0 or more")
    if not isinstance(head_hash, str) or len(head_hash) != 64 or not set(head_hash) <= _HEX64:
        raise ValueError("the checkpoint's head_hash must be 64 lowercase hexadecimal digits")
    if count == 0 and head_hash != GENESIS_HASH:
        raise ValueError("a checkpoint of an empty chain has the genesis hash (64 zeros)")
    time = data.get("time")
    return {"count": count, "head_hash": head_hash, "time": time if isinstance(time, str) else ""}


def audit_verify_checkpoint(checkpoint: Any) -> ChainReport:
    """Does the chain of today still extend ``checkpoint``?

    It does when the whole chain verifies, has at least ``count`` events, and event #count
    still has exactly ``head_hash``. The report's ``count`` and ``head_hash`` are today's;
    its ``problem`` names the first reason it does not. Raises ValueError for a malformed
    checkpoint.
    """
    checkpoint = checkpoint_clean(checkpoint)
    count, head_hash = checkpoint["count"], checkpoint["head_hash"]
    seen: dict[str, str] = {}

    def events() -> Iterable[AuditEvent]:
        for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
            if event.sequence == count:
                seen["hash"] = event.hash
            yield event

    report = audit_verify(events())
    if not report.ok:
        where = (
            f"within the checkpoint's {count} events"
            if report.bad_sequence is not None and report.bad_sequence <= count
            else "after the checkpoint"
        )
        return ChainReport(
            False, report.count, report.head_hash, f"{report.problem}, {where}", report.bad_sequence
        )
    if report.count < count:
        return ChainReport(
            False,
            report.count,
            report.head_hash,
            f"the checkpoint names {count} events but the chain now has only {report.count} "
            "(events were removed)",
            report.count + 1,
        )
    found = seen.get("hash", GENESIS_HASH if count == 0 else "")
    if found != head_hash:
        return ChainReport(
            False,
            report.count,
            report.head_hash,
            f"event #{count} now has hash {found}, not the checkpoint's {head_hash}: the chain "
            f"was rewritten at or before event #{count}",
            count,
        )
    return ChainReport(True, report.count, report.head_hash)
