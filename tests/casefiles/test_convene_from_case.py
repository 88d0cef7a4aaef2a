"""Convening from the case (issue 12, item 1): from a verified case a secretary records or
schedules the council meeting for it, completes what a meeting lacks, and convenes, through
the pages only; the agenda's case picker finds any open case of the municipality."""

import datetime as dt
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from casefiles.models import Case, CaseState
from mcsc.councils.services import agenda_item_add, meeting_create
from mcsc.models import AgendaItem, Meeting, MinutesStatus, Role
from tests.casefiles.builders import (
    case_in,
    council_members,
    open_case,
    page_client,
    record_attendance,
    team,
)
from tests.factories import community, municipality, user_with_role

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def t():
    return team("prizren")


def convene_url(case) -> str:
    return reverse("casefiles:step", args=[case.reference, "convene"])


def record_url(case, *, schedule: bool = False) -> str:
    url = f"{reverse('mcsc:meeting-new')}?case={case.reference}"
    return f"{url}&schedule=1" if schedule else url


def html(response) -> str:
    return response.content.decode()


def links(page: str) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', page)]


def form_actions(page: str) -> list[str]:
    return [
        a.replace("&amp;", "&") for a in re.findall(r'<form method="post" action="([^"]+)"', page)
    ]


def meeting_choices(page: str) -> list[str]:
    return re.findall(r'name="meeting" value="(\d+)"', page)


def meeting_data(when: dt.datetime, **extra) -> dict:
    return {
        "kind": "extraordinary",
        "starts_at": timezone.localtime(when).strftime(LOCAL),
        "place": "Municipal assembly hall",
        "chair": "",
        "agenda-TOTAL_FORMS": "4",
        "agenda-INITIAL_FORMS": "0",
        **extra,
    }


def a_meeting(t, *, hours_ago: float, agenda=(), members=(), present: int = 0):
    meeting = meeting_create(
        user=t.secretary,
        municipality=municipality(t.slug),
        kind="regular",
        starts_at=timezone.now() - dt.timedelta(hours=hours_ago),
        place=f"Hall {hours_ago}",
        agenda=list(agenda) or [{"title": "Security situation"}],
    )
    if members:
        record_attendance(t, meeting, members, present=present)
    return meeting


# --- The whole way, pages only ----------------------------------------------------------------


def test_from_a_verified_case_to_convened_through_the_pages_only(t):
    people = council_members(t, count=3)
    case = case_in(t, CaseState.VERIFIED)
    client = page_client(t.secretary)

    page = client.get(convene_url(case))
    assert page.status_code == 200
    assert "No council meeting counts for this case yet" in html(page)
    assert meeting_choices(html(page)) == []  # no dead form
    assert "Record this meeting" not in html(page)
    assert record_url(case) in links(html(page))
    assert record_url(case, schedule=True) in links(html(page))

    form = client.get(record_url(case))
    assert form.status_code == 200
    assert f"Record the council meeting for case {case.reference}" in html(form)
    assert f'value="{timezone.localdate().isoformat()}T' in html(form)  # today by default

    saved = client.post(record_url(case), meeting_data(timezone.now() - dt.timedelta(minutes=30)))
    meeting = Meeting.objects.get()
    attendance_url = reverse("mcsc:meeting-attendance", args=[meeting.pk])
    assert saved.status_code == 302
    assert saved["Location"] == f"{attendance_url}?next={quote(convene_url(case), safe='')}"
    assert [(i.position, i.case_id) for i in meeting.agenda_items.all()] == [(1, case.pk)]

    assert client.get(saved["Location"]).status_code == 200
    attended = client.post(saved["Location"], {f"member_{m.pk}": "present" for m in people})
    assert (attended.status_code, attended["Location"]) == (302, convene_url(case))

    meeting_page = html(client.get(reverse("mcsc:meeting", args=[meeting.pk])))
    assert convene_url(case) in links(meeting_page)  # the meeting page leads back too
    page = client.get(convene_url(case))
    assert meeting_choices(html(page)) == [str(meeting.pk)]
    convened = client.post(convene_url(case), {"meeting": str(meeting.pk)})
    assert convened.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.convened_meeting_id) == (CaseState.COUNCIL_CONVENED, meeting.pk)


def test_scheduling_a_meeting_for_the_case_puts_it_on_the_agenda_and_comes_back(t):
    council_members(t, count=3)
    case = case_in(t, CaseState.VERIFIED)
    client = page_client(t.secretary)
    when = timezone.localtime() + dt.timedelta(days=6)

    saved = client.post(
        record_url(case, schedule=True),
        meeting_data(when, **{"agenda-0-title": "Any other business"}),
    )
    assert (saved.status_code, saved["Location"]) == (302, convene_url(case))
    meeting = Meeting.objects.get()
    items = list(meeting.agenda_items.order_by("position").values_list("case_id", "title"))
    assert items == [(case.pk, case.reference), (None, "Any other business")]

    page = html(client.get(convene_url(case)))
    assert f"Not held yet (on {when.strftime('%-d %b %Y %H:%M')})." in page
    assert meeting_choices(page) == []
    assert "Record it after the meeting." in page  # no attendance link before the day


@pytest.mark.parametrize(
    ("schedule", "when", "expected"),
    [
        pytest.param(False, "tomorrow", "cannot be in the future", id="held-in-future"),
        pytest.param(True, "yesterday", "must be in the future", id="scheduled-in-past"),
        pytest.param(False, "before", "after the incident", id="held-before-incident"),
    ],
)
def test_a_meeting_for_the_case_must_be_able_to_count(t, schedule, when, expected):
    case = case_in(t, CaseState.VERIFIED, days_ago=3)
    moments = {
        "tomorrow": timezone.now() + dt.timedelta(days=1),
        "yesterday": timezone.now() - dt.timedelta(days=1),
        "before": case.occurred_at - dt.timedelta(days=1),
    }
    response = page_client(t.secretary).post(
        record_url(case, schedule=schedule), meeting_data(moments[when])
    )
    assert response.status_code == 400
    assert expected in html(response)
    assert not Meeting.objects.exists()


# --- What a meeting lacks, with the link that fixes it ----------------------------------------


def test_the_convene_page_says_what_each_meeting_lacks_with_links_that_fix_it(t):
    people = council_members(t, count=3)
    case = case_in(t, CaseState.VERIFIED, days_ago=5)
    not_on_agenda = a_meeting(t, hours_ago=30, members=people, present=3)
    no_attendance = a_meeting(t, hours_ago=20, agenda=[{"case": case}])
    no_quorum = a_meeting(t, hours_ago=10, agenda=[{"case": case}], members=people, present=1)
    a_meeting(t, hours_ago=24 * 9, agenda=[{"case": case}], members=people, present=3)  # before
    client = page_client(t.secretary)

    page = html(client.get(convene_url(case)))
    assert meeting_choices(page) == []
    assert "Hall 216" not in page  # before the incident: not listed
    assert page.count("The case is not on the meeting&#x27;s agenda.") == 1
    assert "The meeting&#x27;s attendance has not been recorded." in page
    assert "The meeting had no quorum (1 of 3 members present, 2 needed)." in page
    back = f"?next={quote(convene_url(case))}"
    attendance = reverse("mcsc:meeting-attendance", args=[no_attendance.pk]) + back
    correct = reverse("mcsc:meeting-attendance", args=[no_quorum.pk]) + back
    assert {attendance, correct} <= set(links(page))
    put_on_agenda = reverse("mcsc:agenda-item-new", args=[not_on_agenda.pk]) + back
    assert form_actions(page) == [put_on_agenda]

    # Each link works and leads back to the case's convene step.
    added = client.post(put_on_agenda, {"case": str(case.pk), "title": ""})
    assert (added.status_code, added["Location"]) == (302, convene_url(case))
    assert AgendaItem.objects.filter(meeting=not_on_agenda, case=case).count() == 1
    again = client.post(put_on_agenda, {"case": str(case.pk), "title": ""})
    assert again.status_code == 400  # a second click does not list it twice
    assert AgendaItem.objects.filter(meeting=not_on_agenda, case=case).count() == 1
    recorded = client.post(attendance, {f"member_{m.pk}": "present" for m in people})
    assert (recorded.status_code, recorded["Location"]) == (302, convene_url(case))

    page = html(client.get(convene_url(case)))
    assert sorted(meeting_choices(page)) == sorted([str(not_on_agenda.pk), str(no_attendance.pk)])
    assert "Other meetings after the incident" in page  # the one without quorum stays listed
    assert form_actions(page) == []


def test_a_meeting_whose_minutes_are_approved_offers_no_agenda_change(t):
    people = council_members(t, count=3)
    case = case_in(t, CaseState.VERIFIED, days_ago=5)
    frozen = a_meeting(t, hours_ago=30, members=people, present=3)
    approving = a_meeting(t, hours_ago=2)
    frozen.minutes.create(
        approved_at_meeting=approving,
        version=1,
        status=MinutesStatus.APPROVED,
        reference="01/2026",
        created_by=t.secretary,
        approved_by=t.leadership,
        approved_at=timezone.now(),
    )
    page = html(page_client(t.secretary).get(convene_url(case)))
    assert "its agenda can no longer change" in page
    frozen_agenda = reverse("mcsc:agenda-item-new", args=[frozen.pk])
    assert [a for a in form_actions(page) if a.startswith(frozen_agenda)] == []
    assert len(form_actions(page)) == 1  # the approving meeting's agenda still changes


def test_the_convene_page_runs_a_fixed_number_of_queries(t, django_assert_max_num_queries):
    people = council_members(t, count=4)
    case = case_in(t, CaseState.VERIFIED, days_ago=10)
    client = page_client(t.secretary)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(convene_url(case)).status_code == 200
        return len(queries)

    a_meeting(t, hours_ago=5, agenda=[{"case": case}], members=people, present=4)
    few = count()
    for hours in (6, 7, 8, 9, 10, 11):
        present = 4 if hours % 2 else 1
        a_meeting(t, hours_ago=hours, agenda=[{"case": case}], members=people, present=present)
        a_meeting(t, hours_ago=hours + 0.5)
    assert count() == few
    with django_assert_max_num_queries(11):
        page = client.get(convene_url(case))
    assert len(meeting_choices(html(page))) == 4  # the first and the three with quorum


def test_convening_in_two_clicks_when_a_meeting_qualifies(t):
    people = council_members(t, count=2)
    case = case_in(t, CaseState.VERIFIED, days_ago=5)
    good = a_meeting(t, hours_ago=3, agenda=[{"case": case}], members=people, present=2)
    page = html(page_client(t.secretary).get(convene_url(case)))
    assert meeting_choices(page) == [str(good.pk)]
    assert "No council meeting counts" not in page
    assert record_url(case) in links(page)  # another meeting is still possible


# --- Scope and rights ---------------------------------------------------------------------------


@pytest.mark.parametrize("schedule", [False, True])
def test_a_meeting_for_a_case_outside_scope_is_404_and_without_the_right_403(t, schedule):
    case = case_in(t, CaseState.VERIFIED)
    foreign = open_case(team("gjilan"), community_code="serb")
    secretary = page_client(t.secretary)
    assert secretary.get(record_url(foreign, schedule=schedule)).status_code == 404
    unknown = f"{reverse('mcsc:meeting-new')}?case=PZ-1999-0001"
    assert secretary.get(unknown).status_code == 404
    post = secretary.post(record_url(foreign, schedule=schedule), meeting_data(timezone.now()))
    assert post.status_code == 404 and not Meeting.objects.exists()
    for role in (Role.LEADERSHIP, Role.MEMBER, Role.TRANSLATOR):
        reader = page_client(user_with_role(role, t.slug))
        assert reader.get(record_url(case, schedule=schedule)).status_code == 403
    elsewhere = page_client(user_with_role(Role.SECRETARY, "gjilan"))
    assert elsewhere.get(record_url(case, schedule=schedule)).status_code == 404


def test_a_return_address_of_another_site_is_ignored(t):
    people = council_members(t, count=2)
    case = case_in(t, CaseState.VERIFIED, days_ago=5)
    meeting = a_meeting(t, hours_ago=3, agenda=[{"case": case}])
    client = page_client(t.secretary)
    base = reverse("mcsc:meeting-attendance", args=[meeting.pk])
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        response = client.post(
            f"{base}?next={quote(target)}", {f"member_{m.pk}": "present" for m in people}
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("mcsc:meeting", args=[meeting.pk]) + "#attendance"


# --- The agenda's case picker ---------------------------------------------------------------------


def many_newer_cases(t, count: int) -> None:
    """``count`` verified cases reported after every other case (bulk: the picker's reach,
    not the workflow, is under test)."""
    now = timezone.now()
    prizren, turks = municipality(t.slug), community("turk")
    Case.objects.bulk_create(
        Case(
            reference=f"PZ-2099-{i:04d}",
            municipality=prizren,
            year=2099,
            number=i,
            state=CaseState.VERIFIED,
            state_changed_at=now,
            occurred_at=now - dt.timedelta(hours=2),
            reported_at=now - dt.timedelta(hours=1, seconds=i),
            settlement="Landovica",
            category="property_damage",
            summary="Graffiti on a wall.",
            source="police",
            affected_community=turks,
            created_by=t.secretary,
        )
        for i in range(1, count + 1)
    )


def agenda_options(page: str) -> list[str]:
    select = re.search(r'<select name="case".*?</select>', page, re.S)
    return re.findall(r'<option value="(\d+)"', select.group(0)) if select else []


def test_an_old_verified_case_is_found_and_put_on_an_agenda(t, django_assert_max_num_queries):
    old = case_in(t, CaseState.VERIFIED, days_ago=400, settlement="Zhur")
    many_newer_cases(t, 205)
    meeting = a_meeting(t, hours_ago=1)
    client = page_client(t.secretary)
    url = reverse("mcsc:agenda-item-new", args=[meeting.pk])

    with django_assert_max_num_queries(12):
        page = html(client.get(url))
    assert str(old.pk) not in agenda_options(page) and len(agenda_options(page)) == 20
    assert "Only the first 20 are listed" in page
    for term in (old.reference, "zhur", "family house"):  # reference, settlement, summary
        with django_assert_max_num_queries(12):
            found = html(client.get(url, {"q": term}))
        assert agenda_options(found) == [str(old.pk)], term

    added = client.post(f"{url}?q=zhur", {"case": str(old.pk), "title": ""})
    assert added.status_code == 302
    assert list(meeting.agenda_items.values_list("case_id", flat=True)) == [None, old.pk]


def test_the_picker_refuses_a_case_outside_the_municipality_or_closed(t):
    foreign = case_in(team("gjilan"), CaseState.VERIFIED, community_code="serb")
    closed = case_in(t, CaseState.DISMISSED)
    meeting = a_meeting(t, hours_ago=1)
    client = page_client(t.secretary)
    url = reverse("mcsc:agenda-item-new", args=[meeting.pk])
    for case in (foreign, closed):
        response = client.post(url, {"case": str(case.pk), "title": ""})
        assert response.status_code == 400
        assert not html(client.get(url, {"q": case.reference})).count(f'value="{case.pk}"')
    assert client.post(url, {"case": "9" * 40, "title": ""}).status_code == 400
    assert meeting.agenda_items.count() == 1


def test_recording_a_meeting_page_searches_cases_in_a_fixed_number_of_queries(
    t, django_assert_max_num_queries
):
    case = case_in(t, CaseState.VERIFIED)
    many_newer_cases(t, 30)
    client = page_client(t.secretary)
    with django_assert_max_num_queries(6):
        page = html(client.get(f"{record_url(case)}&q=2099-0007"))
    assert re.search(r'name="q"[^>]*value="2099-0007"', page)
    assert 'name="case" value="' + case.reference + '"' in page  # kept by the search
    options = re.findall(r'<option value="(\d+)"', page)
    assert set(options) == {str(Case.objects.get(reference="PZ-2099-0007").pk)}


def test_agenda_item_add_refuses_a_case_already_on_the_agenda(t):
    case = case_in(t, CaseState.VERIFIED)
    meeting = a_meeting(t, hours_ago=1, agenda=[{"case": case}])
    with pytest.raises(Exception, match="already on the agenda"):
        agenda_item_add(user=t.secretary, meeting=meeting, case=case)
