"""When a step is recorded as done.

Steps are stamped with the current time, except inside ``recording_at``: demo data (and
imports of cases first kept on paper) record each step at the moment it really happened,
so deadlines and compliance figures mean the same as for live cases. Everything the step
writes as its own time carries that moment: the case's step fields (``verified_at``, ...)
and the tasks of its process (created, assigned, started, finished).

The audit trail keeps the real time of writing, whatever this says: an audit event's
``created_at`` is always the moment the row was written, so the trail never claims a write
happened before it did. An event written inside ``recording_at`` also carries the moment
the step is recorded for (``as_of``, part of its hash), which histories show as the step's
time. Outside ``recording_at`` (every live write) there is no such moment: ``as_of`` stays
empty and every time is the real one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_recorded_at: ContextVar[dt.datetime | None] = ContextVar("recorded_at", default=None)


def recorded_moment() -> dt.datetime | None:
    """The moment steps are being recorded for, or None when they happen now."""
    return _recorded_at.get()


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
