"""GET /api/v1/compliance/: the dashboard's figures, and the agreement of the dashboard, the
API and the CSV export on the demo data."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import get_resolver, reverse
from django.utils import timezone
from freezegun import freeze_time

from casefiles.compliance.exports import (
    GROUP_COLUMNS,
    MEETING_COLUMNS,
    STEP_COLUMNS,
    figures_header,
    figures_rows,
)
from casefiles.compliance.figures import STEPS
from casefiles.models import AuditAction, AuditEvent, Case, CaseState
from mcsc.models import Role, Seat
from tests.factories import api_token_key, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _urls_loaded_before_the_clock_is_frozen():
    """Loading the URLconf imports psycopg's C module, which refuses freezegun's datetime."""
    assert get_resolver().url_patterns


def _text(value) -> str:
    """A value as the CSV writes it."""
    if value is None:
        return ""
    return str(value)


def api_rows(data: dict) -> list[list[str]]:
    """The API's groups flattened into the CSV's columns."""
    rows = []
    for group in [*data["municipalities"], *data["regions"], data["total"]]:
        values = {
            **group,
            "region": group["region_code"],
            "municipality_code": group["code"] if group["level"] == "municipality" else "",
        }
        row = [values[name] for name in GROUP_COLUMNS]
        for step in group["steps"]:
            row += [step[column] for column in STEP_COLUMNS]
        row += [group["meetings"][column] for column in MEETING_COLUMNS]
        seats = {s["seat"]: s for s in group["meetings"]["seats"]}
        for seat in Seat.values:
            row += [seats[seat]["present"], seats[seat]["recorded"]] if seat in seats else [0, 0]
        rows.append([_text(v) for v in row])
    return rows


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    return get_user_model().objects.get(username="monitor.osce")


def test_dashboard_api_and_csv_agree_on_every_figure_of_the_demo_data(demo, client):
    client.force_login(demo)
    with freeze_time(timezone.now()):
        page = client.get(reverse("compliance:dashboard"))
        api = client.get(reverse("api-compliance"))
        response = client.get(reverse("compliance:export", args=["csv"]))
        body = b"".join(response.streaming_content).decode("utf-8")
    assert page.status_code == api.status_code == response.status_code == 200
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert table[0] == figures_header()
    dashboard = [[_text(v) for v in row] for row in figures_rows(page.context["report"])]
    assert table[1:] == dashboard == api_rows(api.json())
    data = api.json()
    # Not vacuous: the demo data has cases at every step in the three demo municipalities.
    assert data["total"]["incidents"] == Case.objects.count() == 16
    assert data["total"]["closed"] == Case.objects.filter(state=CaseState.CLOSED).count() > 0
    assert data["total"]["dismissed"] == 1
    assert sum(1 for g in data["municipalities"] if g["incidents"]) == 3
    assert len(data["municipalities"]) == 38
    assert {s["step"] for s in data["total"]["steps"]} == set(STEPS)
    assert all(s["median_days"] is not None for s in data["total"]["steps"])
    assert data["total"]["meetings"]["held"] > 0
    assert data["score_formula"].startswith("For each of the five steps")


def test_every_figure_of_the_demo_dashboard_drills_down_to_its_cases(demo, client):
    client.force_login(demo)
    with freeze_time(timezone.now()):
        page = client.get(reverse("compliance:dashboard"))
        urls: dict[str, int] = {}
        for row in page.context["rows"]:
            if not row.has_cases:
                continue
            cells = [*row.response, *row.stages, *row.statement_days]
            cells += [
                s[k] for s in row.steps for k in ("done", "expected", "on_time", "late", "overdue")
            ]
            for cell in cells:
                assert urls.setdefault(cell.url, cell.n) == cell.n
        for url, n in urls.items():
            listed = client.get(url)
            assert listed.context["page_obj"].paginator.count == n, url
        total = page.context["total"]
        published = client.get(
            reverse("casefiles:list"),
            {"date_from": f"{timezone.localdate().year}-01-01", "figure": "published"},
        )
        assert {c.reference for c in published.context["page_obj"].paginator.object_list} == set(
            Case.objects.filter(published_at__isnull=False).values_list("reference", flat=True)
        )
    assert total.published == published.context["page_obj"].paginator.count
    assert len(urls) > 100


def test_the_api_takes_a_range_a_municipality_and_a_region(demo, client):
    client.force_login(demo)
    today = timezone.localdate()
    response = client.get(
        reverse("api-compliance"),
        {"from": f"{today.year}-01-01", "to": today.isoformat(), "region": "prizren"},
    )
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {
        "key": f"{today.year}-01-01..{today.isoformat()}",
        "kind": "range",
        "start": f"{today.year}-01-01",
        "end": today.isoformat(),
    }
    assert data["region"] == "prizren"
    assert {g["region_code"] for g in data["municipalities"]} == {"prizren"}
    assert [g["code"] for g in data["regions"]] == ["prizren"]
    one = client.get(reverse("api-compliance"), {"municipality": "20"}).json()
    assert [g["code"] for g in one["municipalities"]] == ["20"]
    assert one["total"]["incidents"] == Case.objects.filter(municipality__code="20").count()


def test_the_api_refuses_bad_periods_and_scopes(client, api_client):
    monitor = user_with_role(Role.MONITOR, region_code="gjilan")
    client.force_login(monitor)
    bad = client.get(reverse("api-compliance"), {"period": "2026-Q9"})
    assert bad.status_code == 400 and "period" in bad.json()
    assert client.get(reverse("api-compliance"), {"from": "yesterday"}).status_code == 400
    assert client.get(reverse("api-compliance"), {"municipality": "20"}).status_code == 404
    assert client.get(reverse("api-compliance"), {"region": "prizren"}).status_code == 404
    assert client.get(reverse("api-compliance"), {"municipality": "99"}).status_code == 404
    translator = user_with_role(Role.TRANSLATOR, "gjilan")
    client.force_login(translator)
    assert client.get(reverse("api-compliance")).status_code == 403
    assert api_client.get(reverse("api-compliance")).status_code in (401, 403)
    # Token authentication, as for the rest of the API.
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(monitor)}")
    response = api_client.get(reverse("api-compliance"), {"period": "2026"})
    assert response.status_code == 200
    assert {g["region_code"] for g in response.json()["municipalities"]} == {"gjilan"}
    # Reading figures is not an export: nothing is written to the audit trail.
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_the_endpoint_is_in_the_schema(client):
    client.force_login(user_with_role(Role.MONITOR))
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/compliance/" in schema
    assert "published_all_languages_share" in schema
