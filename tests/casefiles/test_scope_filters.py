"""Every page and API filter by municipality or region answers alike (README, scoping):
404 for a value outside the user's scope (its existence is not revealed), 400 for a value
that cannot be a code, on SQLite and PostgreSQL. The finding: ``/audit/?municipality=`` of
another municipality was silently dropped (200, the whole trail)."""

import pytest

from casefiles.models import AuditEvent
from mcsc.models import Role
from tests.casefiles.builders import api_client, open_case, page_client, team
from tests.factories import municipality, user_with_role

pytestmark = pytest.mark.django_db

PRIZREN, GJILAN = "20", "04"  # statistical office codes


@pytest.fixture
def prizren():
    t = team("prizren")
    t.monitor = user_with_role(Role.MONITOR)
    open_case(t)
    return t


FILTERED = [
    ("page", "/cases/"),
    ("api", "/api/v1/cases/"),
    ("page", "/audit/"),
    ("api", "/api/v1/audit/"),
    ("page", "/compliance/"),
    ("api", "/api/v1/compliance/"),
    ("page", "/compliance/export/csv/"),
    ("page", "/compliance/cases/export/"),
    ("page", "/council/"),
    ("page", "/council/settings/"),
    ("page", "/council/meetings/new/"),
    ("api", "/api/v1/meetings/"),
]


def get(kind, user, path, params):
    return (page_client if kind == "page" else api_client)(user).get(path, params)


@pytest.mark.parametrize(("kind", "path"), FILTERED)
def test_a_municipality_outside_the_scope_is_a_404_everywhere(prizren, kind, path):
    """The finding: ``/audit/?municipality=<another>`` was silently dropped (200)."""
    assert get(kind, prizren.secretary, path, {"municipality": GJILAN}).status_code == 404
    assert get(kind, prizren.secretary, path, {"municipality": "99"}).status_code == 404
    assert get(kind, prizren.secretary, path, {"municipality": PRIZREN}).status_code == 200


@pytest.mark.parametrize(("kind", "path"), FILTERED)
@pytest.mark.parametrize("value", ["not-a-code", "12345", "2 0", "20;"])
def test_a_malformed_municipality_is_a_400_everywhere(prizren, kind, path, value):
    response = get(kind, prizren.secretary, path, {"municipality": value})
    assert response.status_code == 400
    assert "statistical office code" in response.content.decode()


def test_a_regional_monitor_gets_404_for_a_municipality_outside_the_region(prizren):
    monitor = user_with_role(Role.MONITOR, region_code="gjilan")
    for kind, path in FILTERED:
        if path.startswith(("/council/settings", "/council/meetings/new")):
            continue  # a monitor manages no council: 403 for any municipality
        assert get(kind, monitor, path, {"municipality": PRIZREN}).status_code == 404, path
        assert get(kind, monitor, path, {"municipality": GJILAN}).status_code == 200, path


REGION_FILTERED = [
    ("page", "/cases/"),
    ("page", "/compliance/"),
    ("api", "/api/v1/compliance/"),
    ("page", "/compliance/export/csv/"),
]


@pytest.mark.parametrize(("kind", "path"), REGION_FILTERED)
def test_a_region_outside_the_scope_is_a_404_and_a_malformed_one_a_400(prizren, kind, path):
    user = prizren.secretary
    assert get(kind, user, path, {"region": "gjilan"}).status_code == 404
    assert get(kind, user, path, {"region": "atlantis"}).status_code == 404
    malformed = get(kind, user, path, {"region": "no such region!"})
    assert malformed.status_code == 400
    assert "region by its code" in malformed.content.decode()
    assert get(kind, user, path, {"region": "prizren"}).status_code == 200


def test_the_audit_filter_of_a_global_auditor_still_narrows_the_trail(prizren):
    open_case(team("gjilan"), community_code="serb")
    client = api_client(prizren.monitor)
    response = client.get("/api/v1/audit/", {"municipality": GJILAN})
    assert response.status_code == 200
    events = response.json()["results"]
    assert events and {e["municipality"] for e in events} == {GJILAN}
    assert AuditEvent.objects.filter(municipality=municipality("prizren")).exists()
