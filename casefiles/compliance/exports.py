"""Exports of the compliance figures and of the case list: CSV, XLSX and a PDF report.

- CSV streams (``StreamingHttpResponse`` fed by a generator; UTF-8 with a byte order mark
  so that Excel reads the accents of Albanian, Serbian and Turkish names).
- XLSX is written by openpyxl in write-only mode, row by row, into a spooled temporary
  file that is then streamed (``FileResponse``).
- The PDF report is rendered by ``mcsc.documents`` (PDF/A-3b), whose fetcher serves only
  the report's own stylesheet from ``static/compliance/`` and refuses every other URL.
- Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``,
  ``-``, ``@``, tab or carriage return) are prefixed with an apostrophe.
- The case list export carries no personal data for anyone: no people of a case, no
  summary, location or coordinates (free text and places that can identify a household),
  only the reference, places at settlement level, categories, states and step dates.
- Every export writes one audit event (``AuditAction.EXPORT``) with
  ``{kind, format, period, scope, rows}``, before the first byte is sent.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import F, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from casefiles.audit.chain import audit_record
from casefiles.compliance.figures import STEPS, first_outreach_on, incident_days
from casefiles.compliance.report import ComplianceReport, GroupFigures
from casefiles.models import AuditAction, Case
from mcsc.documents import StaticFilesFetcher, render_pdf
from mcsc.models import Seat

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 2000


# --- Cells ----------------------------------------------------------------------------


def cell(value: Any) -> Any:
    """A value as a spreadsheet should store it: local naive datetimes, ISO dates in CSV,
    and text that cannot be taken for a formula."""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.replace(tzinfo=None, microsecond=0)
    return value


def _csv_cell(value: Any) -> Any:
    value = cell(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


class _Echo:
    """A file-like object whose ``write`` returns what it was given (for csv.writer)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_csv_cell(v) for v in row])


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, rows_count: int
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(header, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Export-Rows"] = str(rows_count)
    return response


def xlsx_response(
    filename: str, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]
) -> FileResponse:
    """A workbook with one sheet per (title, header, rows), written row by row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        bold = []
        for name in header:
            heading = WriteOnlyCell(sheet, value=name)
            heading.font = Font(bold=True)
            bold.append(heading)
        sheet.append(bold)
        for row in rows:
            sheet.append([cell(v) for v in row])
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    size = spool.tell()
    spool.seek(0)
    response = FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Length"] = str(size)
    return response


# --- Audit --------------------------------------------------------------------------------


def record_export(
    *,
    user: Any,
    kind: str,
    fmt: str,
    period: str | None,
    scope: dict[str, Any],
    rows: int,
    municipality_ids: Sequence[int] = (),
) -> None:
    """One audit event per export. It names the municipality when the export covers
    exactly one, so that the municipality's own audit trail shows it."""
    municipality = municipality_ids[0] if len(municipality_ids) == 1 else None
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        municipality=municipality,
        payload={"kind": kind, "format": fmt, "period": period, "scope": scope, "rows": rows},
    )


# --- The dashboard's figures as one table -------------------------------------------------

GROUP_COLUMNS = [
    "level",
    "region",
    "municipality_code",
    "name",
    "incidents",
    "verified",
    "verified_share",
    "dismissed",
    "dismissed_share",
    "awaiting_verification",
    "convened",
    "convened_share",
    "community_represented",
    "community_represented_share",
    "published",
    "published_share",
    "published_all_languages",
    "published_all_languages_share",
    "outreach",
    "outreach_share",
    "closed",
    "closed_share",
    "overdue",
    "score",
]
STEP_COLUMNS = [
    "done",
    "expected",
    "on_time",
    "late",
    "overdue",
    "median_days",
    "p90_days",
    "completeness",
    "timeliness",
    "points",
]
MEETING_COLUMNS = [
    "held",
    "regular",
    "extraordinary",
    "with_attendance",
    "with_quorum",
    "quorum_rate",
    "with_community_representative",
    "community_representation_rate",
]


def figures_header() -> list[str]:
    return [
        *GROUP_COLUMNS,
        *(f"{step}_{column}" for step in STEPS for column in STEP_COLUMNS),
        *(f"meetings_{column}" for column in MEETING_COLUMNS),
        *(f"seat_{seat}_{kind}" for seat in Seat.values for kind in ("present", "recorded")),
    ]


def figures_row(group: GroupFigures) -> list[Any]:
    values = {
        "level": group.level,
        "region": group.region_code,
        "municipality_code": group.code if group.level == "municipality" else "",
        **{name: getattr(group, name) for name in GROUP_COLUMNS[3:]},
    }
    row = [values[name] for name in GROUP_COLUMNS]
    for step in group.steps:
        row += [getattr(step, column) for column in STEP_COLUMNS]
    row += [getattr(group.meetings, column) for column in MEETING_COLUMNS]
    seats = {s.seat: s for s in group.meetings.seats}
    for seat in Seat.values:
        row += [seats[seat].present, seats[seat].recorded] if seat in seats else [0, 0]
    return row


def figures_rows(report: ComplianceReport) -> list[list[Any]]:
    groups = [*report.municipalities, *report.regions, report.total]
    return [figures_row(group) for group in groups]


def monthly_sheet(report: ComplianceReport):
    header = ["month", "category", "category_label", "incidents"]
    rows = [[m.month.strftime("%Y-%m"), m.category, m.label, m.incidents] for m in report.monthly]
    return "Incidents by month", header, rows


def statement_days_sheet(report: ComplianceReport):
    header = ["bin", "from_days", "to_days", "cases"]
    rows = [[b.label, b.low, b.high, b.cases] for b in report.statement_days]
    return "Days to statement", header, rows


def seats_sheet(report: ComplianceReport):
    header = ["level", "code", "name", "seat", "seat_label", "present", "recorded", "rate"]
    rows = [
        [g.level, g.code, g.name, s.seat, s.label, s.present, s.recorded, s.rate]
        for g in [*report.municipalities, *report.regions, report.total]
        for s in g.meetings.seats
    ]
    return "Attendance by seat", header, rows


def report_scope(report: ComplianceReport) -> dict[str, Any]:
    return {
        "municipality": report.municipality,
        "region": report.region,
        "municipalities": report.scope_codes,
    }


def report_filename(report: ComplianceReport, extension: str) -> str:
    where = report.municipality or report.region or "scope"
    return f"mcsc-compliance-{report.period.key.replace('..', '_')}-{where}.{extension}"


# --- The case list --------------------------------------------------------------------

CASE_COLUMNS = [
    ("reference", F("reference")),
    ("municipality_code", F("municipality__code")),
    ("municipality", F("municipality__name_osce_style")),
    ("region", F("municipality__region__code")),
    ("incident_at", F("occurred_at")),
    ("reported_at", F("reported_at")),
    ("category", F("category")),
    ("affected_community", F("affected_community__code")),
    ("settlement", F("settlement")),
    ("state", F("state")),
    ("due_at", F("due_at")),
    ("verified_at", F("verified_at")),
    ("dismissed_at", F("dismissed_at")),
    ("council_meeting_at", F("convened_meeting__starts_at")),
    ("published_at", F("published_at")),
    ("first_outreach_on", None),
    ("closed_at", F("closed_at")),
]


def case_export_header() -> list[str]:
    return [
        *(name for name, _ in CASE_COLUMNS),
        "overdue",
        *(f"days_to_{step}" for step in STEPS),
    ]


def case_export_rows(cases: QuerySet[Case], *, now: dt.datetime) -> Iterator[list[Any]]:
    """The rows of the case export, read in chunks (one query, streamed)."""
    expressions = {
        f"x_{name}": expression if expression is not None else first_outreach_on()
        for name, expression in CASE_COLUMNS
    }
    expressions.update({f"x_days_{step}": incident_days(step) for step in STEPS})
    names = list(expressions)
    rows = cases.order_by("occurred_at", "pk").annotate(**expressions).values_list(*names)
    for values in rows.iterator(chunk_size=ROWS_PER_CHUNK):
        record = dict(zip(names, values, strict=True))
        due = record["x_due_at"]
        row = [record[f"x_{name}"] for name, _ in CASE_COLUMNS]
        row.append(due is not None and due < now)
        row += [
            None if record[f"x_days_{s}"] is None else round(record[f"x_days_{s}"], 2)
            for s in STEPS
        ]
        yield row


# --- PDF ----------------------------------------------------------------------------------

# The static folder the report may use (its stylesheet); the renderer refuses anything else.
PDF_STATIC_DIRS = ("compliance",)


def html_to_pdf(html: str, *, url_fetcher: StaticFilesFetcher | None = None) -> bytes:
    return render_pdf(html, static_dirs=PDF_STATIC_DIRS, url_fetcher=url_fetcher)
