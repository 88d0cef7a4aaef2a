"""Bounds that keep every record inside its case's life and every value inside its column,
checked by the services themselves (so the pages, the API and the import agree), and lists
that behave at their edges (page 0, a page past the end, a filter value that does not
exist). Each is a 400 with a message under the field, never a 500, on SQLite and on
PostgreSQL."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casefiles import services
from casefiles.models import Case, CaseState, FollowUpAction, OutreachActivity
from mcsc.councils import services as council_services
from mcsc.councils.services import MAX_QUORUM
from mcsc.inputs import EARLIEST_DATE, latest_date
from mcsc.models import Council, Language, Meeting, Role
from tests.casefiles.builders import api_client, case_in, open_case, page_client, team
from tests.factories import community, municipality, user_with_role

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"
UTC = dt.UTC


@pytest.fixture
def prizren():
    t = team("prizren")
    t.monitor = user_with_role(Role.MONITOR)
    return t


def refused(call, field: str) -> str:
    """The service's message under ``field`` (it must refuse with one)."""
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict, error.value.message_dict
    return " ".join(error.value.message_dict[field])


def at(year: int, month: int = 1, day: int = 1) -> dt.datetime:
    return dt.datetime(year, month, day, 12, tzinfo=UTC)


# --- Incidents: from 1999, not in the future -------------------------------------------------


@pytest.mark.parametrize("year", [1, 955, 1998])
def test_the_service_refuses_an_incident_before_1999(prizren, year):
    message = refused(
        lambda: open_case(prizren, occurred_at=at(year), reported_at=at(year, 2)), "occurred_at"
    )
    assert "before 1999-01-01" in message
    assert not Case.objects.exists()


def test_an_incident_of_1999_is_accepted_with_a_1999_reference(prizren):
    case = open_case(prizren, occurred_at=at(1999, 6, 1), reported_at=at(1999, 6, 2))
    assert case.reference == "PZ-1999-0001"


def test_the_service_refuses_a_correction_moving_the_incident_to_year_one(prizren):
    case = open_case(prizren)
    old = at(1)
    call = lambda: services.case_update(user=prizren.secretary, case=case, occurred_at=old)  # noqa: E731
    assert "before 1999-01-01" in refused(call, "occurred_at")
    assert Case.objects.get().occurred_at == case.occurred_at


def test_the_report_page_refuses_an_incident_before_1999_naming_the_range(prizren):
    response = page_client(prizren.secretary).post(
        reverse("casefiles:new"),
        {
            "occurred_at": "1998-12-31T10:00",
            "reported_at": "1998-12-31T12:00",
            "category": "property_damage",
            "affected_community": community("turk").pk,
            "source": "police",
            "settlement": "Mamushë",
            "summary": "Windows broken.",
        },
    )
    assert response.status_code == 400
    assert "Choose a date between 1999-01-01 and" in response.content.decode()
    assert not Case.objects.exists()


def test_the_api_refuses_an_incident_in_the_future_and_a_report_before_it(prizren):
    client = api_client(prizren.secretary)
    body = {
        "settlement": "Mamushë",
        "category": "property_damage",
        "affected_community": "turk",
        "summary": "Windows broken.",
        "source": "police",
    }
    tomorrow = timezone.now() + dt.timedelta(days=1)
    future = client.post(
        "/api/v1/cases/",
        {**body, "occurred_at": tomorrow.isoformat(), "reported_at": tomorrow.isoformat()},
        format="json",
    )
    assert future.status_code == 400
    assert "cannot be in the future" in str(future.json()["occurred_at"])
    now = timezone.now()
    backwards = client.post(
        "/api/v1/cases/",
        {
            **body,
            "occurred_at": now.isoformat(),
            "reported_at": (now - dt.timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert backwards.status_code == 400
    assert "before the incident" in str(backwards.json()["reported_at"])
    assert not Case.objects.exists()


# --- Outreach, follow-up, publication: within the case's life --------------------------------


def outreach_data(**overrides):
    return {
        "held_on": timezone.localdate(),
        "place": "Community centre",
        "officials_present": "Deputy mayor",
        "participants_women": 3,
        "participants_men": 4,
        "concerns_raised": "Lighting.",
        "language": Language.objects.get(code="tr"),
        **overrides,
    }


@pytest.mark.parametrize("held_on", [dt.date(955, 1, 1), dt.date(1999, 1, 1)])
def test_the_service_refuses_outreach_before_the_incident(prizren, held_on):
    case = case_in(prizren, CaseState.STATEMENT_PUBLISHED)
    call = lambda: services.outreach_record(  # noqa: E731
        user=prizren.secretary, case=case, **outreach_data(held_on=held_on)
    )
    assert "before the incident" in refused(call, "held_on")
    assert not OutreachActivity.objects.exists()


def test_the_api_refuses_outreach_held_in_955(prizren):
    case = case_in(prizren, CaseState.STATEMENT_PUBLISHED)
    body = {**outreach_data(held_on="0955-01-01"), "language": "tr"}
    url = f"/api/v1/cases/{case.reference}/transitions/record_outreach/"
    response = api_client(prizren.secretary).post(url, body, format="json")
    assert response.status_code == 400
    assert "Choose a date between 1999-01-01 and" in str(response.json()["held_on"])
    assert not OutreachActivity.objects.exists()


@pytest.mark.parametrize("count", [2**40, 2**70, True, -1])
def test_the_service_refuses_participants_beyond_the_limit(prizren, count):
    case = case_in(prizren, CaseState.STATEMENT_PUBLISHED)
    call = lambda: services.outreach_record(  # noqa: E731
        user=prizren.secretary, case=case, **outreach_data(participants_men=count)
    )
    assert "from 0 to 10000" in refused(call, "participants_men")


@pytest.mark.parametrize("count", [2**40, 2**70])
def test_the_api_refuses_participants_beyond_the_limit(prizren, count):
    case = case_in(prizren, CaseState.STATEMENT_PUBLISHED)
    body = {**outreach_data(participants_other=count), "held_on": timezone.localdate().isoformat()}
    body["language"] = "tr"
    url = f"/api/v1/cases/{case.reference}/transitions/record_outreach/"
    response = api_client(prizren.secretary).post(url, body, format="json")
    assert response.status_code == 400 and "participants_other" in response.json()


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        (dt.date(9999, 12, 31), "Choose a date between 1999-01-01 and"),
        (dt.date(2090, 1, 1), "Choose a date between 1999-01-01 and"),
        (dt.date(2001, 1, 1), "cannot be due before the incident"),
    ],
)
def test_the_service_keeps_due_dates_within_the_case_life(prizren, due_on, message):
    case = case_in(prizren, CaseState.FOLLOW_UP)
    before = FollowUpAction.objects.count()
    call = lambda: services.follow_up_action_add(  # noqa: E731
        user=prizren.secretary, case=case, description="Repair", owner="Office", due_on=due_on
    )
    assert message in refused(call, "due_on")
    call = lambda: services.follow_up_start(  # noqa: E731
        user=prizren.secretary,
        case=case_in(prizren, CaseState.OUTREACH_CONDUCTED),
        actions=[{"description": "Repair", "owner": "Office", "due_on": due_on}],
    )
    assert message in refused(call, "actions")
    assert FollowUpAction.objects.count() == before


def test_a_due_date_years_ahead_within_the_limit_is_accepted(prizren):
    case = case_in(prizren, CaseState.FOLLOW_UP)
    action = services.follow_up_action_add(
        user=prizren.secretary,
        case=case,
        description="Repair",
        owner="Office",
        due_on=latest_date(),
    )
    assert action.due_on == latest_date()


def test_the_action_page_and_api_refuse_a_due_date_before_the_incident(prizren):
    case = case_in(prizren, CaseState.FOLLOW_UP)
    data = {"description": "Repair", "owner": "Office", "due_on": "2001-01-01"}
    page = page_client(prizren.secretary).post(
        reverse("casefiles:action_add", args=[case.reference]), data
    )
    assert page.status_code == 400
    assert "cannot be due before the incident" in page.content.decode()
    url = f"/api/v1/cases/{case.reference}/follow-up-actions/"
    response = api_client(prizren.secretary).post(url, data, format="json")
    assert response.status_code == 400, response.content
    assert "cannot be due before the incident" in str(response.json()["due_on"])
    assert not case.follow_up_actions.filter(description="Repair").exists()


def test_an_action_cannot_be_completed_before_the_incident(prizren):
    case = case_in(prizren, CaseState.FOLLOW_UP)
    action = case.follow_up_actions.first()
    call = lambda: services.follow_up_action_update(  # noqa: E731
        user=prizren.secretary, action=action, status="done", completed_on=dt.date(2001, 1, 1)
    )
    assert "before the incident" in refused(call, "completed_on")


def test_a_statement_cannot_be_published_before_1999(prizren):
    case = case_in(prizren, CaseState.STATEMENT_APPROVED)
    call = lambda: services.statement_publish(  # noqa: E731
        user=prizren.secretary, case=case, channels=["website"], published_at=at(1)
    )
    assert "before the incident" in refused(call, "published_at")
    assert Case.objects.get(pk=case.pk).state == CaseState.STATEMENT_APPROVED


# --- Meetings and councils --------------------------------------------------------------------


@pytest.mark.parametrize("starts_at", [at(1), at(1998, 12, 31), at(9999, 12, 31)])
def test_the_service_refuses_a_meeting_outside_the_date_range(prizren, starts_at):
    call = lambda: council_services.meeting_create(  # noqa: E731
        user=prizren.secretary,
        municipality=municipality("prizren"),
        kind="regular",
        starts_at=starts_at,
        place="Town hall",
    )
    assert "Choose a date between 1999-01-01 and" in refused(call, "starts_at")
    assert not Meeting.objects.exists()


def test_the_service_refuses_a_member_appointed_before_1999(prizren):
    call = lambda: council_services.council_member_add(  # noqa: E731
        user=prizren.secretary,
        municipality=municipality("prizren"),
        name="Member",
        seat="civil_society",
        appointed_on=dt.date(1900, 1, 1),
    )
    assert "Choose a date between" in refused(call, "appointed_on")


@pytest.mark.parametrize("quorum", [0, MAX_QUORUM + 1, 2**40])
def test_a_quorum_beyond_the_limit_is_refused_by_service_and_page(prizren, quorum):
    council = council_services.council_get_or_create(municipality=municipality("prizren"))
    call = lambda: council_services.council_update(  # noqa: E731
        user=prizren.secretary, council=council, name="MCSC", quorum_minimum=quorum
    )
    assert "The quorum is from 1 to" in refused(call, "quorum_minimum")
    url = reverse("mcsc:council-settings") + "?municipality=20"
    page = page_client(prizren.secretary).post(url, {"name": "MCSC", "quorum_minimum": quorum})
    assert page.status_code == 400
    assert Council.objects.get().quorum_minimum is None


# --- Lengths ----------------------------------------------------------------------------------


def test_services_refuse_text_longer_than_its_column(prizren):
    case = case_in(prizren, CaseState.STATEMENT_PUBLISHED)
    long = "x" * 201
    call = lambda: services.outreach_record(  # noqa: E731
        user=prizren.secretary, case=case, **outreach_data(place=long)
    )
    assert "at most 200 characters (it has 201)" in refused(call, "place")
    follow = case_in(prizren, CaseState.FOLLOW_UP)
    call = lambda: services.follow_up_action_add(  # noqa: E731
        user=prizren.secretary,
        case=follow,
        description="Repair",
        owner=long,
        due_on=timezone.localdate(),
    )
    assert "at most 200 characters" in refused(call, "owner")
    people = [{"role": "victim", "name": long}]
    assert "Person 1: " in refused(lambda: open_case(prizren, people=people), "people")
    call = lambda: council_services.meeting_create(  # noqa: E731
        user=prizren.secretary,
        municipality=municipality("prizren"),
        kind="regular",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        place="x" * 1000,
    )
    assert "at most" in refused(call, "place")


def test_the_api_refuses_a_long_owner_with_a_field_message(prizren):
    case = case_in(prizren, CaseState.FOLLOW_UP)
    body = {"description": "Repair", "owner": "x" * 201, "due_on": timezone.localdate().isoformat()}
    url = f"/api/v1/cases/{case.reference}/follow-up-actions/"
    response = api_client(prizren.secretary).post(url, body, format="json")
    assert response.status_code == 400 and "owner" in response.json()


def test_translations_of_an_agenda_item_must_be_text(prizren):
    meeting = council_services.meeting_create(
        user=prizren.secretary,
        municipality=municipality("prizren"),
        kind="regular",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        place="Town hall",
        agenda=[{"title": "Safety"}],
    )
    item = meeting.agenda_items.get()
    nested = {"sr-Cyrl": {"title": [[{"a": [1]}]]}}
    call = lambda: council_services.agenda_item_record(  # noqa: E731
        user=prizren.secretary,
        item=item,
        title="Safety",
        discussion="",
        decisions="",
        translations=nested,
    )
    assert "as text" in refused(call, "translations")


# --- Pages of lists ---------------------------------------------------------------------------

API_LISTS = ["/api/v1/cases/", "/api/v1/audit/", "/api/v1/meetings/"]
PAGE_LISTS = ["/cases/", "/audit/"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "٣", str(2**70)])
@pytest.mark.parametrize("path", API_LISTS)
def test_a_malformed_page_is_a_400_under_page_in_the_api(prizren, path, page):
    open_case(prizren)
    response = api_client(prizren.monitor).get(path, {"page": page})
    assert response.status_code == 400
    assert response.json() == {"page": ["Give the page as a whole number from 1."]}


@pytest.mark.parametrize("path", API_LISTS)
def test_a_page_past_the_end_is_empty_in_the_api_and_links_the_last(prizren, path):
    open_case(prizren)
    client = api_client(prizren.monitor)
    first = client.get(path).json()
    response = client.get(path, {"page": 99})
    assert response.status_code == 200
    body = response.json()
    assert body["results"] == [] and body["count"] == first["count"] and body["next"] is None
    assert body["previous"].endswith("page=1")


def test_the_first_page_of_the_api_is_unchanged(prizren):
    open_case(prizren)
    body = api_client(prizren.secretary).get("/api/v1/cases/", {"page": 1}).json()
    assert body["count"] == 1 and len(body["results"]) == 1 and body["previous"] is None


@pytest.mark.parametrize("page", ["0", "-1", "abc", str(2**70)])
@pytest.mark.parametrize("path", PAGE_LISTS)
def test_a_malformed_page_is_a_400_on_the_pages(prizren, path, page):
    open_case(prizren)
    response = page_client(prizren.monitor).get(path, {"page": page})
    assert response.status_code == 400
    assert "Give the page as a whole number from 1." in response.content.decode()


@pytest.mark.parametrize("path", PAGE_LISTS)
def test_a_page_past_the_end_shows_the_last_page(prizren, path):
    case = open_case(prizren)
    response = page_client(prizren.monitor).get(path, {"page": 999})
    assert response.status_code == 200
    if path == "/cases/":
        assert case.reference in response.content.decode()


def test_the_public_statements_refuse_a_malformed_page(client):
    assert client.get("/public/prizren/", {"page": "0"}).status_code == 400
    assert client.get("/public/prizren/", {"page": "999"}).status_code == 200


def test_the_schema_documents_the_page_rule():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = schema["paths"]["/api/v1/cases/"]["get"]["parameters"]
    page = next(p for p in parameters if p["name"] == "page")
    assert page["schema"]["minimum"] == 1 and "empty `results`" in page["description"]


# --- Filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name", "allowed"),
    [
        ("/api/v1/cases/", "state", "reported, verified"),
        ("/api/v1/cases/", "category", "property_damage"),
        ("/api/v1/audit/", "action", "case.open"),
    ],
)
def test_an_unknown_filter_value_is_a_400_listing_the_allowed_values(prizren, path, name, allowed):
    response = api_client(prizren.monitor).get(path, {name: "bogus"})
    assert response.status_code == 400
    message = response.json()[name][0]
    assert message.startswith("“bogus” is not one of: ") and allowed in message


def test_an_unknown_state_on_the_case_list_page_lists_the_states(prizren):
    response = page_client(prizren.monitor).get("/cases/", {"state": "bogus"})
    assert response.status_code == 400
    assert "is not one of: " in response.content.decode()


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/audit/", {"date_from": "1998-12-31"}),
        ("/api/v1/cases/", {"date_to": "9999-12-31"}),
        ("/api/v1/compliance/", {"period": "9999"}),
        ("/api/v1/compliance/", {"period": "0001-Q1"}),
        ("/api/v1/compliance/", {"from": "0001-01-01", "to": "0001-12-31"}),
    ],
)
def test_api_filters_out_of_range_are_a_400_never_a_500(prizren, path, params):
    response = api_client(prizren.monitor).get(path, params)
    assert response.status_code == 400
    assert set(response.json()) <= {*params, "detail"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/audit/", {"date_from": "0001-01-01"}),
        ("/compliance/", {"period": "9999"}),
        ("/compliance/", {"period": "1-Q1"}),
        ("/cases/", {"date_from": "1998-12-31"}),
    ],
)
def test_page_filters_out_of_range_are_a_400_never_a_500(prizren, path, params):
    assert page_client(prizren.monitor).get(path, params).status_code == 400


def test_the_earliest_date_is_1999():
    assert dt.date(1999, 1, 1) == EARLIEST_DATE
