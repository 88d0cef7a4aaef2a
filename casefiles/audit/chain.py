"""The append-only, hash-chained audit trail: how an event is written and hashed.

Each event stores SHA-256 over its canonical content, which includes the previous event's
hash. ``created_at`` is always the real time of writing; a step recorded for an earlier
moment (``casefiles.clock.recording_at``) also carries that moment in ``as_of``. Appends
lock the single ``AuditHead`` row, so concurrent writers queue up and the chain never
forks. On PostgreSQL a trigger also refuses UPDATE, DELETE and TRUNCATE.

Every service of every app records its one event per change through ``audit_record``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from casefiles.clock import recorded_moment
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
    content = {
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
    # Only events recorded for an earlier moment carry it, so the hashes of every event
    # written before the field existed (and of every live write) stay as they were.
    if event.as_of is not None:
        content["as_of"] = _default(event.as_of)
    return content


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


def lock_head() -> AuditHead:
    """Lock the chain's head row: appends and checkpoints queue behind it."""
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
    head = lock_head()
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if municipality is None and case is not None:
        municipality = case.municipality_id
    event = AuditEvent(
        sequence=head.count + 1,
        created_at=timezone.now(),
        as_of=recorded_moment(),
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
