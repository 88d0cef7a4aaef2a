"""Exports: streaming CSV, XLSX, the PDF compliance report, the case list export, the
audit event each export writes, and the PDF renderer's URL fetcher."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from casefiles import services
from casefiles.compliance import exports
from casefiles.compliance.periods import Period
from casefiles.compliance.report import compliance_report
from casefiles.compliance.views import report_context
from casefiles.models import AuditAction, AuditEvent, CaseState
from mcsc.documents import StaticFilesFetcher, static_url
from mcsc.models import Role
from tests.casefiles.builders import case_in, open_case, team
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def prizren():
    return team("prizren")


@pytest.fixture
def cases(prizren):
    gjilan = team("gjilan")
    return {
        "published": case_in(prizren, CaseState.STATEMENT_PUBLISHED),
        "closed": case_in(prizren, CaseState.CLOSED),
        "reported": open_case(prizren),
        "gjilan": case_in(gjilan, CaseState.VERIFIED, community_code="serb"),
    }


@pytest.fixture
def monitor():
    return user_with_role(Role.MONITOR)


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def read_csv(response) -> list[list[str]]:
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the byte order mark
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def _value(value):
    """Numbers compared as numbers (a spreadsheet reads 88.0 back as 88)."""
    if value is None or value == "":
        return ""
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


def exports_audited():
    return list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("sequence"))


def test_the_figures_csv_streams_and_is_audited_once(cases, monitor, client):
    client.force_login(monitor)
    response = client.get(reverse("compliance:export", args=["csv"]), {"period": "2026"})
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="mcsc-compliance-2026-scope.csv"'
    )
    table = read_csv(response)
    assert table[0] == exports.figures_header()
    # 38 municipalities, 5 regions, the total.
    assert len(table) == 1 + 38 + 5 + 1
    rows = {(r[0], r[2] or r[1]): dict(zip(table[0], r, strict=True)) for r in table[1:]}
    prizren = rows[("municipality", "20")]
    assert (prizren["incidents"], prizren["published"], prizren["closed"]) == ("3", "2", "1")
    assert rows[("total", "")]["incidents"] == "4"
    [event] = exports_audited()
    assert event.actor == monitor and event.municipality is None
    assert event.payload == {
        "kind": "compliance",
        "format": "csv",
        "period": "2026",
        "scope": {
            "municipality": None,
            "region": None,
            "municipalities": event.payload["scope"]["municipalities"],
        },
        "rows": 44,
    }
    assert len(event.payload["scope"]["municipalities"]) == 38


def test_the_figures_xlsx_has_the_same_table_and_more_sheets(cases, monitor, client):
    client.force_login(monitor)
    response = client.get(
        reverse("compliance:export", args=["xlsx"]), {"period": "2026", "region": "prizren"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    workbook = load_workbook(io.BytesIO(body(response)), read_only=True)
    assert workbook.sheetnames == [
        "Figures",
        "Attendance by seat",
        "Incidents by month",
        "Days to statement",
    ]
    figures = [list(row) for row in workbook["Figures"].iter_rows(values_only=True)]
    assert figures[0] == exports.figures_header()
    csv_table = read_csv(
        client.get(
            reverse("compliance:export", args=["csv"]), {"period": "2026", "region": "prizren"}
        )
    )
    assert [[_value(v) for v in row] for row in figures[1:]] == [
        [_value(v) for v in row] for row in csv_table[1:]
    ]
    [first, second] = exports_audited()
    assert (first.payload["format"], second.payload["format"]) == ("xlsx", "csv")
    assert first.payload["scope"]["region"] == "prizren"
    assert first.payload["rows"] == len(figures) - 1


def test_the_pdf_report_renders_with_its_charts(cases, monitor, client):
    client.force_login(monitor)
    response = client.get(reverse("compliance:export", args=["pdf"]), {"period": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert b"/Pattern" in pdf  # the charts' fill patterns are in the document
    [event] = exports_audited()
    assert event.payload["format"] == "pdf"

    # The HTML holds the four charts inline, and the renderer fetched only the stylesheet.
    report = compliance_report(user=monitor, period=Period.parse("2026"))
    from django.template.loader import render_to_string

    html = render_to_string(
        "compliance/report.html", {**report_context(report), "generated_by": "test"}
    )
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 4
    fetcher = StaticFilesFetcher(static_dirs=exports.PDF_STATIC_DIRS)
    exports.html_to_pdf(html, url_fetcher=fetcher)
    assert fetcher.served == [static_url("compliance/report.css")]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "MCSC compliance report, 2026" in text
        assert "days from the incident to the statement" in text  # a chart's axis label
        assert "Awaiting verification" in text  # a chart's legend
        assert "Prizren" in text


def test_the_case_export_has_no_personal_data(cases, prizren, client):
    client.force_login(prizren.secretary)  # a secretary sees personal data on the pages
    response = client.get(reverse("compliance:case_export"), {"format": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["X-Export-Rows"] == "3"
    table = read_csv(response)
    assert table[0] == exports.case_export_header()
    assert not {"summary", "location", "latitude", "longitude", "people", "name"} & set(table[0])
    text = "\n".join(",".join(row) for row in table)
    assert "Ahmet Kaya" not in text and "+383" not in text  # the victim of builders.open_case
    assert "Windows of a family house" not in text  # the summary
    refs = {row[0] for row in table[1:]}
    assert refs == {cases[k].reference for k in ("published", "closed", "reported")}
    [event] = exports_audited()
    assert event.municipality.slug == "prizren"
    assert event.payload == {
        "kind": "cases",
        "format": "csv",
        "period": None,
        "scope": {},
        "rows": 3,
    }


def test_the_case_export_uses_the_case_list_filters(cases, monitor, client):
    client.force_login(monitor)
    response = client.get(
        reverse("compliance:case_export"),
        {"format": "xlsx", "figure": "published", "region": "prizren", "date_from": "2020-01-01"},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True)["Cases"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header == exports.case_export_header()
    # A read-only sheet leaves out the empty cells at the end of a row.
    by_ref = {
        r[0]: dict(zip(header, r + [None] * (len(header) - len(r)), strict=True)) for r in rows[1:]
    }
    assert set(by_ref) == {cases["published"].reference, cases["closed"].reference}
    closed = by_ref[cases["closed"].reference]
    assert closed["state"] == "closed" and closed["closed_at"] is not None
    assert closed["days_to_publish"] is not None and closed["first_outreach_on"] is not None
    [event] = exports_audited()
    assert event.payload["scope"] == {
        "date_from": "2020-01-01",
        "region": "prizren",
        "figure": "published",
    }
    assert event.payload["period"] == "2020-01-01.."
    assert event.payload["rows"] == 2


def test_text_that_looks_like_a_formula_stays_text(prizren, monitor, client):
    case = open_case(prizren)
    services.case_update(user=prizren.secretary, case=case, settlement='=HYPERLINK("x")')
    client.force_login(monitor)
    table = read_csv(client.get(reverse("compliance:case_export"), {"format": "csv"}))
    settlement = table[0].index("settlement")
    assert table[1][settlement] == '\'=HYPERLINK("x")'
    response = client.get(reverse("compliance:case_export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(body(response)))["Cases"]
    cell = sheet.cell(row=2, column=settlement + 1)
    assert cell.data_type == "s" and cell.value == '\'=HYPERLINK("x")'
    assert exports.cell("-1") == "'-1" and exports.cell(-1) == -1


def test_exports_need_the_export_right_and_a_known_format(cases, client):
    administrator = user_with_role(Role.ADMINISTRATOR)  # audits, but does not export
    client.force_login(administrator)
    assert client.get(reverse("compliance:dashboard")).status_code == 200
    assert "data-export" not in client.get(reverse("compliance:dashboard")).content.decode()
    assert client.get(reverse("compliance:export", args=["csv"])).status_code == 403
    assert client.get(reverse("compliance:case_export")).status_code == 403
    member = user_with_role(Role.MEMBER, "prizren")
    client.force_login(member)
    assert client.get(reverse("compliance:case_export")).status_code == 403
    client.force_login(user_with_role(Role.MONITOR))
    assert client.get(reverse("compliance:export", args=["doc"])).status_code == 400
    assert client.get(reverse("compliance:case_export"), {"format": "pdf"}).status_code == 400
    assert (
        client.get(reverse("compliance:export", args=["csv"]), {"period": "x"}).status_code == 400
    )
    assert not exports_audited()


def test_the_dashboard_offers_downloads_with_progress(cases, monitor, client):
    client.force_login(monitor)
    html = client.get(reverse("compliance:dashboard"), {"period": "2026"}).content.decode()
    assert 'src="/static/compliance/export.js"' in html
    assert html.count("data-export") == 5
    assert 'href="/compliance/export/csv/?period=2026"' in html
    assert 'role="status" aria-live="polite"' in html
    assert "cdn" not in html.lower()
