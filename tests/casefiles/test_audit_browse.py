"""Browsing the audit trail (page /audit/ and GET /api/v1/audit/): scope, filters,
pagination, fixed queries; and monitors' reads of cases written to the trail."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefiles import services
from casefiles.audit.chain import audit_record
from casefiles.audit.checkpoints import audit_checkpoint_record
from casefiles.audit.verification import audit_verify
from casefiles.audit.views import audit_changes_summary
from casefiles.clock import recording_at
from casefiles.models import AuditAction, AuditEvent, CaseState
from mcsc.models import Role
from mcsc.services import role_assign
from tests.casefiles.builders import advance, case_in, open_case, team
from tests.casefiles.test_api import token_client
from tests.factories import municipality, user_with_role

pytestmark = pytest.mark.django_db

LIST = "/api/v1/audit/"


def page(client, **params) -> str:
    response = client.get(reverse("audit:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def sequences(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<th scope="row" data-label="#">(\d+)</th>', html)}


def api_sequences(client, **params) -> set[int]:
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    return {row["sequence"] for row in response.json()["results"]}


def events_of(slug: str) -> set[int]:
    return set(
        AuditEvent.objects.filter(municipality=municipality(slug)).values_list(
            "sequence", flat=True
        )
    )


@pytest.fixture
def two_regions():
    """A case (several events) in Prizren and in Gjilan, and one system-wide event."""
    prizren, gjilan = team("prizren"), team("gjilan")
    prizren_case = case_in(prizren, CaseState.VERIFIED)
    gjilan_case = case_in(gjilan, CaseState.VERIFIED, community_code="serb")
    audit_checkpoint_record(actor=user_with_role(Role.MONITOR), via="page")  # no municipality
    return prizren, gjilan, prizren_case, gjilan_case


# --- Scope --------------------------------------------------------------------------------


def test_a_gjilan_regional_monitor_sees_no_prizren_event_in_page_or_api(client, two_regions):
    _, _, prizren_case, gjilan_case = two_regions
    monitor = user_with_role(Role.MONITOR, region_code="gjilan")
    gjilan_events, prizren_events = events_of("gjilan"), events_of("prizren")
    assert gjilan_events and prizren_events

    client.force_login(monitor)
    html = page(client)
    assert sequences(html) == gjilan_events
    assert prizren_case.reference not in html and gjilan_case.reference in html
    assert "Prizren" not in html

    api = token_client(monitor)
    assert api_sequences(api) == gjilan_events
    assert prizren_case.reference not in api.get(LIST).content.decode()

    # Filtering by a Prizren case or municipality answers 404, as if it did not exist.
    assert client.get(reverse("audit:list"), {"case": prizren_case.reference}).status_code == 404
    assert api.get(LIST, {"case": prizren_case.reference}).status_code == 404
    assert api.get(LIST, {"municipality": prizren_case.municipality.code}).status_code == 404
    assert api.get(LIST, {"case": "PZ-2099-0001"}).status_code == 404
    # The page answers the same: a municipality outside the scope is not silently dropped.
    outside = client.get(reverse("audit:list"), {"municipality": prizren_case.municipality.code})
    assert outside.status_code == 404
    # Its own case filters fine.
    of_case = set(AuditEvent.objects.filter(case=gjilan_case).values_list("sequence", flat=True))
    assert of_case and api_sequences(api, case=gjilan_case.reference) == of_case


def test_system_wide_events_are_for_global_auditors_only(client, two_regions):
    # Signing in, roles of monitors and tokens are system-wide events too: make them first.
    auditors = [user_with_role(Role.MONITOR), user_with_role(Role.ADMINISTRATOR)]
    auditor_apis = [token_client(user) for user in auditors]
    secretary_api = token_client(two_regions[0].secretary)
    regional_api = token_client(user_with_role(Role.MONITOR, region_code="gjilan"))
    system = set(
        AuditEvent.objects.filter(municipality__isnull=True).values_list("sequence", flat=True)
    )
    assert AuditEvent.objects.filter(
        municipality__isnull=True, action=AuditAction.AUDIT_CHECKPOINT
    ).exists()
    for user, api in zip(auditors, auditor_apis, strict=True):
        assert api_sequences(api) == set(AuditEvent.objects.values_list("sequence", flat=True))
        client.force_login(user)
        assert sequences(page(client)) == set(AuditEvent.objects.values_list("sequence", flat=True))
    assert api_sequences(secretary_api) == events_of("prizren")
    assert not api_sequences(regional_api) & system


def test_municipal_staff_see_their_municipality_and_others_nothing(client, two_regions):
    prizren = two_regions[0]
    assert api_sequences(token_client(prizren.leadership)) == events_of("prizren")
    # Members and translators have no audit right: 403, and no menu entry.
    for user in (user_with_role(Role.MEMBER, "prizren"), prizren.translator):
        assert token_client(user).get(LIST).status_code == 403
        client.force_login(user)
        assert client.get(reverse("audit:list")).status_code == 403
        assert 'href="/audit/"' not in client.get(reverse("casefiles:list")).content.decode()
    client.force_login(prizren.secretary)
    assert 'href="/audit/"' in client.get(reverse("casefiles:list")).content.decode()


def test_a_member_elsewhere_does_not_widen_an_auditors_scope(two_regions):
    """Audit rights count, not any role: a Prizren secretary who is also a council member
    in Gjilan sees Prizren's events only."""
    prizren = two_regions[0]
    role_assign(user=prizren.secretary, role=Role.MEMBER, municipality=municipality("gjilan"))
    assert api_sequences(token_client(prizren.secretary)) == events_of("prizren")


def test_anonymous_users_are_sent_to_log_in(client, api_client):
    response = client.get(reverse("audit:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert api_client.get(LIST).status_code in (401, 403)


# --- Filters, rows, pagination ------------------------------------------------------------


def test_filters_narrow_the_trail_in_page_and_api(client):
    t = team("prizren")
    first = case_in(t, CaseState.VERIFIED)
    second = open_case(t)
    monitor = user_with_role(Role.MONITOR)
    api = token_client(monitor)
    client.force_login(monitor)

    def both(**params) -> set[int]:
        from_api, from_page = api_sequences(api, **params), sequences(page(client, **params))
        assert from_api == from_page
        return from_api

    of_first = set(AuditEvent.objects.filter(case=first).values_list("sequence", flat=True))
    assert both(case=first.reference) == of_first
    assert both(case=first.reference.lower()) == of_first
    verify = set(
        AuditEvent.objects.filter(action=AuditAction.CASE_VERIFY).values_list("sequence", flat=True)
    )
    assert both(action="case.verify") == verify
    by_secretary = set(
        AuditEvent.objects.filter(actor=t.secretary).values_list("sequence", flat=True)
    )
    assert both(actor=t.secretary.username.upper()) == by_secretary
    assert both(municipality=first.municipality.code) == events_of("prizren")
    today = timezone.localdate()
    everything = set(AuditEvent.objects.values_list("sequence", flat=True))
    assert both(date_from=today.isoformat(), date_to=today.isoformat()) == everything
    assert both(date_from=(today + dt.timedelta(days=1)).isoformat()) == set()
    assert both(date_to=(today - dt.timedelta(days=1)).isoformat()) == set()
    assert both(case=second.reference, action="case.verify") == set()

    response = api.get(LIST, {"date_from": "2026-05-02", "date_to": "2026-05-01"})
    assert response.status_code == 400 and "date_to" in response.json()
    assert api.get(LIST, {"action": "case.nonsense"}).status_code == 400


def test_rows_show_action_case_link_states_and_changed_field_names(client):
    t = team("prizren")
    case = open_case(t, settlement="Mamushë")
    services.case_update(user=t.secretary, case=case, settlement="Landovica", summary=case.summary)
    advance(t, case, CaseState.VERIFIED)
    client.force_login(user_with_role(Role.MONITOR))
    html = page(client)
    assert "Case verified" in html and "case.verify" in html
    assert f'href="{reverse("casefiles:detail", args=[case.reference])}"' in html
    assert "Reported → Verified" in html
    # Changed fields by name, never their values.
    assert "settlement" in html and "Landovica" not in html
    # The people recorded at intake never show up.
    assert "Ahmet" not in html and "+383" not in html


def test_a_step_recorded_for_an_earlier_moment_shows_both_times(client):
    t = team("prizren")
    case = open_case(t, days_ago=40)
    moment = timezone.make_aware(dt.datetime(2026, 1, 7, 9, 30))
    with recording_at(moment):
        advance(t, case, CaseState.VERIFIED)
    event = AuditEvent.objects.get(case=case, action=AuditAction.CASE_VERIFY)
    monitor = user_with_role(Role.MONITOR)
    client.force_login(monitor)
    html = page(client)
    assert "recorded as of" in html and "7 Jan 2026 09:30" in html
    assert html.count("recorded as of") == 1  # the intake was written live
    rows = token_client(monitor).get(LIST).json()["results"]
    verify = next(row for row in rows if row["sequence"] == event.sequence)
    assert dt.datetime.fromisoformat(verify["as_of"]) == moment
    assert dt.datetime.fromisoformat(verify["created_at"]) == event.created_at
    assert all(row["as_of"] is None for row in rows if row["sequence"] != event.sequence)


def test_the_change_summary_never_shows_personal_keys():
    event = AuditEvent(changes={"settlement": ["a", "b"], "name": ["x", "y"], "contact": [1, 2]})
    assert audit_changes_summary(event) == "settlement, personal data"


def test_pages_of_fifty_newest_first(client):
    t = team("prizren")
    case = open_case(t)
    api = token_client(user_with_role(Role.MONITOR))
    for _ in range(60):
        audit_record(actor=t.secretary, action=AuditAction.CASE_UPDATE, case=case)
    total = AuditEvent.objects.count()
    body = api.get(LIST).json()
    assert body["count"] == total and len(body["results"]) == 50 and body["next"]
    numbers = [row["sequence"] for row in body["results"]]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] == total
    assert body["results"][0]["case"] == case.reference
    assert body["results"][0]["municipality"] == case.municipality.code
    second = api.get(LIST, {"page": 2}).json()
    assert len(second["results"]) == total - 50

    client.force_login(user_with_role(Role.MONITOR))
    total = AuditEvent.objects.count()  # with the monitor's role and sign-in
    html = page(client)
    assert len(sequences(html)) == 50 and "Page 1 of 2" in html
    assert len(sequences(page(client, page=2))) == total - 50


def count_queries(client, path, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(captured)


# Page: session, user, the user's roles, municipalities for the filter, count, page of
# events (municipality and case joined). API: token, user, roles, count, page.
PAGE_QUERIES = 7
API_QUERIES = 5


def test_the_trail_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    t = team("prizren")
    case = open_case(t)
    monitor = user_with_role(Role.MONITOR)
    client.force_login(monitor)
    api = token_client(monitor)
    small_page = count_queries(client, reverse("audit:list"))
    small_api = count_queries(api, LIST)
    for _ in range(3):
        case_in(t, CaseState.VERIFIED)
    for _ in range(30):
        audit_record(actor=t.secretary, action=AuditAction.CASE_UPDATE, case=case)
    with django_assert_max_num_queries(PAGE_QUERIES):
        client.get(reverse("audit:list"))
    with django_assert_max_num_queries(API_QUERIES):
        api.get(LIST)
    assert count_queries(client, reverse("audit:list")) == small_page
    assert count_queries(api, LIST) == small_api
    # A case filter adds one query (the case, through the scope).
    filtered = count_queries(api, LIST, {"case": case.reference})
    assert filtered == small_api + 1


# --- Monitors' reads of cases are logged --------------------------------------------------


def monitor_views(case) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case=case, action=AuditAction.CASE_MONITOR_VIEW))


def test_a_monitor_opening_a_case_writes_one_event_per_read(client):
    t = team("gjilan")
    case = case_in(t, CaseState.VERIFIED, community_code="serb")
    monitor = user_with_role(Role.MONITOR, region_code="gjilan")
    client.force_login(monitor)
    assert client.get(reverse("casefiles:detail", args=[case.reference])).status_code == 200
    views = monitor_views(case)
    assert len(views) == 1
    assert views[0].actor == monitor and views[0].payload == {"via": "page"}
    assert views[0].municipality_id == case.municipality_id

    assert token_client(monitor).get(f"/api/v1/cases/{case.reference}/").status_code == 200
    views = monitor_views(case)
    assert len(views) == 2 and views[1].payload == {"via": "api"}
    assert audit_verify().ok

    # The reads are in the audit trail page, not in the case's own history.
    html = client.get(reverse("casefiles:detail", args=[case.reference])).content.decode()
    assert "Case read by a monitor" not in html
    assert "Case read by a monitor" in page(client, case=case.reference)


def test_staff_reads_are_not_monitor_reads(client):
    t = team("prizren")
    case = case_in(t, CaseState.VERIFIED)
    for user in (t.secretary, t.leadership, user_with_role(Role.ADMINISTRATOR)):
        client.force_login(user)
        assert client.get(reverse("casefiles:detail", args=[case.reference])).status_code == 200
        assert token_client(user).get(f"/api/v1/cases/{case.reference}/").status_code == 200
    # A monitor who is also the municipality's secretary reads as the secretary.
    role_assign(user=t.secretary, role=Role.MONITOR)
    assert token_client(t.secretary).get(f"/api/v1/cases/{case.reference}/").status_code == 200
    assert monitor_views(case) == []


def test_a_monitor_outside_scope_gets_404_and_nothing_is_written(client):
    case = case_in(team("prizren"), CaseState.VERIFIED)
    monitor = user_with_role(Role.MONITOR, region_code="gjilan")
    client.force_login(monitor)
    assert client.get(reverse("casefiles:detail", args=[case.reference])).status_code == 404
    assert token_client(monitor).get(f"/api/v1/cases/{case.reference}/").status_code == 404
    assert monitor_views(case) == []
