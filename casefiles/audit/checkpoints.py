"""Checkpoints: the chain's head, signed off by a monitor, that a later copy of the trail
must still contain. Written by the audit page and the API, read back by ``verify_audit
--checkpoint``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casefiles.audit.chain import GENESIS_HASH, audit_record, lock_head
from casefiles.audit.verification import ChainReport, audit_verify
from casefiles.models import AuditAction, AuditEvent, AuditHead
from mcsc.inputs import MAX_JSON_DEPTH, JSONTooDeep, json_loads

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
    lock_head()
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
            data = json_loads(data)
        except JSONTooDeep:
            raise ValueError(
                _("the checkpoint's JSON nests too deeply (at most %(depth)d levels)")
                % {"depth": MAX_JSON_DEPTH}
            ) from None
        except ValueError as exc:
            raise ValueError(_("the checkpoint is not JSON (%(error)s)") % {"error": exc}) from None
    if not isinstance(data, Mapping):
        raise ValueError(_("the checkpoint must be a JSON object with count and head_hash"))
    count, head_hash = data.get("count"), data.get("head_hash")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(_("the checkpoint's count must be a whole number, 0 or more"))
    if not isinstance(head_hash, str) or len(head_hash) != 64 or not set(head_hash) <= _HEX64:
        raise ValueError(_("the checkpoint's head_hash must be 64 lowercase hexadecimal digits"))
    if count == 0 and head_hash != GENESIS_HASH:
        raise ValueError(_("a checkpoint of an empty chain has the genesis hash (64 zeros)"))
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
