"""Bad input gets a clear, specific answer and changes nothing: dates out of range, whole
numbers out of range, unknown fields. Each finding is reproduced with its exact input, on
SQLite and PostgreSQL."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from casefiles.models import Case, CaseState, OutreachActivity
from mcsc.inputs import MAX_INTEGER, latest_date
from mcsc.models import Council, Role
from tests.casefiles.builders import api_client, case_in, open_case, page_client, team
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

RANGE = "Choose a date between 1999-01-01 and"
PRIZREN = "20"  # statistical office code


@pytest.fixture
def prizren():
    t = team("prizren")
    t.monitor = user_with_role(Role.MONITOR)
    open_case(t)
    return t


# --- Dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/audit/", {"date_to": "9999-12-31"}),
        ("/audit/", {"date_from": "0001-01-01"}),
        ("/cases/", {"date_to": "9999-12-31"}),
        ("/cases/", {"date_from": "0001-01-01"}),
        ("/compliance/", {"from": "0001-01-01", "to": "9999-12-31"}),
    ],
)
@pytest.mark.parametrize("role", ["secretary", "monitor"])
def test_a_page_filter_out_of_the_date_range_is_a_400_saying_the_range(prizren, role, path, params):
    response = page_client(getattr(prizren, role)).get(path, params)
    assert response.status_code == 400
    assert RANGE in response.content.decode()


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/audit/", {"date_to": "9999-12-31"}, "date_to"),
        ("/api/v1/audit/", {"date_from": "0001-01-01"}, "date_from"),
        ("/api/v1/cases/", {"date_to": "9999-12-31"}, "date_to"),
        ("/api/v1/compliance/", {"from": "0001-01-01", "to": "9999-12-31"}, "from"),
    ],
)
def test_an_api_filter_out_of_the_date_range_is_a_400_naming_the_field(
    prizren, path, params, field
):
    response = api_client(prizren.monitor).get(path, params)
    assert response.status_code == 400
    assert RANGE in str(response.json()[field])


def test_exports_refuse_dates_out_of_the_range(prizren):
    client = page_client(prizren.monitor)
    export = client.get("/compliance/export/csv/", {"from": "0001-01-01", "to": "9999-12-31"})
    assert export.status_code == 400 and RANGE in export.content.decode()
    cases = client.get("/compliance/cases/export/", {"date_to": "9999-12-31"})
    assert cases.status_code == 400 and RANGE in cases.content.decode()


def test_a_compliance_year_out_of_the_range_says_which_years(prizren):
    response = api_client(prizren.monitor).get("/api/v1/compliance/", {"period": "1998"})
    assert response.status_code == 400
    last = latest_date().year
    assert f"Choose a year between 1999 and {last}." in str(response.json()["period"])


def test_written_dates_out_of_the_range_are_refused_and_change_nothing(prizren):
    t = prizren
    client = api_client(t.secretary)
    body = {
        "occurred_at": "0001-01-01T00:00:00Z",
        "reported_at": "0001-01-01T01:00:00Z",
        "settlement": "Mamushë",
        "category": "property_damage",
        "affected_community": "turk",
        "summary": "Windows broken.",
        "source": "police",
    }
    cases = Case.objects.count()
    response = client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert RANGE in str(response.json()["occurred_at"])
    assert Case.objects.count() == cases

    case = case_in(t, CaseState.OUTREACH_CONDUCTED)
    action = {"description": "Repair", "owner": "Office", "due_on": "9999-12-31"}
    url = f"/api/v1/cases/{case.reference}/transitions/start_follow_up/"
    response = client.post(url, {"actions": [action]}, format="json")
    assert response.status_code == 400
    assert RANGE in str(response.json()["actions"])
    assert Case.objects.get(pk=case.pk).state == CaseState.OUTREACH_CONDUCTED


def test_a_page_form_refuses_a_date_out_of_the_range(prizren):
    case = case_in(prizren, CaseState.FOLLOW_UP)
    url = reverse("casefiles:action_add", args=[case.reference])
    data = {"description": "Repair", "owner": "Office", "due_on": "9999-12-31"}
    response = page_client(prizren.secretary).post(url, data)
    assert response.status_code == 400
    assert RANGE in response.content.decode()
    assert not case.follow_up_actions.filter(description="Repair").exists()


# --- Whole numbers ------------------------------------------------------------------------


def outreach(**participants):
    return {
        "held_on": timezone.localdate().isoformat(),
        "place": "Community centre",
        "officials_present": "Deputy mayor",
        "participants_women": 3,
        "participants_men": 4,
        "concerns_raised": "Lighting.",
        "language": "tr",
        **participants,
    }


@pytest.mark.parametrize("count", [2**31, 10**30, 10_001, -1])
def test_participants_out_of_range_are_a_400_on_both_databases(prizren, count):
    case = case_in(prizren, CaseState.STATEMENT_PUBLISHED)
    url = f"/api/v1/cases/{case.reference}/transitions/record_outreach/"
    response = api_client(prizren.secretary).post(
        url, outreach(participants_women=count), format="json"
    )
    assert response.status_code == 400
    assert "participants_women" in response.json()
    assert not OutreachActivity.objects.filter(case=case).exists()


def test_the_page_form_refuses_participants_out_of_range(prizren):
    case = case_in(prizren, CaseState.STATEMENT_PUBLISHED)
    url = reverse("casefiles:step", args=[case.reference, "record_outreach"])
    data = {**outreach(participants_women=str(2**31)), "language": ""}
    response = page_client(prizren.secretary).post(url, data)
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 10000" in response.content.decode()


def test_the_service_refuses_participants_out_of_range(prizren):
    from django.core.exceptions import ValidationError

    from casefiles import services
    from mcsc.models import Language

    case = case_in(prizren, CaseState.STATEMENT_PUBLISHED)
    data = {**outreach(participants_men=10**12), "language": Language.objects.get(code="tr")}
    data["held_on"] = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        services.outreach_record(user=prizren.secretary, case=case, **data)
    assert "participants_men" in error.value.message_dict


def test_a_quorum_beyond_the_largest_integer_is_refused(prizren):
    url = reverse("mcsc:council-settings") + f"?municipality={PRIZREN}"
    response = page_client(prizren.secretary).post(
        url, {"name": "MCSC Prizren", "quorum_minimum": str(MAX_INTEGER + 1)}
    )
    assert response.status_code == 400
    assert Council.objects.filter(quorum_minimum__gt=100).count() == 0


def test_a_huge_id_in_a_body_or_an_address_is_not_found_not_an_error(prizren):
    case = case_in(prizren, CaseState.VERIFIED)
    client = api_client(prizren.secretary)
    url = f"/api/v1/cases/{case.reference}/transitions/convene/"
    assert client.post(url, {"meeting": 10**30}, format="json").status_code == 400
    assert client.get(f"/api/v1/meetings/{10**30}/").status_code == 404
    pages = page_client(prizren.secretary)
    assert pages.get(f"/council/meetings/{10**30}/").status_code == 404
    assert pages.get(f"/cases/{case.reference}/actions/{10**30}/").status_code == 404


# --- Unknown fields -----------------------------------------------------------------------


def test_an_unknown_field_in_a_patch_is_refused_naming_it(prizren):
    case = Case.objects.get()
    before = Case.objects.values().get(pk=case.pk)
    client = api_client(prizren.secretary)
    response = client.patch(f"/api/v1/cases/{case.reference}/", {"colour": "red"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["colour"]
    assert "“colour”" in response.json()["colour"][0]
    # A misspelt correction is not half applied: the known field is not saved either.
    response = client.patch(
        f"/api/v1/cases/{case.reference}/",
        {"summary": "Corrected.", "setlement": "Zhur"},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["setlement"]
    assert Case.objects.values().get(pk=case.pk) == before


def test_an_unknown_field_of_a_nested_person_is_refused(prizren):
    body = {
        "occurred_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
        "reported_at": timezone.now().isoformat(),
        "settlement": "Mamushë",
        "category": "property_damage",
        "affected_community": "turk",
        "summary": "Windows broken.",
        "source": "police",
        "people": [{"role": "victim", "name": "A. K.", "age": 40}],
    }
    response = api_client(prizren.secretary).post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["people"]
    assert "does not accept “age”" in str(response.json()["people"])


def write_operations():
    """(method, path) of every API operation that takes a body, from the OpenAPI schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("post", "put", "patch") and "requestBody" in operation:
                yield method, path


def test_every_write_endpoint_refuses_an_unknown_field(prizren):
    """A new write serializer that does not derive from ``InputSerializer`` fails here."""
    t = prizren
    case = case_in(t, CaseState.FOLLOW_UP)
    action = case.follow_up_actions.first()
    users = [t.secretary, t.leadership, t.translator]
    checked = []
    for method, path in write_operations():
        if path == "/api/v1/auth/token/":
            continue  # DRF's own sign-in form (authentication is not this module's)
        url = (
            path.replace("{reference}", case.reference)
            .replace("{language_code}", "sr-Cyrl")
            .replace("{action_id}", str(action.pk if action else 1))
        )
        statuses = []
        for user in users:
            response = getattr(api_client(user), method)(
                url, {"unknown_field_xyz": 1}, format="json"
            )
            statuses.append(response.status_code)
            assert response.status_code < 500, (method, url, response.content)
            assert response.status_code not in (200, 201), (method, url)
            if response.status_code == 400:
                assert "unknown_field_xyz" in response.json(), (method, url, response.json())
        assert 400 in statuses, (method, url, statuses)
        checked.append(path)
    assert len(checked) >= 15, checked
