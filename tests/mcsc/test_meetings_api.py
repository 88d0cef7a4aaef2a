"""GET /api/v1/meetings/, /api/v1/meetings/{id}/ and the minutes PDF endpoint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mcsc.councils.services import guest_add
from mcsc.models import Role
from tests.casefiles.builders import open_case, team
from tests.factories import api_token_key, user_with_role
from tests.mcsc.conftest import needs_catalogues
from tests.mcsc.meeting_builders import all_present, meeting, members

pytestmark = pytest.mark.django_db


def as_user(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(user)}")
    return api_client


@pytest.fixture
def councils():
    prizren = user_with_role(Role.SECRETARY, "prizren")
    gjilan = user_with_role(Role.SECRETARY, "gjilan")
    prizren_members = members(prizren, "prizren", 4)
    gjilan_members = members(gjilan, "gjilan", 3)
    held = meeting(
        prizren, "prizren", attendance=all_present(prizren_members), chair=prizren_members[0]
    )
    meeting(prizren, "prizren", days_ago=-3, kind="extraordinary")
    meeting(gjilan, "gjilan", attendance=all_present(gjilan_members, absent=2))
    return {"prizren": prizren, "gjilan": gjilan, "held": held}


def test_meetings_are_listed_within_the_users_scope(api_client, councils):
    body = as_user(api_client, councils["prizren"]).get("/api/v1/meetings/").json()
    assert body["count"] == 2
    assert {row["municipality"] for row in body["results"]} == {"20"}
    newest = body["results"][0]
    assert newest["kind"] == "extraordinary" and newest["attendance_recorded"] is False
    held = body["results"][1]
    assert held["quorum"] == {"present": 4, "members": 4, "required": 3, "reached": True}
    assert held["minutes_status"] == "draft" and held["chair"] == "Member prizren 0"

    regional = user_with_role(Role.MONITOR, region_code="gjilan")
    body = as_user(api_client, regional).get("/api/v1/meetings/").json()
    assert [row["municipality"] for row in body["results"]] == ["04"]
    assert body["results"][0]["quorum"]["reached"] is False


def test_monitors_read_all_meetings_and_filter_by_municipality(api_client, councils):
    monitor = as_user(api_client, user_with_role(Role.MONITOR))
    assert monitor.get("/api/v1/meetings/").json()["count"] == 3
    body = monitor.get("/api/v1/meetings/?municipality=04").json()
    assert body["count"] == 1 and body["results"][0]["municipality"] == "04"
    assert monitor.get("/api/v1/meetings/?kind=extraordinary").json()["count"] == 1


def test_the_list_takes_a_fixed_number_of_queries(api_client, councils, django_assert_num_queries):
    client = as_user(api_client, user_with_role(Role.MONITOR))
    with CaptureQueriesContext(connection) as before:
        client.get("/api/v1/meetings/")
    extra = members(councils["prizren"], "prizren", 3)
    for days in (20, 30, 40):
        meeting(councils["prizren"], "prizren", days_ago=days, attendance=all_present(extra))
    with django_assert_num_queries(len(before)):
        assert client.get("/api/v1/meetings/").json()["count"] == 6


def test_meeting_detail_hides_contact_details_from_monitors(
    api_client, councils, django_assert_max_num_queries
):
    held = councils["held"]
    case = open_case(team("prizren"))
    guest_add(user=councils["prizren"], meeting=held, name="Hannah Schmidt", organisation="OSCE")
    url = f"/api/v1/meetings/{held.pk}/"

    secretary = as_user(api_client, councils["prizren"]).get(url).json()
    assert [row["title"] for row in secretary["agenda"]] == ["Security situation"]
    first = secretary["attendance"][0]
    assert first["email"].endswith("@example.invalid") and first["phone"].startswith("+383")
    assert first["seat_label"] and first["status"] == "present"
    assert secretary["guests"] == [{"name": "Hannah Schmidt", "organisation": "OSCE"}]
    minutes = secretary["minutes"]
    assert [(v["version"], v["status"]) for v in minutes] == [(1, "draft")]
    assert [d["language"] for d in minutes[0]["documents"]] == ["sq", "sr-Cyrl", "tr", "bs"]
    assert minutes[0]["documents"][1]["url"].endswith(
        f"/api/v1/meetings/{held.pk}/minutes/1/sr-Cyrl.pdf"
    )

    monitor = as_user(api_client, user_with_role(Role.MONITOR))
    with django_assert_max_num_queries(14):
        body = monitor.get(url).json()
    assert all(row["email"] is None and row["phone"] is None for row in body["attendance"])
    assert body["quorum"]["reached"] is True
    member = as_user(api_client, user_with_role(Role.MEMBER, "prizren")).get(url).json()
    assert member["attendance"][0]["email"] is None
    del case


def test_meetings_outside_scope_are_not_found(api_client, councils):
    client = as_user(api_client, councils["gjilan"])
    held = councils["held"]
    assert client.get(f"/api/v1/meetings/{held.pk}/").status_code == 404
    assert client.get(f"/api/v1/meetings/{held.pk}/minutes/1/sq.pdf").status_code == 404
    api_client.credentials()
    assert api_client.get("/api/v1/meetings/").status_code in (401, 403)


@needs_catalogues
def test_a_draft_pdf_is_rendered_on_request(api_client, councils):
    client = as_user(api_client, user_with_role(Role.MONITOR))
    held = councils["held"]
    response = client.get(
        f"/api/v1/meetings/{held.pk}/minutes/1/tr.pdf", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Cache-Control"] == "no-store"
    assert "-draft.pdf" in response["Content-Disposition"]
    # Only the current draft exists; other versions and non-official languages do not.
    assert client.get(f"/api/v1/meetings/{held.pk}/minutes/2/tr.pdf").status_code == 404
    assert client.get(f"/api/v1/meetings/{held.pk}/minutes/1/rom.pdf").status_code == 404
