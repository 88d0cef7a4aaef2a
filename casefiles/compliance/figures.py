"""The figures of the compliance report as SQL: the five steps, when each is done, late,
on time or expected, and one registry (``figure_q``) that both counts a figure and drills
down to exactly the cases it counted. Used by ``report`` and by the case list's filter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import (
    DateField,
    DateTimeField,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, TruncDate
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casefiles.models import (
    OPEN_STATES,
    Case,
    CaseState,
    OutreachActivity,
    Statement,
    StatementStatus,
    Translation,
    TranslationStatus,
)
from mcsc.models import (
    Attendance,
    AttendanceStatus,
    Language,
)

# --- Steps and weights ----------------------------------------------------------------

STEPS = ["verify", "convene", "publish", "outreach", "follow_up"]
STEP_NAMES = {
    "verify": gettext_lazy("Verification"),
    "convene": gettext_lazy("Council convened"),
    "publish": gettext_lazy("Statement published"),
    "outreach": gettext_lazy("Outreach"),
    "follow_up": gettext_lazy("Follow-up closed"),
}
COMPLETENESS_WEIGHT = 0.6
TIMELINESS_WEIGHT = 0.4
PERCENTILES = (0.5, 0.9)

_AFTER_VERIFY = [
    CaseState.VERIFIED,
    CaseState.COUNCIL_CONVENED,
    CaseState.STATEMENT_DRAFTED,
    CaseState.STATEMENT_APPROVED,
    CaseState.STATEMENT_PUBLISHED,
    CaseState.OUTREACH_CONDUCTED,
    CaseState.FOLLOW_UP,
    CaseState.CLOSED,
]
# The states in which the step has been done (the path only moves forward; a rejected
# draft returns to "council convened" and a reopened case to "follow-up").
REACHED: dict[str, list[str]] = {
    "verify": _AFTER_VERIFY,
    "convene": _AFTER_VERIFY[1:],
    "publish": _AFTER_VERIFY[4:],
    "outreach": _AFTER_VERIFY[5:],
    "follow_up": [CaseState.CLOSED],
}
# The states in which the case waits for the step (workflows.deadlines.STATE_STEP).
WAITING: dict[str, list[str]] = {
    "verify": [CaseState.REPORTED],
    "convene": [CaseState.VERIFIED],
    "publish": [
        CaseState.COUNCIL_CONVENED,
        CaseState.STATEMENT_DRAFTED,
        CaseState.STATEMENT_APPROVED,
    ],
    "outreach": [CaseState.STATEMENT_PUBLISHED],
    "follow_up": [CaseState.OUTREACH_CONDUCTED, CaseState.FOLLOW_UP],
}
# Where each step's stacked-bar segment ends: the furthest step a case reached.
STAGES: list[tuple[str, Any, list[str]]] = [
    ("awaiting", gettext_lazy("Awaiting verification"), [CaseState.REPORTED]),
    ("dismissed", gettext_lazy("Dismissed"), [CaseState.DISMISSED]),
    ("stage_verified", gettext_lazy("Verified only"), [CaseState.VERIFIED]),
    ("stage_convened", gettext_lazy("Council convened"), WAITING["publish"]),
    ("stage_published", gettext_lazy("Statement published"), [CaseState.STATEMENT_PUBLISHED]),
    ("stage_outreach", gettext_lazy("Outreach done"), WAITING["follow_up"]),
    ("closed", gettext_lazy("Closed"), [CaseState.CLOSED]),
]
# Days from incident to publication: [low, high) bins for the distribution chart.
STATEMENT_BINS: list[tuple[float, float | None]] = [
    (0, 1),
    (1, 2),
    (2, 3),
    (3, 5),
    (5, 7),
    (7, 14),
    (14, 30),
    (30, None),
]


# --- SQL building blocks --------------------------------------------------------------


class DaysBetween(Func):
    """``end - start`` in days (float), for two datetimes or two dates; NULL if either is.

    PostgreSQL: both sides cast to ``timestamp`` (the connection runs in UTC, so
    ``timestamptz`` keeps its instant and a date becomes its midnight), the interval's
    seconds by ``date_part`` divided by 86,400. SQLite: the
    difference of ``julianday()`` of Django's ISO text values.
    """

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):  # pragma: no cover - per vendor
        raise NotSupportedError(f"DaysBetween needs PostgreSQL or SQLite, not {connection.vendor}.")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            # date_part (double precision), not EXTRACT (numeric since PostgreSQL 14, slow).
            template="(date_part('epoch', (%(expressions)s)::timestamp) / 86400.0)",
            arg_joiner=")::timestamp - (",
            **extra_context,
        )


def _deadline_days(step: str):
    """The step's deadline in days for the case's municipality (policy, else default)."""
    return Coalesce(
        NullIf(F(f"municipality__deadline_policy__{step}_days"), Value(0)),
        Value(int(settings.MCSC_DEADLINE_DAYS[step])),
        output_field=IntegerField(),
    )


def _cumulative_days(step: str):
    """Days from the report by which the step is expected: the deadlines up to it."""
    total = None
    for name in STEPS[: STEPS.index(step) + 1]:
        total = _deadline_days(name) if total is None else total + _deadline_days(name)
    return total


def first_outreach_on():
    return Coalesce(
        Subquery(
            OutreachActivity.objects.filter(case=OuterRef("pk"))
            .order_by("held_on")
            .values("held_on")[:1]
        ),
        TruncDate("outreach_at"),
        output_field=DateField(),
    )


def _done_at(step: str):
    return {
        "verify": lambda: Coalesce("verified_at", "dismissed_at", output_field=DateTimeField()),
        "convene": lambda: F("convened_meeting__starts_at"),
        "publish": lambda: F("published_at"),
        "outreach": first_outreach_on,
        "follow_up": lambda: F("closed_at"),
    }[step]()


def _clock_start(step: str):
    """Where the step's deadline counts from (the case's own ``due_at`` rule)."""
    return {
        "verify": lambda: F("reported_at"),
        "convene": lambda: F("verified_at"),
        "publish": lambda: F("convened_at"),
        "outreach": lambda: TruncDate("published_at"),
        "follow_up": lambda: F("outreach_at"),
    }[step]()


def _incident(step: str):
    return TruncDate("occurred_at") if step == "outreach" else F("occurred_at")


def incident_days(step: str):
    """Days from the incident to the step (NULL while the step is not done)."""
    return DaysBetween(_done_at(step), _incident(step))


def _step_days(step: str):
    return DaysBetween(_done_at(step), _clock_start(step))


def done_q(step: str) -> Q:
    if step == "verify":
        return Q(state__in=REACHED["verify"]) | Q(state=CaseState.DISMISSED)
    return Q(state__in=REACHED[step])


def _within(within: QuerySet[Case] | None) -> QuerySet[Case]:
    return (within if within is not None else Case.objects.all()).order_by()


def _ids(within: QuerySet[Case] | None, *conditions) -> Q:
    """``pk IN (the cases of within meeting conditions)``.

    The figures that need other tables are written this way rather than as correlated
    subqueries in the aggregate's FILTER: the database computes the uncorrelated set once
    (PostgreSQL: a hashed subplan whose EXISTS become semi- and anti-joins) instead of once
    per case. ``within`` (the report's cases) keeps that set small.
    """
    return Q(pk__in=_within(within).filter(*conditions).values("pk"))


def _available(language_ref) -> Q:
    """The case's published statement exists in ``language_ref``: its source language or
    an approved translation."""
    source = Statement.objects.filter(
        case=OuterRef("pk"), status=StatementStatus.PUBLISHED, language_id=language_ref
    )
    translated = Translation.objects.filter(
        statement__case=OuterRef("pk"),
        statement__status=StatementStatus.PUBLISHED,
        status=TranslationStatus.APPROVED,
        language_id=language_ref,
    )
    return Q(Exists(source)) | Q(Exists(translated))


def _missing_municipal_language(published: QuerySet[Case], languages: str) -> QuerySet:
    """The published cases of which one of the municipality's ``languages`` (a to-many
    path) is not available.

    The annotation joins the languages with a LEFT OUTER JOIN: a municipality with none of
    them (most have no language in official use) gives one row whose language is NULL, and
    "not available in NULL" is true of every statement. Such a row names no language, so it
    is left out; without that, every case of those municipalities counted as missing one.
    """
    return (
        published.annotate(required_language=F(languages))
        .filter(required_language__isnull=False)
        .filter(~_available(OuterRef("required_language")))
        .values("pk")
    )


def all_languages_q(within: QuerySet[Case] | None = None) -> Q:
    """Published, and no required language missing from the published statement.

    Missing are: an official language or a language in official use of the municipality
    that is not available, or the affected community's language when no municipal
    language of its family covers it and it is not available.
    """
    published = _within(within).filter(done_q("publish"))
    missing_official = _missing_municipal_language(published, "municipality__official_languages")
    missing_in_use = _missing_municipal_language(
        published, "municipality__languages_in_official_use"
    )
    family = OuterRef("affected_community__language__family")
    # One NOT (a OR b OR c OR d): PostgreSQL then keeps the family checks as per-row
    # subplans, reached only by the few cases whose community language is not available,
    # instead of joining every case with every language.
    missing_community = published.filter(
        ~(
            _available(OuterRef("affected_community__language_id"))
            | Q(
                Exists(
                    Language.objects.filter(official_in=OuterRef("municipality_id"), family=family)
                )
            )
            | Q(
                Exists(
                    Language.objects.filter(
                        in_official_use_in=OuterRef("municipality_id"), family=family
                    )
                )
            )
        )
    ).values("pk")
    return (
        done_q("publish")
        & ~Q(pk__in=missing_official)
        & ~Q(pk__in=missing_in_use)
        & ~Q(pk__in=missing_community)
    )


def represented_q(within: QuerySet[Case] | None = None) -> Q:
    """Convened, and a member of the affected community was present at that meeting."""
    present = Attendance.objects.filter(
        meeting_id=OuterRef("convened_meeting_id"),
        status=AttendanceStatus.PRESENT,
        member__community_id=OuterRef("affected_community_id"),
    )
    return done_q("convene") & _ids(within, Exists(present))


def _outreach_on_time(within: QuerySet[Case] | None) -> Q:
    """Outreach done on time: an activity held within the deadline after publication (by
    local date), or, with no activity recorded, the outreach record's own date."""
    days = _deadline_days("outreach")
    in_time = OutreachActivity.objects.filter(case=OuterRef("pk")).filter(
        LessThanOrEqual(
            DaysBetween(F("held_on"), OuterRef("published_on")), OuterRef("outreach_days")
        )
    )
    cases = _within(within).annotate(published_on=TruncDate("published_at"), outreach_days=days)
    recorded_in_time = Q(LessThanOrEqual(_step_days("outreach"), days)) & ~Exists(
        OutreachActivity.objects.filter(case=OuterRef("pk"))
    )
    return Q(pk__in=cases.filter(Q(Exists(in_time)) | recorded_in_time).values("pk"))


def _late_q(step: str, within: QuerySet[Case] | None = None) -> Q:
    if step == "outreach":
        return done_q(step) & ~_outreach_on_time(within)
    return done_q(step) & Q(GreaterThan(_step_days(step), _deadline_days(step)))


def _on_time_q(step: str, within: QuerySet[Case] | None = None) -> Q:
    if step == "outreach":
        return done_q(step) & _outreach_on_time(within)
    return done_q(step) & Q(LessThanOrEqual(_step_days(step), _deadline_days(step)))


def _expected_q(step: str, now: dt.datetime) -> Q:
    past_due = Q(
        GreaterThan(
            DaysBetween(Value(now, output_field=DateTimeField()), F("reported_at")),
            _cumulative_days(step),
        )
    )
    if step == "verify":
        return done_q(step) | past_due
    return done_q(step) | (~Q(state=CaseState.DISMISSED) & past_due)


def _statement_bin_q(index: int) -> Q:
    low, high = STATEMENT_BINS[index]
    days = incident_days("publish")
    q = done_q("publish")
    if index > 0:
        q &= Q(GreaterThanOrEqual(days, low))
    if high is not None:
        q &= Q(LessThan(days, high))
    return q


def bin_label(index: int) -> str:
    low, high = STATEMENT_BINS[index]
    if high is None:
        return _("%(low)s days or more") % {"low": f"{low:g}"}
    if low == 0:
        return _("under %(high)s day(s)") % {"high": f"{high:g}"}
    return _("%(low)s to %(high)s days") % {"low": f"{low:g}", "high": f"{high:g}"}


# --- Figures: one registry for counting and drilling down ------------------------------


@dataclass(frozen=True)
class Figure:
    """A counted figure: its drill-down filter ``q(now, within)``.

    Figures that depend only on the state, on "overdue now" and on the days-to-statement
    bin declare them (``states``, ``overdue``, ``statement_bin``): the report counts those
    from one grouped query, and ``q`` is built from the same declaration.
    """

    key: str
    label: Any
    q: Callable[[dt.datetime, QuerySet[Case] | None], Q]
    states: tuple[str, ...] | None = None
    overdue: bool | None = None
    statement_bin: int | None = None
    # Counted as the first figure minus the second, when ``q`` is exactly that difference.
    difference: tuple[str, str] | None = None

    def counts_row(self, state: str, overdue: bool, statement_bin: int | None) -> bool:
        """Does a (state, overdue, bin) group of cases count in this figure?"""
        return (
            self.states is not None
            and state in self.states
            and (self.overdue is None or overdue == self.overdue)
            and (self.statement_bin is None or statement_bin == self.statement_bin)
        )


def _by_state(
    key: str, label: Any, states, *, overdue: bool | None = None, statement_bin: int | None = None
) -> Figure:
    states = tuple(str(state) for state in states)

    def q(now: dt.datetime, within: QuerySet[Case] | None) -> Q:
        result = Q(state__in=list(states))
        if overdue:
            result &= Q(due_at__lt=now)
        if statement_bin is not None:
            result &= _statement_bin_q(statement_bin)
        return result

    return Figure(key, label, q, states, overdue, statement_bin)


def _figures() -> dict[str, Figure]:
    figures = [
        _by_state("verified", gettext_lazy("Verified"), REACHED["verify"]),
        _by_state("dismissed", gettext_lazy("Dismissed"), [CaseState.DISMISSED]),
        _by_state("convened", gettext_lazy("Council convened"), REACHED["convene"]),
        Figure(
            "represented",
            gettext_lazy("Convened with the affected community represented"),
            lambda now, within: represented_q(within),
        ),
        _by_state("published", gettext_lazy("Statement published"), REACHED["publish"]),
        Figure(
            "all_languages",
            gettext_lazy("Statement published in every required language"),
            lambda now, within: all_languages_q(within),
        ),
        _by_state("outreach", gettext_lazy("Outreach conducted"), REACHED["outreach"]),
        _by_state("closed", gettext_lazy("Follow-up closed"), REACHED["follow_up"]),
        _by_state("overdue", gettext_lazy("Overdue now"), OPEN_STATES, overdue=True),
    ]
    for key, label, states in STAGES:
        if key not in ("dismissed", "closed"):
            figures.append(_by_state(key, label, states))
    for step in STEPS:
        name = STEP_NAMES[step]
        done_states = [*REACHED[step], *([CaseState.DISMISSED] if step == "verify" else [])]
        figures += [
            _by_state(
                f"done_{step}",
                _lazy_format(gettext_lazy("%(step)s: done"), step=name),
                done_states,
            ),
            Figure(
                f"expected_{step}",
                _lazy_format(gettext_lazy("%(step)s: expected by now"), step=name),
                lambda now, within, step=step: _expected_q(step, now),
            ),
            Figure(
                f"on_time_{step}",
                _lazy_format(gettext_lazy("%(step)s: done on time"), step=name),
                lambda now, within, step=step: _on_time_q(step, within),
            ),
            Figure(
                f"late_{step}",
                _lazy_format(gettext_lazy("%(step)s: done late"), step=name),
                lambda now, within, step=step: _late_q(step, within),
                # Outreach: late is "done and not on time" by definition (_late_q).
                difference=(f"done_{step}", f"on_time_{step}") if step == "outreach" else None,
            ),
            _by_state(
                f"overdue_{step}",
                _lazy_format(gettext_lazy("%(step)s: overdue now"), step=name),
                WAITING[step],
                overdue=True,
            ),
        ]
    for index in range(len(STATEMENT_BINS)):
        figures.append(
            _by_state(
                f"statement_days_{index}",
                _LazyBin(index),
                REACHED["publish"],
                statement_bin=index,
            )
        )
    return {figure.key: figure for figure in figures}


class _LazyFormat:
    def __init__(self, template, **values):
        self.template, self.values = template, values

    def __str__(self) -> str:
        return str(self.template) % {k: str(v) for k, v in self.values.items()}


def _lazy_format(template, **values) -> _LazyFormat:
    return _LazyFormat(template, **values)


class _LazyBin:
    def __init__(self, index: int):
        self.index = index

    def __str__(self) -> str:
        return _("Statement published %(bin)s after the incident") % {"bin": bin_label(self.index)}


FIGURES: dict[str, Figure] = _figures()


def figure_choices() -> list[tuple[str, str]]:
    return [(key, str(figure.label)) for key, figure in FIGURES.items()]


def figure_q(key: str, now: dt.datetime | None = None, within: QuerySet[Case] | None = None) -> Q:
    """The filter behind figure ``key`` (``KeyError`` for an unknown key).

    ``within``: the cases the filter will be applied to (optional; it only keeps the
    subqueries of some figures small, the result is the same).
    """
    return FIGURES[key].q(now or timezone.now(), within)
