"""The compliance dashboard (mounted at /compliance/), its exports, and the case list export.

Who sees what: the dashboard covers the municipalities where the user holds
``Action.AUDIT_VIEW`` (monitors: their scope; secretaries and leadership: their
municipality); exports need ``Action.EXPORT`` and cover the municipalities where the user
holds it. A municipality or region outside that scope is a 404.

Every figure on the page links to the case list filtered to exactly the cases it counts
(``/cases/?date_from=..&date_to=..&municipality=..&figure=..``); see
``casefiles.compliance``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from casefiles import selectors
from casefiles.compliance import charts, exports
from casefiles.compliance.figures import STAGES, STEP_NAMES, STEPS
from casefiles.compliance.periods import Period, PeriodError
from casefiles.compliance.report import (
    GROUP_FIGURE_KEYS,
    ComplianceReport,
    GroupFigures,
    compliance_report,
    formula_text,
)
from casefiles.models import Category
from mcsc.documents import PDF_CONTENT_TYPE
from mcsc.permissions import Action, municipalities_where, user_can_anywhere

STAGE_STYLES = {
    "awaiting": charts.Style("#d0d5dc", "dots", "#4a5361"),
    "dismissed": charts.Style("#8c8c8c", "cross", "#ffffff"),
    "stage_verified": charts.Style("#c6dbef", "horizontal", "#08306b"),
    "stage_convened": charts.Style("#6baed6", "diagonal", "#08306b"),
    "stage_published": charts.Style("#2171b5", "solid"),
    "stage_outreach": charts.Style("#08519c", "vertical", "#c6dbef"),
    "closed": charts.Style("#08306b", "back_diagonal", "#6baed6"),
}


# --- Parameters -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportParams:
    period: Period
    municipality: str | None
    region: str | None


def report_params(query: QueryDict | dict) -> ReportParams:
    """``period`` (2026, 2026-Q3) or ``from``/``to``, and optional ``municipality``
    (statistical code) and ``region`` (code). Raises ``PeriodError``."""
    period = Period.parse(query.get("period"), query.get("from"), query.get("to"))
    return ReportParams(
        period=period,
        municipality=(query.get("municipality") or "").strip() or None,
        region=(query.get("region") or "").strip() or None,
    )


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "casefiles/forbidden.html", {"message": message}, status=403)


# --- Drill-down links ------------------------------------------------------------------


def cases_url(
    report: ComplianceReport,
    group: GroupFigures,
    figure: str | None = None,
    *,
    base: str | None = None,
) -> str:
    """The case list of exactly the cases behind ``figure`` of ``group``."""
    params = {
        "date_from": report.period.start.isoformat(),
        "date_to": report.period.end.isoformat(),
    }
    if group.level == "municipality":
        params["municipality"] = group.code
    elif group.level == "region":
        params["region"] = group.code
    elif report.region:
        params["region"] = report.region
    if figure:
        params["figure"] = figure
    return f"{base or reverse('casefiles:list')}?{urlencode(params)}"


def month_url(report: ComplianceReport, month: dt.date, category: str) -> str:
    end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    params = {
        "date_from": max(month, report.period.start).isoformat(),
        "date_to": min(end, report.period.end).isoformat(),
        "category": category,
    }
    if report.municipality:
        params["municipality"] = report.municipality
    if report.region:
        params["region"] = report.region
    return f"{reverse('casefiles:list')}?{urlencode(params)}"


def pct(value: float | None, empty: str = "—") -> str:
    return empty if value is None else f"{value * 100:.0f}%"


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


# The figures of each step, as the step tables name them.
STEP_KINDS = {
    "done": gettext_lazy("done"),
    "expected": gettext_lazy("expected"),
    "on_time": gettext_lazy("on time"),
    "late": gettext_lazy("late"),
    "overdue": gettext_lazy("overdue"),
}

# (count attribute, share attribute or None, column heading)
RESPONSE_COLUMNS = [
    ("incidents", None, gettext_lazy("Incidents")),
    ("verified", "verified_share", gettext_lazy("Verified")),
    ("dismissed", "dismissed_share", gettext_lazy("Dismissed")),
    ("convened", "convened_share", gettext_lazy("Council convened")),
    (
        "community_represented",
        "community_represented_share",
        gettext_lazy("Affected community at the meeting"),
    ),
    ("published", "published_share", gettext_lazy("Statement published")),
    (
        "published_all_languages",
        "published_all_languages_share",
        gettext_lazy("In every required language"),
    ),
    ("outreach", "outreach_share", gettext_lazy("Outreach")),
    ("closed", "closed_share", gettext_lazy("Follow-up closed")),
    ("overdue", None, gettext_lazy("Overdue now")),
]


@dataclass
class Cell:
    """One figure on the page: its number, its share (text) and its drill-down link.

    ``label`` says whose figure it is and of what ("Prizren, Verified"): a screen reader's
    list of links would otherwise read a column of bare numbers."""

    n: int
    url: str
    share: str = ""
    label: str = ""


@dataclass
class Row:
    group: GroupFigures
    response: list[Cell] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    stages: list[Cell] = field(default_factory=list)
    statement_days: list[Cell] = field(default_factory=list)
    meetings: dict[str, str] = field(default_factory=dict)
    seats: list[dict[str, Any] | None] = field(default_factory=list)

    # Shown in the tables of cases / of meetings: municipalities with incidents / meetings,
    # a region's subtotal when it adds up two or more of them, and always the total.
    has_cases: bool = True
    has_meetings: bool = True


def seat_columns(report: ComplianceReport) -> list[tuple[str, str]]:
    """The seats with recorded attendance anywhere in the report, in the seats' order."""
    return [(s.seat, s.label) for s in report.total.meetings.seats]


def rows_for(report: ComplianceReport) -> list[Row]:
    keys = dict(GROUP_FIGURE_KEYS)
    base = reverse("casefiles:list")
    seats = [seat for seat, _label in seat_columns(report)]
    rows = []
    for group in report.groups():
        row = Row(group=group)
        row.meetings = {
            "quorum": pct(group.meetings.quorum_rate, ""),
            "representation": pct(group.meetings.community_representation_rate, ""),
        }
        by_seat = {s.seat: s for s in group.meetings.seats}
        row.seats = [
            {
                "present": by_seat[seat].present,
                "recorded": by_seat[seat].recorded,
                "rate": pct(by_seat[seat].rate),
            }
            if seat in by_seat
            else None
            for seat in seats
        ]
        for attribute, share_attribute, heading in RESPONSE_COLUMNS:
            row.response.append(
                Cell(
                    n=getattr(group, attribute),
                    url=cases_url(report, group, keys[attribute], base=base),
                    share=pct(getattr(group, share_attribute), "") if share_attribute else "",
                    label=f"{group.name}, {heading}",
                )
            )
        for key, label, _states in STAGES:
            row.stages.append(
                Cell(
                    n=group.stages[key],
                    url=cases_url(report, group, key, base=base),
                    label=f"{group.name}, {label}",
                )
            )
        for index, n in enumerate(group.statement_days):
            row.statement_days.append(
                Cell(
                    n=n,
                    url=cases_url(report, group, f"statement_days_{index}", base=base),
                    label=f"{group.name}, {report.statement_days[index].label}",
                )
            )
        for step in group.steps:
            row.steps.append(
                {
                    "figures": step,
                    "median": days(step.median_days),
                    "p90": days(step.p90_days),
                    "completeness": pct(step.completeness),
                    "timeliness": pct(step.timeliness),
                    "points": "—" if step.points is None else f"{step.points:.1f}",
                    **{
                        kind: Cell(
                            n=getattr(step, kind),
                            url=cases_url(report, group, f"{kind}_{step.step}", base=base),
                            label=f"{group.name}, {STEP_NAMES[step.step]}, {STEP_KINDS[kind]}",
                        )
                        for kind in STEP_KINDS
                    },
                }
            )
        rows.append(row)
    for row in rows:
        group = row.group
        if group.level == "municipality":
            row.has_cases = group.incidents > 0
            row.has_meetings = group.meetings.held > 0
        elif group.level == "region":
            members = [g for g in report.municipalities if g.region_code == group.code]
            row.has_cases = sum(1 for g in members if g.incidents) > 1
            row.has_meetings = sum(1 for g in members if g.meetings.held) > 1
    return rows


# --- Charts -----------------------------------------------------------------------------


def _month_label(month: dt.date) -> str:
    return formats.date_format(month, "M Y")


def chart_context(report: ComplianceReport, *, uid: str = "c") -> dict[str, Any]:
    """The four charts (SVG markup) and the tables that are their text alternative."""
    municipalities = [g for g in report.municipalities if g.incidents]
    names = [g.name for g in municipalities]
    stage_series = [
        charts.Series(str(label), [g.stages[key] for g in municipalities], STAGE_STYLES[key])
        for key, label, _states in STAGES
    ]
    total = report.total
    furthest = ", ".join(
        f"{label}: {total.stages[key]}" for key, label, _states in STAGES if total.stages[key]
    )
    steps_svg = charts.stacked_bars(
        uid=f"{uid}-steps",
        title=_("How far each municipality's cases got"),
        desc=_(
            "Stacked bars, one per municipality, of the cases by the furthest step reached. "
            "In total, %(n)d cases: %(parts)s."
        )
        % {"n": total.incidents, "parts": furthest or _("none")},
        categories=names,
        series=stage_series,
    )

    bins = report.statement_days
    published = sum(b.cases for b in bins)
    within_week = sum(b.cases for b in bins if b.high is not None and b.high <= 7)
    days_svg = charts.columns(
        uid=f"{uid}-days",
        title=_("Days from the incident to the published statement"),
        desc=_(
            "Columns: number of published statements by days from the incident. "
            "%(n)d statements; %(week)d within 7 days; median %(median)s days."
        )
        % {
            "n": published,
            "week": within_week,
            "median": days(total.step("publish").median_days),
        },
        labels=[_short_bin(b.low, b.high) for b in bins],
        values=[b.cases for b in bins],
        axis_label=_("days from the incident to the statement"),
    )

    counts: dict[tuple[dt.date, str], int] = {
        (m.month, m.category): m.incidents for m in report.monthly
    }
    used = [c for c in Category.values if any(m.category == c for m in report.monthly)]
    category_labels = dict(Category.choices)
    month_series = [
        charts.Series(
            str(category_labels[c]),
            [counts.get((month, c), 0) for month in report.months],
            charts.CATEGORY_STYLES[Category.values.index(c) % len(charts.CATEGORY_STYLES)],
        )
        for c in used
    ]
    busiest = max(
        report.months,
        key=lambda month: sum(counts.get((month, c), 0) for c in used),
        default=None,
    )
    monthly_svg = charts.stacked_columns(
        uid=f"{uid}-monthly",
        title=_("Incidents per month, by category"),
        desc=_("Stacked columns per month by category; %(n)d incidents; busiest month: %(m)s.")
        % {
            "n": total.incidents,
            "m": _month_label(busiest) if busiest and total.incidents else _("none"),
        },
        labels=[_month_label(m) for m in report.months],
        series=month_series,
    )

    ranked = sorted(
        municipalities,
        key=lambda g: (g.score is None, -(g.score or 0), g.name),
    )
    scored = [g for g in ranked if g.score is not None]
    ranking_svg = charts.ranking(
        uid=f"{uid}-ranking",
        title=_("Response score by municipality (0-100)"),
        desc=(
            _("Bars sorted by score. Highest: %(best)s (%(high)s); lowest: %(worst)s (%(low)s).")
            % {
                "best": scored[0].name,
                "high": scored[0].score,
                "worst": scored[-1].name,
                "low": scored[-1].score,
            }
            if scored
            else _("No municipality has a score yet: no step was expected in the period.")
        )
        + " "
        + _("%(n)d municipalities in scope have no score.")
        % {"n": len(report.municipalities) - len(scored)},
        rows=[(g.name, g.score) for g in scored],
    )
    return {
        "steps_svg": mark_safe(steps_svg),  # noqa: S308 - built from escaped text
        "days_svg": mark_safe(days_svg),  # noqa: S308
        "monthly_svg": mark_safe(monthly_svg),  # noqa: S308
        "ranking_svg": mark_safe(ranking_svg),  # noqa: S308
        "stage_labels": [(key, str(label)) for key, label, _states in STAGES],
        "monthly_table": [
            {
                "month": month,
                "label": _month_label(month),
                "cells": [
                    (
                        c,
                        counts.get((month, c), 0),
                        month_url(report, month, c),
                        f"{_month_label(month)}, {category_labels[c]}",
                    )
                    for c in used
                ],
                "total": sum(counts.get((month, c), 0) for c in used),
            }
            for month in report.months
        ],
        "monthly_categories": [(c, str(category_labels[c])) for c in used],
        "ranking": ranked,
        "without_incidents": [g.name for g in report.municipalities if not g.incidents],
        "without_meetings": [g.name for g in report.municipalities if not g.meetings.held],
        "without_score": [g.name for g in report.municipalities if g.score is None],
    }


def _short_bin(low: float, high: float | None) -> str:
    if high is None:
        return f"≥{low:g}"
    return f"<{high:g}" if low == 0 else f"{low:g}–{high:g}"


# --- Pages ------------------------------------------------------------------------------


def _periods(today: dt.date) -> list[tuple[str, str]]:
    options = []
    for year in range(today.year, today.year - 5, -1):
        options.append((str(year), str(year)))
        for quarter in range(1, 5):
            if dt.date(year, 3 * quarter - 2, 1) <= today:
                options.append((f"{year}-Q{quarter}", f"Q{quarter} {year}"))
    return options


def report_context(report: ComplianceReport) -> dict[str, Any]:
    """What both the dashboard and the PDF show."""
    return {
        "report": report,
        "rows": rows_for(report),
        "response_columns": [(a, str(h)) for a, _s, h in RESPONSE_COLUMNS],
        "seats": seat_columns(report),
        "total": report.total,
        "steps": [(step, str(STEP_NAMES[step])) for step in STEPS],
        "formula": formula_text(),
        "weights": report.weights,
        "several": len(report.municipalities) > 1,
        **chart_context(report),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user_can_anywhere(user, Action.AUDIT_VIEW):
        return _forbidden(request, _("The compliance dashboard is for monitors and councils."))
    error = None
    try:
        params = report_params(request.GET)
    except PeriodError as exc:
        error = str(exc)
        params = ReportParams(Period.parse(), None, None)
    try:
        report = compliance_report(
            user=user,
            period=params.period,
            municipality=params.municipality,
            region=params.region,
        )
    except ValidationError as exc:  # a malformed municipality or region code
        error = " ".join(exc.messages)
        params = ReportParams(params.period, None, None)
        report = compliance_report(user=user, period=params.period)
    scope = list(municipalities_where(user, Action.AUDIT_VIEW).select_related("region"))
    query = {**params.period.query()}
    if params.municipality:
        query["municipality"] = params.municipality
    if params.region:
        query["region"] = params.region
    may_export = user_can_anywhere(user, Action.EXPORT)
    context = {
        **report_context(report),
        "error": error,
        "period_options": _periods(timezone.localdate()),
        "scope_municipalities": scope if len(scope) > 1 else [],
        "scope_regions": sorted({m.region for m in scope}, key=lambda r: r.name)
        if len(scope) > 1
        else [],
        "selected": {
            "period": params.period.key if params.period.kind != "range" else "",
            "from": params.period.start.isoformat() if params.period.kind == "range" else "",
            "to": params.period.end.isoformat() if params.period.kind == "range" else "",
            "municipality": params.municipality or "",
            "region": params.region or "",
        },
        "may_export": may_export,
        "export_query": urlencode(query),
        "case_export_query": urlencode(
            {
                "date_from": params.period.start.isoformat(),
                "date_to": params.period.end.isoformat(),
                **({"municipality": params.municipality} if params.municipality else {}),
                **({"region": params.region} if params.region else {}),
            }
        ),
    }
    return render(request, "compliance/dashboard.html", context, status=400 if error else 200)


EXPORT_FORMATS = ("csv", "xlsx", "pdf")


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The dashboard's figures as CSV, XLSX or a PDF report (with the charts)."""
    user = request.user
    if fmt not in EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Choose csv, xlsx or pdf."))
    if not user_can_anywhere(user, Action.EXPORT):
        return _forbidden(request, _("You may not export compliance figures."))
    try:
        params = report_params(request.GET)
    except PeriodError as exc:
        return HttpResponseBadRequest(str(exc))
    try:
        report = compliance_report(
            user=user,
            period=params.period,
            municipality=params.municipality,
            region=params.region,
            action=Action.EXPORT,
        )
    except ValidationError as exc:  # a malformed municipality or region code
        return HttpResponseBadRequest(" ".join(exc.messages))
    rows = exports.figures_rows(report)
    exports.record_export(
        user=user,
        kind="compliance",
        fmt=fmt,
        period=report.period.key,
        scope=exports.report_scope(report),
        rows=len(rows),
        municipality_ids=report.municipality_ids,
    )
    if fmt == "csv":
        return exports.csv_response(
            exports.report_filename(report, "csv"),
            exports.figures_header(),
            rows,
            rows_count=len(rows),
        )
    if fmt == "xlsx":
        return exports.xlsx_response(
            exports.report_filename(report, "xlsx"),
            [
                ("Figures", exports.figures_header(), rows),
                exports.seats_sheet(report),
                exports.monthly_sheet(report),
                exports.statement_days_sheet(report),
            ],
        )
    html = render_to_string(
        "compliance/report.html",
        {**report_context(report), "generated_by": user.get_full_name() or user.get_username()},
        request=request,
    )
    response = HttpResponse(exports.html_to_pdf(html), content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.report_filename(report, "pdf")}"'
    )
    return response


@require_GET
def case_list_export(request: HttpRequest) -> HttpResponse:
    """The case list, with the case list page's filters, as CSV or XLSX (no personal data).

    Covers the cases the filters select in the municipalities where the user may export.
    """
    from casefiles.views import case_list_filters

    user = request.user
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose csv or xlsx."))
    if not user_can_anywhere(user, Action.EXPORT):
        return _forbidden(request, _("You may not export cases."))
    form, filters = case_list_filters(request)
    if form.errors:
        return HttpResponseBadRequest(
            " ".join(str(error) for errors in form.errors.values() for error in errors),
            content_type="text/plain; charset=utf-8",  # the errors quote what was sent
        )
    exportable = list(municipalities_where(user, Action.EXPORT).values_list("pk", flat=True))
    cases = selectors.case_list(user=user, filters=filters).filter(municipality_id__in=exportable)
    count = cases.count()
    scope = {
        name: (value.isoformat() if isinstance(value, dt.date) else value)
        for name, value in vars(filters).items()
        if value not in (None, "")
    }
    period = None
    if filters.date_from or filters.date_to:
        period = f"{filters.date_from or ''}..{filters.date_to or ''}"
    exports.record_export(
        user=user,
        kind="cases",
        fmt=fmt,
        period=period,
        scope=scope,
        rows=count,
        municipality_ids=exportable,
    )
    now = timezone.now()
    stamp = timezone.localdate().isoformat()
    rows = exports.case_export_rows(cases, now=now)
    if fmt == "csv":
        return exports.csv_response(
            f"mcsc-cases-{stamp}.csv", exports.case_export_header(), rows, rows_count=count
        )
    return exports.xlsx_response(
        f"mcsc-cases-{stamp}.xlsx", [("Cases", exports.case_export_header(), rows)]
    )
