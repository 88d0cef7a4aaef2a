"""When a step is recorded as done.

Steps are stamped with the current time, except inside ``recording_at``: demo data (and
imports of cases first kept on paper) record each step at the moment it really happened,
so deadlines and compliance figures mean the same as for live cases. The audit trail keeps
the real time of writing, whatever this says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_recorded_at: ContextVar[dt.datetime | None] = ContextVar("recorded_at", default=None)


def step_time() -> dt.datetime:
    """The time to stamp on a step being recorded now."""
    moment = _recorded_at.get()
    return moment if moment is not None else timezone.now()


@contextmanager
def recording_at(moment: dt.datetime) -> Iterator[None]:
    """Record the steps done inside this block as done at ``moment`` (never in the future)."""
    if moment > timezone.now():
        raise ValueError("A step cannot be recorded as done in the future.")
    token = _recorded_at.set(moment)
    try:
        yield
    finally:
        _recorded_at.reset(token)
