"""When each step of a case is due, from the project defaults or the municipality's policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from casefiles.models import Case, CaseState
from workflows.models import DeadlinePolicy

STEP_LABELS = {
    "verify": _("Verify the incident"),
    "convene": _("Convene the council"),
    "publish": _("Publish the statement"),
    "outreach": _("Reach out to the community"),
    "follow_up": _("Review follow-up"),
}

# The step a case waits for in each state, and the timestamp its deadline counts from.
STATE_STEP: dict[str, tuple[str, str]] = {
    CaseState.REPORTED: ("verify", "reported_at"),
    CaseState.VERIFIED: ("convene", "verified_at"),
    CaseState.COUNCIL_CONVENED: ("publish", "convened_at"),
    CaseState.STATEMENT_DRAFTED: ("publish", "convened_at"),
    CaseState.STATEMENT_APPROVED: ("publish", "convened_at"),
    CaseState.STATEMENT_PUBLISHED: ("outreach", "published_at"),
    CaseState.OUTREACH_CONDUCTED: ("follow_up", "outreach_at"),
    CaseState.FOLLOW_UP: ("follow_up", "outreach_at"),
}


def deadline_days(case: Case) -> dict[str, int]:
    """The days per step for the case's municipality (uses a prefetched policy if any)."""
    days = dict(settings.MCSC_DEADLINE_DAYS)
    try:
        policy = case.municipality.deadline_policy
    except DeadlinePolicy.DoesNotExist:
        policy = None
    if policy is not None:
        for step in days:
            value = getattr(policy, f"{step}_days")
            if value:
                days[step] = value
    return days


@dataclass(frozen=True)
class Due:
    step: str
    due_at: dt.datetime
    period: dt.timedelta

    @property
    def label(self):
        return STEP_LABELS[self.step]


def case_due(case: Case) -> Due | None:
    """The step the case waits for and when it is due; None when nothing is due."""
    if case.state not in STATE_STEP:
        return None
    step, start_field = STATE_STEP[case.state]
    start = getattr(case, start_field) or case.state_changed_at
    period = dt.timedelta(days=deadline_days(case)[step])
    return Due(step=step, due_at=start + period, period=period)


# The five steps with a deadline: the timestamp that starts the clock and the one that
# stops it.
TIMELINE = [
    ("verify", "reported_at", "verified_at"),
    ("convene", "verified_at", "convened_at"),
    ("publish", "convened_at", "published_at"),
    ("outreach", "published_at", "outreach_at"),
    ("follow_up", "outreach_at", "closed_at"),
]


@dataclass(frozen=True)
class StepTiming:
    step: str
    label: str
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    now: dt.datetime

    @property
    def late(self) -> bool:
        if self.due_at is None:
            return False
        end = self.done_at or self.now
        return end > self.due_at

    @property
    def status(self) -> str:
        if self.done_at:
            return "late" if self.late else "on_time"
        if self.started_at is None:
            return "pending"
        return "overdue" if self.late else "open"


def case_timeline(case: Case, *, now: dt.datetime) -> list[StepTiming]:
    """Each step's start, deadline and completion, for the timeline on the case page."""
    days = deadline_days(case)
    dismissed = case.state == CaseState.DISMISSED
    rows = []
    for step, start_field, done_field in TIMELINE:
        started = getattr(case, start_field)
        done = getattr(case, done_field)
        if step == "verify" and dismissed:
            done = case.dismissed_at
        if dismissed and step != "verify":
            started = done = None
        rows.append(
            StepTiming(
                step=step,
                label=str(STEP_LABELS[step]),
                started_at=started,
                due_at=started + dt.timedelta(days=days[step]) if started else None,
                done_at=done,
                now=now,
            )
        )
    return rows
