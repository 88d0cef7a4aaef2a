"""Yearly public statistics: verified incidents by category and by how far the response
went, with small counts hidden."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casefiles.models import (
    Case,
    CaseState,
    Category,
)
from casefiles.public.statements import PUBLIC_STATES
from mcsc.models import Municipality

FIRST_YEAR = 2000  # statistics pages exist from this year to the current one
SMALL_COUNT = 3  # counts below this are shown as "fewer than 3"


def _incident_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))  # local midnight
    end = timezone.make_aware(dt.datetime(year + 1, 1, 1))
    return start, end


def _counted_cases(municipality: Municipality) -> QuerySet[Case]:
    """The incidents statistics count: verified ones, never dismissed or unverified."""
    return Case.objects.filter(municipality=municipality, verified_at__isnull=False).exclude(
        state__in=[CaseState.DISMISSED, CaseState.REPORTED]
    )


def statistics_years(municipality: Municipality) -> list[int]:
    """Years with counted incidents, and the current year, newest first."""
    years = {d.year for d in _counted_cases(municipality).dates("occurred_at", "year")}
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# How far the response went, each step with the states that mean it was done.
STEP_STATES: dict[str, tuple[str, ...]] = {
    "convened": (
        CaseState.COUNCIL_CONVENED,
        CaseState.STATEMENT_DRAFTED,
        CaseState.STATEMENT_APPROVED,
        *PUBLIC_STATES,
    ),
    "published": PUBLIC_STATES,
    "outreach": (CaseState.OUTREACH_CONDUCTED, CaseState.FOLLOW_UP, CaseState.CLOSED),
    "closed": (CaseState.CLOSED,),
}
STEP_COLUMNS = ["incidents", *STEP_STATES]
COLUMN_LABELS = {
    "incidents": gettext_lazy("Verified incidents"),
    "convened": gettext_lazy("Council convened"),
    "published": gettext_lazy("Statement published"),
    "outreach": gettext_lazy("Outreach conducted"),
    "closed": gettext_lazy("Closed after follow-up"),
}


def public_statistics(*, municipality: Municipality, year: int) -> dict[str, Any]:
    """Counts of verified incidents of ``year`` by category and step reached (one query).

    ``rows``: one per category (every category, zeros included), then ``total``; each a
    dict of raw counts per column. Suppression for display is ``display_count``'s job.
    """
    start, end = _incident_year_bounds(year)
    counts = (
        _counted_cases(municipality)
        .filter(occurred_at__gte=start, occurred_at__lt=end)
        .values("category")
        .annotate(
            incidents=Count("id"),
            **{
                step: Count("id", filter=Q(state__in=states))
                for step, states in STEP_STATES.items()
            },
        )
        .order_by()
    )
    by_category = {row["category"]: row for row in counts}
    rows = []
    for category in Category:
        found = by_category.get(category.value, {})
        rows.append(
            {"label": category.label, **{column: found.get(column, 0) for column in STEP_COLUMNS}}
        )
    total = {column: sum(row[column] for row in rows) for column in STEP_COLUMNS}
    return {"rows": rows, "total": total}


def display_count(value: int) -> str:
    """A count as the public sees it: 0 as 0, 1 and 2 as "fewer than 3", then the number."""
    if 0 < value < SMALL_COUNT:
        return _("fewer than %(limit)d") % {"limit": SMALL_COUNT}
    return str(value)
