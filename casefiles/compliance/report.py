"""Compliance figures: how municipalities responded to incidents, per municipality, region
and period. One function, ``compliance_report``, feeds the dashboard, the REST API and every
export, so they cannot disagree.

Which cases count
    A case counts in a period when its incident happened (``occurred_at``, local date, as
    on the case list) within the period, in a municipality the user may audit (monitors:
    their scope; secretaries and leadership: their municipality).

The five steps, and when each is *done*
    ========== ============================= ========================================
    step       done when the case is ...     done at (for days and timeliness)
    ========== ============================= ========================================
    verify     verified or dismissed         ``verified_at`` (or ``dismissed_at``)
    convene    council convened or later     the convened meeting's ``starts_at``
    publish    statement published or later ``published_at``
    outreach   outreach conducted or later   first outreach activity ``held_on`` (a
                                             date; ``outreach_at`` if none recorded)
    follow_up  closed                        ``closed_at``
    ========== ============================= ========================================

    *Late*: done after the step's deadline. Each deadline counts, like the case's own
    ``due_at``, from the previous step's record (report, verification, convening,
    publication, outreach; ``workflows.deadlines.TIMELINE``) with the municipality's
    ``DeadlinePolicy`` days, else ``settings.MCSC_DEADLINE_DAYS``. Outreach is compared by
    local date (``held_on`` is a date). *Overdue*: the case waits for the step
    (``workflows.deadlines.STATE_STEP``) and its ``due_at`` has passed.

    *Expected*: the step is done, or the case is not dismissed (dismissed cases count for
    the verify step only) and the step's cumulative deadline since the report has passed
    (defaults: verify 1 day, convene 4, publish 6, outreach 13, follow-up 43). A case
    reported yesterday is not held against the municipality for not being closed yet.

Response score (0-100, per municipality, region and scope)
    For each step s with expected_s > 0::

        completeness_s = done_s / expected_s
        timeliness_s   = on_time_s / done_s      (0 when nothing is done)
        step_s         = 0.6 * completeness_s + 0.4 * timeliness_s

    score = 100 * mean of step_s over the steps with expected_s > 0, rounded to 0.1;
    no score when no step is expected yet. Regions and the scope total use the pooled
    counts of their municipalities, so the same formula applies at every level.

Statement in every required language
    Published (the case reached ``statement_published``) and no required language is
    missing from the published statement (its source language or an approved
    translation). The required languages are computed in SQL exactly as
    ``mcsc.languages.required_languages`` does: the municipality's official languages and
    languages in official use, plus the affected community's language unless a municipal
    language of the same family (Serbian in either script) covers it; a municipality with
    no language in official use (most have none) requires its official languages and the
    community's language only. Publishing refuses a
    missing language, so the two differ only when the required set changed later (the
    municipality's languages or the case's community were corrected) or an approved
    translation was withdrawn.

Shares
    verified and dismissed: of the incidents; convened, published, in every language,
    outreach, closed: of the verified cases; community represented: of the convened cases.

Medians and 90th percentiles
    Days (fractional; outreach in whole days) from the incident to the step, over the
    cases where the step is done, interpolated like PostgreSQL's ``percentile_cont``. The
    per-case durations are an ORM query compiled to SQL and wrapped in one statement: on
    PostgreSQL ``percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY days)`` per step
    with ``GROUP BY GROUPING SETS ((municipality), (region), ())``; SQLite has no
    ordered-set aggregates, so window functions (``ROW_NUMBER``/``COUNT`` per level, group
    and step) return only the at most two rows around each percentile's position, which
    Python interpolates. One query either way, whatever the number of cases.

Queries
    A report runs a fixed number of queries whatever the number of cases (8): the
    municipalities in scope; the case figures (2: those that depend only on the state,
    "overdue now" and the days-to-statement bin from one count grouped by them, the others
    as filtered counts per municipality); the percentiles (1); incidents per month and
    category (1); meetings per municipality (1); attendance per municipality and seat (1);
    on PostgreSQL also ``SET LOCAL jit = off`` in a transaction (see ``_without_jit``).
    Region and total counts are sums of the (at most 38) municipality rows. Figures that
    need other tables (languages, attendance, outreach dates) are
    ``pk IN (uncorrelated subquery)`` filters, computed once per query rather than once
    per case.

Drill-down
    Every counted figure has a key in ``FIGURES``; ``figure_q(key, now)`` is the very
    filter the count uses, and the case list (``?figure=<key>``) applies it, so a figure's
    list holds exactly the cases it counts.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as DbCase
from django.db.models.functions import Coalesce, NullIf, TruncDate, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from casefiles.compliance.figures import (
    COMPLETENESS_WEIGHT,
    FIGURES,
    PERCENTILES,
    STAGES,
    STATEMENT_BINS,
    STEP_NAMES,
    STEPS,
    TIMELINESS_WEIGHT,
    bin_label,
    figure_q,
    incident_days,
)
from casefiles.compliance.periods import Period
from casefiles.models import (
    Case,
    Category,
)
from mcsc.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    Municipality,
    Seat,
)
from mcsc.permissions import (
    Action,
    municipalities_where,
    municipality_filter_for_user,
    region_filter_for_user,
)

# --- The report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StepFigures:
    step: str
    label: str
    done: int
    expected: int
    on_time: int
    late: int
    overdue: int
    median_days: float | None
    p90_days: float | None
    completeness: float | None  # done / expected
    timeliness: float | None  # on time / done
    points: float | None  # 0-100: 100 * (0.6 completeness + 0.4 timeliness)


@dataclass(frozen=True)
class SeatFigures:
    seat: str
    label: str
    recorded: int
    present: int
    rate: float | None


@dataclass(frozen=True)
class MeetingFigures:
    held: int
    regular: int
    extraordinary: int
    with_attendance: int
    with_quorum: int
    quorum_rate: float | None  # with quorum / with attendance recorded
    with_community_representative: int  # a non-majority community's member present
    community_representation_rate: float | None  # of the meetings with attendance
    seats: list[SeatFigures] = field(default_factory=list)


@dataclass(frozen=True)
class GroupFigures:
    level: str  # "municipality", "region" or "total"
    code: str  # municipality statistical code or region code; "" for the total
    name: str
    region_code: str
    incidents: int
    verified: int
    dismissed: int
    awaiting_verification: int
    convened: int
    community_represented: int
    published: int
    published_all_languages: int
    outreach: int
    closed: int
    overdue: int
    verified_share: float | None
    dismissed_share: float | None
    convened_share: float | None
    community_represented_share: float | None
    published_share: float | None
    published_all_languages_share: float | None
    outreach_share: float | None
    closed_share: float | None
    stages: dict[str, int]
    statement_days: list[int]
    steps: list[StepFigures]
    meetings: MeetingFigures
    score: float | None

    def step(self, name: str) -> StepFigures:
        return next(s for s in self.steps if s.step == name)


@dataclass(frozen=True)
class MonthCategory:
    month: dt.date
    category: str
    label: str
    incidents: int


@dataclass(frozen=True)
class StatementBin:
    index: int
    label: str
    low: float
    high: float | None
    cases: int


@dataclass(frozen=True)
class ComplianceReport:
    period: Period
    generated_at: dt.datetime
    municipality: str | None  # the filter asked for (code), if any
    region: str | None
    municipalities: list[GroupFigures]
    regions: list[GroupFigures]
    total: GroupFigures
    monthly: list[MonthCategory]
    months: list[dt.date]
    statement_days: list[StatementBin]
    weights: dict[str, float]
    municipality_ids: list[int] = field(default_factory=list)  # the scope, for the audit

    @property
    def scope_codes(self) -> list[str]:
        return [g.code for g in self.municipalities]

    def groups(self) -> list[GroupFigures]:
        """Municipalities grouped by region, each region's subtotal after them, then the
        total (regions and total only when they add something)."""
        rows: list[GroupFigures] = []
        several = len(self.municipalities) > 1
        by_region = {g.code: g for g in self.regions}
        for region in self.regions:
            members = [g for g in self.municipalities if g.region_code == region.code]
            rows += members
            if several and len(members) > 1:
                rows.append(by_region[region.code])
        if several:
            rows.append(self.total)
        return rows


COUNT_KEYS = [
    "verified",
    "dismissed",
    "awaiting",
    "convened",
    "represented",
    "published",
    "all_languages",
    "outreach",
    "closed",
    "overdue",
    *(key for key, _label, _states in STAGES if key.startswith("stage_")),
    *(f"{kind}_{step}" for step in STEPS for kind in ("done", "expected", "on_time", "late")),
    *(f"overdue_{step}" for step in STEPS),
    *(f"statement_days_{i}" for i in range(len(STATEMENT_BINS))),
]


def report_municipalities(
    *,
    user: Any,
    municipality: str | Municipality | None = None,
    region: str | None = None,
    action: Action = Action.AUDIT_VIEW,
) -> list[Municipality]:
    """The municipalities a report covers: where ``user`` may do ``action``, narrowed to
    the municipality (statistical code) or region (code) asked for. Asking for one outside
    the user's scope is ``Http404``, as for any object out of scope; a malformed code is a
    ``ValidationError`` (``mcsc.permissions.municipality_filter_for_user``)."""
    queryset = municipalities_where(user, action).select_related("region")
    if municipality is not None:
        code = municipality.code if isinstance(municipality, Municipality) else municipality
        chosen = municipality_filter_for_user(user=user, code=code, action=action)
        if chosen is not None:
            queryset = queryset.filter(pk=chosen.pk)
    if region:
        chosen_region = region_filter_for_user(user=user, code=region, action=action)
        if chosen_region is not None:
            queryset = queryset.filter(region=chosen_region)
    found = list(queryset.order_by("region__name_en", "name_sq"))
    if (municipality is not None or region) and not found:
        raise Http404(_("No such municipality or region in your scope."))
    return found


def compliance_report(
    *,
    user: Any,
    period: Period,
    municipality: str | Municipality | None = None,
    region: str | None = None,
    action: Action = Action.AUDIT_VIEW,
    now: dt.datetime | None = None,
) -> ComplianceReport:
    """Every figure of the compliance dashboard for ``period`` within the user's scope.

    ``action`` is the right the user needs in a municipality for it to be included
    (``Action.EXPORT`` for exports). Raises ``Http404`` when the municipality or region
    asked for is outside the scope.
    """
    now = now or timezone.now()
    municipalities = report_municipalities(
        user=user, municipality=municipality, region=region, action=action
    )
    ids = [m.pk for m in municipalities]
    cases = period_cases(ids, period)

    with _without_jit():
        counts = _case_counts(cases, now)
        percentiles = _percentiles(cases)
        monthly = _monthly(cases)
        meetings = _meetings(ids, period, now)
        seats = _seats(ids, period, now)

    rows = []
    for m in municipalities:
        rows.append(
            _group(
                "municipality",
                m.code,
                str(m),
                m.region.code,
                counts.get(m.pk, {}),
                percentiles.get(("municipality", m.pk), {}),
                meetings.get(m.pk, {}),
                seats.get(m.pk, {}),
            )
        )
    regions = []
    region_objects = {m.region_id: m.region for m in municipalities}
    for region_id, region_obj in region_objects.items():
        members = [m.pk for m in municipalities if m.region_id == region_id]
        regions.append(
            _group(
                "region",
                region_obj.code,
                _("%(region)s region") % {"region": region_obj.name},
                region_obj.code,
                _sum(counts.get(pk, {}) for pk in members),
                percentiles.get(("region", region_id), {}),
                _sum(meetings.get(pk, {}) for pk in members),
                _sum_seats(seats.get(pk, {}) for pk in members),
            )
        )
    total = _group(
        "total",
        "",
        _("All municipalities in scope"),
        "",
        _sum(counts.values()),
        percentiles.get(("total", 0), {}),
        _sum(meetings.values()),
        _sum_seats(seats.values()),
    )
    return ComplianceReport(
        period=period,
        generated_at=now,
        municipality=(
            municipality.code if isinstance(municipality, Municipality) else municipality
        ),
        region=region or None,
        municipalities=rows,
        regions=regions,
        total=total,
        monthly=monthly,
        months=_months(period),
        statement_days=[
            StatementBin(i, bin_label(i), low, high, total.statement_days[i])
            for i, (low, high) in enumerate(STATEMENT_BINS)
        ],
        weights={"completeness": COMPLETENESS_WEIGHT, "timeliness": TIMELINESS_WEIGHT},
        municipality_ids=ids,
    )


@contextmanager
def _without_jit():
    """PostgreSQL: a transaction without JIT compilation; elsewhere nothing.

    The figures are wide aggregates (dozens of filtered counts); their cost estimates make
    PostgreSQL compile them with LLVM on every run, which took 1.5 s against 0.3 s of
    execution for 50,000 cases. ``SET LOCAL`` ends with the transaction.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


def period_cases(municipality_ids: Iterable[int], period: Period) -> QuerySet[Case]:
    """The cases whose incident (local date) lies in ``period``, in these municipalities."""
    return Case.objects.filter(
        municipality_id__in=list(municipality_ids),
        occurred_at__gte=period.start_at,
        occurred_at__lt=period.end_before,
    ).order_by()


def _statement_bin():
    """The days-to-statement bin of a case (NULL when not published), as in ``_statement_bin_q``."""
    days = incident_days("publish")
    whens = [
        When(LessThan(days, high), then=Value(index))
        for index, (_low, high) in enumerate(STATEMENT_BINS)
        if high is not None
    ]
    last = len(STATEMENT_BINS) - 1
    whens.append(When(GreaterThanOrEqual(days, STATEMENT_BINS[last][0]), then=Value(last)))
    return DbCase(*whens, default=None, output_field=IntegerField())


def _case_counts(cases: QuerySet[Case], now: dt.datetime) -> dict[int, dict[str, int]]:
    """Two queries: the figures declared by state (and overdue, and statement bin) from one
    grouped count, the others as filtered counts per municipality."""
    grouped_figures = [f for f in FIGURES.values() if f.states is not None]
    result: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    groups = (
        cases.annotate(
            overdue_now=DbCase(
                When(due_at__lt=now, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            statement_bin=_statement_bin(),
        )
        .values("municipality_id", "state", "overdue_now", "statement_bin")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in groups:
        counts = result[row["municipality_id"]]
        counts["incidents"] += row["n"]
        for figure in grouped_figures:
            if figure.counts_row(row["state"], row["overdue_now"], row["statement_bin"]):
                counts[figure.key] += row["n"]
    aggregates = {
        key: Count("pk", filter=figure_q(key, now, within=cases))
        for key in COUNT_KEYS
        if FIGURES[key].states is None and FIGURES[key].difference is None
    }
    for row in cases.values("municipality_id").annotate(**aggregates).order_by():
        result[row.pop("municipality_id")].update(row)
    for figure in FIGURES.values():
        if figure.difference is not None:
            whole, part = figure.difference
            for counts in result.values():
                counts[figure.key] = counts[whole] - counts[part]
    return {municipality: dict(counts) for municipality, counts in result.items()}


def _percentiles(cases: QuerySet[Case]) -> dict[tuple[str, int], dict[str, dict[float, float]]]:
    """``{(level, id): {step: {0.5: days, 0.9: days}}}`` for municipality, region and total,
    in one query on either database.

    The per-case durations come from the ORM (``incident_days``), compiled to SQL with
    their parameters; the database ranks them. Only constants (``STEPS``, ``PERCENTILES``)
    are formatted into the statement around them.
    """
    inner = cases.values(
        m=F("municipality_id"),
        r=F("municipality__region_id"),
        **{f"d_{step}": incident_days(step) for step in STEPS},
    )
    inner_sql, params = inner.query.get_compiler(using=inner.db).as_sql()
    if connection.vendor == "postgresql":
        return _percentiles_grouping_sets(inner_sql, params)
    return _percentiles_window(inner_sql, params)


def _percentiles_grouping_sets(inner_sql: str, params) -> dict:
    """PostgreSQL: ``percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY days)`` per
    step, ``GROUP BY GROUPING SETS ((municipality), (region), ())``.

    (Three ORM queries, one per level, with a ``percentile_cont`` aggregate took 390 ms for
    50,000 cases, each evaluating the durations again; this one takes 170 ms.)
    """
    fractions = ", ".join(repr(float(p)) for p in PERCENTILES)
    columns = ", ".join(
        f"percentile_cont(ARRAY[{fractions}]::double precision[]) WITHIN GROUP (ORDER BY d_{step})"
        for step in STEPS
    )
    sql = (
        f"SELECT m, r, GROUPING(m), GROUPING(r), {columns} FROM ({inner_sql}) d "  # noqa: S608
        "GROUP BY GROUPING SETS ((m), (r), ())"
    )
    result: dict[tuple[str, int], dict[str, dict[float, float]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for m, r, m_rolled_up, r_rolled_up, *values in cursor.fetchall():
            if not m_rolled_up:
                key = ("municipality", m)
            elif not r_rolled_up:
                key = ("region", r)
            else:
                key = ("total", 0)
            result[key] = {
                step: dict(zip(PERCENTILES, value, strict=True))
                for step, value in zip(STEPS, values, strict=True)
                if value is not None
            }
    return result


def _percentiles_window(inner_sql: str, params) -> dict:
    """SQLite (no ordered-set aggregates): ``ROW_NUMBER``/``COUNT`` windows per level, group
    and step; only the at most two rows around each percentile's position come back, and
    ``_interpolate`` reproduces ``percentile_cont`` from them."""
    per_step = " UNION ALL ".join(
        f"SELECT m, r, '{step}' AS step, d_{step} AS days FROM d WHERE d_{step} IS NOT NULL"  # noqa: S608
        for step in STEPS
    )
    near = " OR ".join(f"abs(i - {p!r} * (n - 1)) < 1" for p in PERCENTILES)
    sql = (
        f"WITH d AS ({inner_sql}), s AS ({per_step}), "  # noqa: S608
        "x AS (SELECT 'municipality' AS lvl, m AS k, step, days FROM s "
        "UNION ALL SELECT 'region', r, step, days FROM s "
        "UNION ALL SELECT 'total', 0, step, days FROM s), "
        "w AS (SELECT lvl, k, step, days, "
        "ROW_NUMBER() OVER (PARTITION BY lvl, k, step ORDER BY days) - 1 AS i, "
        "COUNT(*) OVER (PARTITION BY lvl, k, step) AS n FROM x) "
        f"SELECT lvl, k, step, i, n, days FROM w WHERE {near}"
    )
    ranked: dict[tuple[str, int, str], dict[int, float]] = defaultdict(dict)
    sizes: dict[tuple[str, int, str], int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for level, key, step, index, size, days in cursor.fetchall():
            ranked[(level, key, step)][index] = days
            sizes[(level, key, step)] = size
    result: dict[tuple[str, int], dict[str, dict[float, float]]] = defaultdict(dict)
    for (level, key, step), values in ranked.items():
        result[(level, key)][step] = {
            p: _interpolate(values, sizes[(level, key, step)], p) for p in PERCENTILES
        }
    return result


def _interpolate(values: dict[int, float], size: int, fraction: float) -> float:
    """``percentile_cont``: linear interpolation between the ranks around the position."""
    position = fraction * (size - 1)
    low, high = math.floor(position), math.ceil(position)
    low_value = values[low]
    high_value = values.get(high, low_value)
    return low_value + (high_value - low_value) * (position - low)


def _monthly(cases: QuerySet[Case]) -> list[MonthCategory]:
    rows = (
        cases.annotate(month=TruncMonth("occurred_at"))
        .values("month", "category")
        .annotate(n=Count("pk"))
        .order_by("month", "category")
    )
    labels = dict(Category.choices)
    result = []
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        result.append(
            MonthCategory(
                month=month.replace(day=1),
                category=row["category"],
                label=str(labels.get(row["category"], row["category"])),
                incidents=row["n"],
            )
        )
    return result


def _months(period: Period) -> list[dt.date]:
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def held_meetings(municipality_ids: Iterable[int], period: Period, now: dt.datetime):
    """Council meetings that took place in the period (local date) and before ``now``."""
    return Meeting.objects.filter(
        municipality_id__in=list(municipality_ids),
        starts_at__gte=period.start_at,
        starts_at__lt=min(period.end_before, now + dt.timedelta(microseconds=1)),
    ).order_by()


def _meetings(ids: list[int], period: Period, now: dt.datetime) -> dict[int, dict[str, int]]:
    """Meetings per municipality, with quorum computed like
    ``mcsc.councils.meetings.meeting_quorum``: members in office on the meeting's day;
    present members among them; the council's minimum, else more than half of the
    members."""
    from mcsc.models import CouncilMember

    in_office = Q(appointed_on__lte=OuterRef("day")) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("day"))
    )
    members = (
        CouncilMember.objects.filter(in_office, council_id=OuterRef("council_id"))
        .order_by()
        .values("council_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    present = (
        Attendance.objects.filter(
            meeting_id=OuterRef("pk"),
            status=AttendanceStatus.PRESENT,
            member__council_id=OuterRef("council_id"),  # lets the database use its index
            member__appointed_on__lte=OuterRef("day"),
        )
        .filter(Q(member__ended_on__isnull=True) | Q(member__ended_on__gte=OuterRef("day")))
        .order_by()
        .values("meeting_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    recorded = Attendance.objects.filter(meeting_id=OuterRef("pk"))
    representative = Attendance.objects.filter(
        meeting_id=OuterRef("pk"),
        status=AttendanceStatus.PRESENT,
        member__council_id=OuterRef("council_id"),
        member__community__isnull=False,
    ).exclude(member__community_id=OuterRef("municipality__majority_community_id"))
    meetings = (
        held_meetings(ids, period, now)
        .annotate(day=TruncDate("starts_at"))
        .annotate(
            members_n=Coalesce(Subquery(members, output_field=IntegerField()), 0),
            present_n=Coalesce(Subquery(present, output_field=IntegerField()), 0),
        )
        .annotate(
            required_n=Coalesce(
                NullIf(F("council__quorum_minimum"), Value(0)),
                F("members_n") / 2 + 1,
                output_field=IntegerField(),
            )
        )
    )
    quorum = Q(Exists(recorded), members_n__gt=0, present_n__gte=F("required_n"))
    rows = (
        meetings.values("municipality_id")
        .annotate(
            held=Count("pk"),
            regular=Count("pk", filter=Q(kind=MeetingKind.REGULAR)),
            extraordinary=Count("pk", filter=Q(kind=MeetingKind.EXTRAORDINARY)),
            with_attendance=Count("pk", filter=Q(Exists(recorded))),
            with_quorum=Count("pk", filter=quorum),
            with_community_representative=Count(
                "pk", filter=Q(Exists(recorded)) & Q(Exists(representative))
            ),
        )
        .order_by()
    )
    return {row.pop("municipality_id"): row for row in rows}


def _seats(ids: list[int], period: Period, now: dt.datetime) -> dict[int, dict[str, dict]]:
    rows = (
        Attendance.objects.filter(meeting__in=held_meetings(ids, period, now).values("pk"))
        .values("meeting__municipality_id", "member__seat")
        .annotate(
            recorded=Count("pk"),
            present=Count("pk", filter=Q(status=AttendanceStatus.PRESENT)),
        )
        .order_by()
    )
    result: dict[int, dict[str, dict]] = defaultdict(dict)
    for row in rows:
        result[row["meeting__municipality_id"]][row["member__seat"]] = {
            "recorded": row["recorded"],
            "present": row["present"],
        }
    return result


def _sum(rows: Iterable[dict[str, int]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for row in rows:
        for key, value in row.items():
            total[key] += value or 0
    return total


def _sum_seats(rows: Iterable[dict[str, dict]]) -> dict[str, dict]:
    total: dict[str, dict] = {}
    for row in rows:
        for seat, values in row.items():
            into = total.setdefault(seat, {"recorded": 0, "present": 0})
            into["recorded"] += values["recorded"]
            into["present"] += values["present"]
    return total


def share(part: int, whole: int) -> float | None:
    """``part / whole`` rounded to 4 places; None when there is nothing to share."""
    return round(part / whole, 4) if whole else None


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def step_points(completeness: float | None, timeliness: float | None) -> float | None:
    if completeness is None:
        return None
    return round(
        100 * (COMPLETENESS_WEIGHT * completeness + TIMELINESS_WEIGHT * (timeliness or 0)), 1
    )


def response_score(steps: Iterable[StepFigures]) -> float | None:
    """100 x the mean over expected steps of 0.6 completeness + 0.4 timeliness."""
    parts = [
        COMPLETENESS_WEIGHT * s.done / s.expected
        + TIMELINESS_WEIGHT * (s.on_time / s.done if s.done else 0)
        for s in steps
        if s.expected
    ]
    return round(100 * sum(parts) / len(parts), 1) if parts else None


def _group(
    level: str,
    code: str,
    name: str,
    region_code: str,
    counts: dict[str, int],
    percentiles: dict[str, dict[float, float]],
    meetings: dict[str, int],
    seats: dict[str, dict],
) -> GroupFigures:
    c = defaultdict(int, counts)
    steps = []
    for step in STEPS:
        done, expected, on_time = c[f"done_{step}"], c[f"expected_{step}"], c[f"on_time_{step}"]
        completeness = share(done, expected)
        timeliness = share(on_time, done) if done else (0.0 if expected else None)
        values = percentiles.get(step, {})
        steps.append(
            StepFigures(
                step=step,
                label=str(STEP_NAMES[step]),
                done=done,
                expected=expected,
                on_time=on_time,
                late=c[f"late_{step}"],
                overdue=c[f"overdue_{step}"],
                median_days=_days(values.get(0.5)),
                p90_days=_days(values.get(0.9)),
                completeness=completeness,
                timeliness=timeliness,
                points=step_points(completeness, timeliness),
            )
        )
    m = defaultdict(int, meetings)
    seat_labels = dict(Seat.choices)
    meeting_figures = MeetingFigures(
        held=m["held"],
        regular=m["regular"],
        extraordinary=m["extraordinary"],
        with_attendance=m["with_attendance"],
        with_quorum=m["with_quorum"],
        quorum_rate=share(m["with_quorum"], m["with_attendance"]),
        with_community_representative=m["with_community_representative"],
        community_representation_rate=share(
            m["with_community_representative"], m["with_attendance"]
        ),
        seats=[
            SeatFigures(
                seat=seat,
                label=str(seat_labels[seat]),
                recorded=seats[seat]["recorded"],
                present=seats[seat]["present"],
                rate=share(seats[seat]["present"], seats[seat]["recorded"]),
            )
            for seat in Seat.values
            if seat in seats
        ],
    )
    verified = c["verified"]
    return GroupFigures(
        level=level,
        code=code,
        name=name,
        region_code=region_code,
        incidents=c["incidents"],
        verified=verified,
        dismissed=c["dismissed"],
        awaiting_verification=c["awaiting"],
        convened=c["convened"],
        community_represented=c["represented"],
        published=c["published"],
        published_all_languages=c["all_languages"],
        outreach=c["outreach"],
        closed=c["closed"],
        overdue=c["overdue"],
        verified_share=share(verified, c["incidents"]),
        dismissed_share=share(c["dismissed"], c["incidents"]),
        convened_share=share(c["convened"], verified),
        community_represented_share=share(c["represented"], c["convened"]),
        published_share=share(c["published"], verified),
        published_all_languages_share=share(c["all_languages"], verified),
        outreach_share=share(c["outreach"], verified),
        closed_share=share(c["closed"], verified),
        stages={key: c[key] for key, _label, _states in STAGES},
        statement_days=[c[f"statement_days_{i}"] for i in range(len(STATEMENT_BINS))],
        steps=steps,
        meetings=meeting_figures,
        score=response_score(steps),
    )


# The figures of a group that have a drill-down, as (attribute, figure key).
GROUP_FIGURE_KEYS: list[tuple[str, str | None]] = [
    ("incidents", None),
    ("verified", "verified"),
    ("dismissed", "dismissed"),
    ("awaiting_verification", "awaiting"),
    ("convened", "convened"),
    ("community_represented", "represented"),
    ("published", "published"),
    ("published_all_languages", "all_languages"),
    ("outreach", "outreach"),
    ("closed", "closed"),
    ("overdue", "overdue"),
]
STEP_FIGURE_KEYS: list[tuple[str, str]] = [
    ("done", "done"),
    ("expected", "expected"),
    ("on_time", "on_time"),
    ("late", "late"),
    ("overdue", "overdue"),
]


def formula_text() -> str:
    """The score formula in words, as shown on the page, in the PDF and the README."""
    return _(
        "For each of the five steps (verification, council convened, statement published, "
        "outreach, follow-up closed): completeness = cases where the step is done ÷ cases "
        "where it is expected by now (done, or its deadline counted from the report has "
        "passed; dismissed cases count for verification only); timeliness = done on time ÷ "
        "done (0 if none is done). Score = 100 × the mean, over the steps expected at least "
        "once, of (%(c)s × completeness + %(t)s × timeliness)."
    ) % {"c": f"{COMPLETENESS_WEIGHT:g}", "t": f"{TIMELINESS_WEIGHT:g}"}
