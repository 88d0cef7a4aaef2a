"""Yearly public statistics: verified incidents by category and by how far the response
went, with small counts hidden so that none can be worked out from the others.

The table has one row per category and a total row; its columns are nested steps (verified
incidents ≥ council convened ≥ statement published ≥ outreach conducted ≥ closed), so each
row's counts never grow from left to right, and each total is the sum of its column.

**The rule** (``statistics_protect``):

1. *Primary suppression.* A count of 1 or 2, in a category or in the total row, is shown as
   "fewer than 3". A 0 is shown as 0.
2. *Secondary suppression.* Someone who knows the rule knows that a "fewer than 3" is 1 or
   2, that a count not shown is at least 1, and that every shown count, total and nesting
   holds. While such a reader could still pin down the exact value of some count that is
   not shown, one more count is taken out of view (shown as "not shown"): the smallest
   shown non-zero count whose hiding lets the exposed count move, else the smallest in its
   column or row; and only when no shown count can help (a column of small counts under a
   small total) a "fewer than 3" total, or cell, is shown as "not shown" instead. Each step
   hides one more count, and with every non-zero count hidden nothing can be pinned down,
   so the rule always ends with every hidden count protected.

*Pinned down* is decided exactly. The counts consistent with what is shown are the integer
flows of a small network (per category a chain from the hub through its steps, a branch
from each step to that step's column node for the cases that stopped there, and the
column totals chained back to the hub); a hidden count can take another value if and only
if its flow can change by one along a cycle of the residual network, which a breadth-first
search finds. The bounds the reader knows are: a shown count exactly; "fewer than 3" 1 to
2; a count not shown 3 or more when it is 3 or more (the reader may guess as much), else at
least 1. ``tests/casefiles/test_statistics_suppression.py`` checks the result against a
brute-force enumeration of every consistent table.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
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
    dict of raw counts per column. What the public sees of them is ``public_table``'s job.
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


# --- What the public sees ---------------------------------------------------------------------


class Shown(StrEnum):
    EXACT = "exact"  # the number
    SMALL = "small"  # "fewer than 3": 1 or 2 (primary suppression)
    HIDDEN = "hidden"  # "not shown" (secondary suppression)


@dataclass(frozen=True)
class Cell:
    value: int
    shown: Shown

    @property
    def text(self) -> str:
        if self.shown == Shown.SMALL:
            return _("fewer than %(limit)d") % {"limit": SMALL_COUNT}
        if self.shown == Shown.HIDDEN:
            return _("not shown")
        return str(self.value)


def public_table(stats: dict[str, Any]) -> dict[str, Any]:
    """``public_statistics``' counts as the public sees them: ``rows`` (label and cells per
    category) and ``total`` (cells), every cell a ``Cell`` after ``statistics_protect``."""
    values = [[row[column] for column in STEP_COLUMNS] for row in stats["rows"]]
    total = [stats["total"][column] for column in STEP_COLUMNS]
    shown_rows, shown_total = statistics_protect(values, total)
    return {
        "rows": [
            {"label": row["label"], "cells": [Cell(v, s) for v, s in zip(vs, ss, strict=True)]}
            for row, vs, ss in zip(stats["rows"], values, shown_rows, strict=True)
        ],
        "total": [Cell(v, s) for v, s in zip(total, shown_total, strict=True)],
    }


# --- Suppression --------------------------------------------------------------------------------

Position = tuple[int, int]  # (row, column); row == number of categories is the total row
UNBOUNDED = float("inf")


def knowledge(value: int, shown: Shown) -> tuple[int, float]:
    """The bounds of a count that a reader who knows the rule can tell from what is shown."""
    if shown == Shown.EXACT:
        return value, value
    if shown == Shown.SMALL:
        return 1, SMALL_COUNT - 1
    return (SMALL_COUNT if value >= SMALL_COUNT else 1), UNBOUNDED


class _Network:
    """The table as a circulation: each edge's flow is a count (or the cases of a category
    that stopped at a step, which nobody bounds), so the tables consistent with what is
    shown are exactly the integer circulations within the known bounds."""

    def __init__(self, rows: Sequence[Sequence[int]], total: Sequence[int]):
        width = len(total)
        if any(len(row) != width for row in rows):
            raise ValueError("Every row needs one count per column.")
        for column in range(width):
            if sum(row[column] for row in rows) != total[column]:
                raise ValueError(f"Column {column} does not add up to its total.")
        self.edges: list[tuple[Hashable, Hashable, int, Position | None]] = []
        self.edge_of: dict[Position, int] = {}
        for r, row in enumerate(rows):
            self._add("hub", ("step", r, 0), row[0], (r, 0))
            for c in range(width):
                after = row[c + 1] if c + 1 < width else 0
                if row[c] < after or after < 0:
                    raise ValueError("Counts of later steps cannot exceed earlier ones.")
                if c + 1 < width:
                    self._add(("step", r, c), ("step", r, c + 1), after, (r, c + 1))
                self._add(("step", r, c), ("stopped", c), row[c] - after, None)
        for c in range(width):
            self._add(("stopped", c), ("stopped", c - 1) if c else "hub", total[c], (len(rows), c))
        self.values = {cell: self.edges[index][2] for cell, index in self.edge_of.items()}

    def _add(self, tail: Hashable, head: Hashable, flow: int, cell: Position | None) -> None:
        if cell is not None:
            self.edge_of[cell] = len(self.edges)
        self.edges.append((tail, head, flow, cell))

    def can_move(self, cell: Position, shown: dict[Position, Shown]) -> bool:
        """Can ``cell`` take another value in some table consistent with what is shown?"""
        skip = self.edge_of[cell]
        residual: dict[Hashable, list[Hashable]] = defaultdict(list)
        for index, (tail, head, flow, position) in enumerate(self.edges):
            if index == skip:
                continue
            low, high = (0, UNBOUNDED) if position is None else self._bounds(position, shown)
            if flow < high:
                residual[tail].append(head)
            if flow > low:
                residual[head].append(tail)
        tail, head, flow, _ = self.edges[skip]
        low, high = self._bounds(cell, shown)
        return (flow < high and _reaches(residual, head, tail)) or (
            flow > low and _reaches(residual, tail, head)
        )

    def _bounds(self, cell: Position, shown: dict[Position, Shown]) -> tuple[int, float]:
        return knowledge(self.values[cell], shown[cell])


def _reaches(graph: dict[Hashable, list[Hashable]], start: Hashable, goal: Hashable) -> bool:
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for neighbour in graph[node]:
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append(neighbour)
    return False


def primary_suppression(values: dict[Position, int]) -> dict[Position, Shown]:
    return {
        cell: Shown.SMALL if 0 < value < SMALL_COUNT else Shown.EXACT
        for cell, value in values.items()
    }


def _exposed(network: _Network, shown: dict[Position, Shown]) -> list[Position]:
    return [
        cell
        for cell in sorted(network.values)
        if shown[cell] != Shown.EXACT and not network.can_move(cell, shown)
    ]


def exposed_cells(
    rows: Sequence[Sequence[int]], total: Sequence[int], shown: dict[Position, Shown]
) -> list[Position]:
    """The counts not shown whose value a reader who knows the rule could pin down."""
    return _exposed(_Network(rows, total), shown)


def statistics_protect(
    rows: Sequence[Sequence[int]], total: Sequence[int]
) -> tuple[list[list[Shown]], list[Shown]]:
    """How each count is shown: primary, then secondary suppression (module docstring)."""
    network = _Network(rows, total)
    values = network.values
    total_row = len(rows)
    shown = primary_suppression(values)
    for _round in range(len(values) + 1):
        exposed = _exposed(network, shown)
        if not exposed:
            break
        target = exposed[0]
        helpers = sorted(
            (c for c in values if shown[c] == Shown.EXACT and values[c] > 0),
            key=lambda c: (values[c], c[0] == total_row, c),
        )
        relabels = sorted(
            (c for c in values if shown[c] == Shown.SMALL),
            key=lambda c: (c == target, c[0] != total_row, values[c], c),
        )
        candidates = helpers + relabels
        chosen = next(
            (c for c in candidates if network.can_move(target, {**shown, c: Shown.HIDDEN})),
            None,
        )
        if chosen is None:
            related = [c for c in helpers if c[1] == target[1]] or [
                c for c in helpers if c[0] == target[0]
            ]
            chosen = (related or candidates)[0]
        shown[chosen] = Shown.HIDDEN
    else:  # pragma: no cover - every round hides one more count, see the module docstring
        raise AssertionError("suppression did not converge")
    width = len(total)
    return (
        [[shown[(r, c)] for c in range(width)] for r in range(total_row)],
        [shown[(total_row, c)] for c in range(width)],
    )
