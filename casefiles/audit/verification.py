"""Walking the chain: recompute every hash and name the first event that does not fit.

Called by ``verify_audit``, the audit page and the checkpoint comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from casefiles.audit.chain import GENESIS_HASH, event_hash
from casefiles.models import AuditEvent, AuditHead


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
