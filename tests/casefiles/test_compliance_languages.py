""" "Statement in every required language" in every kind of municipality.

Most municipalities have no language in official use (Obiliq, Klinë, Ferizaj, ...); some
have one (Gjilan: Turkish; Istog: Bosnian; Prizren: Romani); and the affected community's
language adds a required language where no municipal language of its family covers it. A
statement published with every required language approved counts, per municipality, per
region and for the whole scope, and the page, the API and the CSV, XLSX and PDF exports
read the same number.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import shutil
import subprocess
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from casefiles import services
from casefiles.compliance.figures import figure_q
from casefiles.compliance.periods import Period
from casefiles.compliance.report import (
    ComplianceReport,
    GroupFigures,
    compliance_report,
    period_cases,
)
from casefiles.compliance.views import RESPONSE_COLUMNS, rows_for
from casefiles.models import Case, CaseState
from mcsc.languages import required_languages
from mcsc.models import Municipality, Role
from tests.casefiles.builders import case_in, team
from tests.factories import community, municipality, user_with_role

pytestmark = pytest.mark.django_db

COLUMN = "In every required language"  # the page's and the PDF's column heading
FIGURE_COLUMN = [attribute for attribute, _share, _heading in RESPONSE_COLUMNS].index(
    "published_all_languages"
)


@dataclass(frozen=True)
class Setting:
    slug: str
    community: str
    required: frozenset[str]  # what mcsc.languages.required_languages says, spelled out


def setting(slug: str, community_code: str, *required: str):
    return pytest.param(
        Setting(slug, community_code, frozenset(required)), id=f"{slug}-{community_code}"
    )


SETTINGS = [
    # No language in official use; the community's language is official already.
    setting("obiliq", "albanian", "sq", "sr-Cyrl"),
    # No language in official use; covered by a municipal language of the same family.
    setting("ferizaj", "montenegrin", "sq", "sr-Cyrl"),
    # No language in official use; the community's language is added.
    setting("obiliq", "turk", "sq", "sr-Cyrl", "tr"),
    setting("klina", "roma", "sq", "sr-Cyrl", "rom"),
    # A language in official use that covers the community's language.
    setting("gjilan", "turk", "sq", "sr-Cyrl", "tr"),
    setting("prizren", "roma", "sq", "sr-Cyrl", "tr", "bs", "rom"),
    # A language in official use, and the community's language added to it.
    setting("gjilan", "roma", "sq", "sr-Cyrl", "tr", "rom"),
    setting("istog", "croat", "sq", "sr-Cyrl", "bs", "hr"),
]


def period() -> Period:
    today = timezone.localdate()
    return Period.parse(None, today - dt.timedelta(days=30), today)


def query(**extra) -> dict[str, str]:
    p = period()
    return {"from": p.start.isoformat(), "to": p.end.isoformat(), **extra}


def published_in_every_language(slug: str, community_code: str) -> Case:
    """Published the way the product publishes: every required translation approved."""
    return case_in(team(slug), CaseState.STATEMENT_PUBLISHED, community_code=community_code)


def published_then_short_of_a_language(slug: str) -> Case:
    """Published complete, then its community corrected to the Croat community, whose
    language no municipality uses: Croatian is now required and missing."""
    t = team(slug)
    case = case_in(t, CaseState.STATEMENT_PUBLISHED, community_code="albanian")
    return services.case_update(user=t.secretary, case=case, affected_community=community("croat"))


# --- Reading the figure from each output ------------------------------------------------


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _export_rows(table: list[list], header: list[str]) -> dict[tuple[str, str], dict]:
    rows = [dict(zip(header, row, strict=True)) for row in table]
    return {(row["level"], row["municipality_code"] or row["region"] or ""): row for row in rows}


def _pdf_rows(text: str) -> list[tuple[str, list[int]]]:
    """The rows of the PDF's response table: (the start of the name, which may wrap onto
    the next line; the counts, shares being percentages left out)."""
    section = text.split("Response per municipality", 1)[1].split("Municipalities ranked", 1)[0]
    rows = []
    for line in section.splitlines():
        tokens = line.split()
        first = next((i for i, token in enumerate(tokens) if token.isdigit()), None)
        counts = [int(token) for token in tokens[first or 0 :] if token.isdigit()]
        if first and len(counts) >= len(RESPONSE_COLUMNS):
            rows.append((" ".join(tokens[:first]), counts))
    return rows


def _pdf_count(text: str, report: ComplianceReport, group: GroupFigures) -> int:
    """The figure in ``group``'s row of the PDF: the rows are the report's, in order."""
    shown = [row.group for row in rows_for(report) if row.has_cases]
    rows = _pdf_rows(text)
    assert len(rows) == len(shown)
    index = [(g.level, g.code) for g in shown].index((group.level, group.code))
    name, counts = rows[index]
    assert name and group.name.startswith(name)
    return counts[FIGURE_COLUMN]


def figure_everywhere(
    user, params: dict[str, str], report: ComplianceReport, group: GroupFigures
) -> dict[str, int]:
    """The figure for ``group`` of ``report`` as the page, the API and each export show it
    (``params``: the query of ``report``)."""
    client = APIClient()
    client.force_login(user)
    key = (group.level, group.code)
    found: dict[str, int] = {}

    page = client.get(reverse("compliance:dashboard"), params)
    assert page.status_code == 200
    label = html.escape(f"{group.name}, {COLUMN}")
    [n] = re.findall(
        rf'>(\d+)<span class="visually-hidden"> {re.escape(label)}</span>', page.content.decode()
    )
    found["page"] = int(n)

    api = client.get(reverse("api-compliance"), params).json()
    groups = [*api["municipalities"], *api["regions"], api["total"]]
    [data] = [g for g in groups if (g["level"], g["code"]) == key]
    found["api"] = data["published_all_languages"]

    text = _body(client.get(reverse("compliance:export", args=["csv"]), params)).decode("utf-8")
    header, *table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    found["csv"] = int(_export_rows(table, header)[key]["published_all_languages"])

    workbook = load_workbook(
        io.BytesIO(_body(client.get(reverse("compliance:export", args=["xlsx"]), params))),
        read_only=True,
    )
    header, *table = [list(r) for r in workbook["Figures"].iter_rows(values_only=True)]
    found["xlsx"] = int(_export_rows(table, header)[key]["published_all_languages"])

    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler-utils; the Debian image of the project has it
        pdf = _body(client.get(reverse("compliance:export", args=["pdf"]), params))
        text = subprocess.run(
            [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        found["pdf"] = _pdf_count(text, report, group)
    return found


# --- Per municipality -------------------------------------------------------------------


@pytest.mark.parametrize("where", SETTINGS)
def test_a_statement_in_every_required_language_counts_in_its_municipality(where: Setting):
    place = municipality(where.slug)
    assert {
        language.code
        for language in required_languages(municipality=place, community=community(where.community))
    } == where.required
    complete = published_in_every_language(where.slug, where.community)
    published_then_short_of_a_language(where.slug)
    monitor = user_with_role(Role.MONITOR)

    report = compliance_report(user=monitor, period=period(), municipality=place.code)
    [group] = report.municipalities
    assert (group.published, group.published_all_languages) == (2, 1)
    assert group.published_all_languages_share == 0.5
    cases = period_cases([place.pk], period())
    assert list(cases.filter(figure_q("all_languages", within=cases))) == [complete]

    expected = {"page": 1, "api": 1, "csv": 1, "xlsx": 1}
    if shutil.which("pdftotext"):
        expected["pdf"] = 1
    assert figure_everywhere(monitor, query(municipality=place.code), report, group) == expected


# --- Per region and for the whole scope -------------------------------------------------


def test_regions_and_the_whole_scope_count_every_kind_of_municipality():
    # Pristina region: Obiliq (no language in official use), Pristina (Turkish in use),
    # Graçanicë (Romani in use), Fushë Kosovë (none; its case lacks Croatian now).
    complete = [
        published_in_every_language("obiliq", "albanian"),
        published_in_every_language("obiliq", "turk"),
        published_in_every_language("pristina", "roma"),
        published_in_every_language("gracanica", "roma"),
        # Gjilan region: Ferizaj (none) and Gjilan (Turkish in use).
        published_in_every_language("ferizaj", "roma"),
        published_in_every_language("gjilan", "turk"),
    ]
    published_then_short_of_a_language("fushe-kosova")
    published_then_short_of_a_language("ferizaj")
    monitor = user_with_role(Role.MONITOR)

    report = compliance_report(user=monitor, period=period())
    regions = {g.code: g for g in report.regions}
    assert (regions["prishtine"].published, regions["prishtine"].published_all_languages) == (5, 4)
    assert (regions["gjilan"].published, regions["gjilan"].published_all_languages) == (3, 2)
    assert (report.total.published, report.total.published_all_languages) == (8, 6)
    cases = period_cases(report.municipality_ids, period())
    assert set(cases.filter(figure_q("all_languages", within=cases))) == set(complete)

    expected = {"page": 4, "api": 4, "csv": 4, "xlsx": 4}
    if shutil.which("pdftotext"):
        expected["pdf"] = 4
    in_region = compliance_report(user=monitor, period=period(), region="prishtine")
    [region] = in_region.regions
    assert figure_everywhere(monitor, query(region="prishtine"), in_region, region) == expected
    assert figure_everywhere(monitor, query(), report, report.total) == dict.fromkeys(expected, 6)


def test_a_municipality_with_no_official_language_recorded_counts_its_statements():
    # Official languages are a to-many relation like the languages in official use: while
    # a municipality's are not recorded (being corrected in the admin), its language in
    # official use and the community's language are the ones required, and a statement in
    # them counts. (Gjilan keeps Turkish in official use, so only the empty official
    # languages are tested here.)
    place = municipality("gjilan")
    place.official_languages.clear()
    assert [
        language.code
        for language in required_languages(municipality=place, community=community("albanian"))
    ] == ["sq", "tr"]
    complete = published_in_every_language("gjilan", "albanian")
    published_then_short_of_a_language("gjilan")

    report = compliance_report(
        user=user_with_role(Role.MONITOR), period=period(), municipality=place.code
    )
    [group] = report.municipalities
    assert (group.published, group.published_all_languages) == (2, 1)
    cases = period_cases([place.pk], period())
    assert list(cases.filter(figure_q("all_languages", within=cases))) == [complete]


def test_every_municipality_counts_a_statement_published_in_every_required_language():
    # Roma: Romani is added to the municipal languages in 36 municipalities and is a
    # language in official use in the other two (Prizren, Graçanicë).
    places = list(Municipality.objects.order_by("code"))
    assert len(places) == 38
    for place in places:
        published_in_every_language(place.slug, "roma")

    report = compliance_report(user=user_with_role(Role.MONITOR), period=period())
    assert {g.code: (g.published, g.published_all_languages) for g in report.municipalities} == {
        place.code: (1, 1) for place in places
    }
    assert {g.code: g.published_all_languages for g in report.regions} == {
        g.code: g.published for g in report.regions
    }
    assert report.total.published_all_languages == 38
