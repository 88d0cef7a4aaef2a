"""The council and meeting pages: scope, rights, forms and fixed query counts."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casefiles.models import AuditAction, AuditEvent, CaseState, FollowUpAction
from mcsc.councils.services import action_item_add
from mcsc.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Council,
    CouncilMember,
    Guest,
    Meeting,
    Role,
    Seat,
)
from tests.casefiles.builders import case_in, team
from tests.factories import user_with_role
from tests.mcsc.meeting_builders import all_present, meeting, members

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary():
    return user_with_role(Role.SECRETARY, "prizren")


def council_url(code="20"):
    return f"{reverse('mcsc:council')}?municipality={code}"


def html_of(response) -> str:
    return response.content.decode()


def build_council(secretary, *, people: int, meetings: int):
    council_members = members(secretary, "prizren", people)
    for i in range(meetings):
        meeting(
            secretary, "prizren", days_ago=3 + i, attendance=all_present(council_members, absent=1)
        )
    meeting(secretary, "prizren", days_ago=-7)
    return council_members


# --- Council page ------------------------------------------------------------------------------


def test_council_page_lists_members_meetings_and_attendance_rates(
    client, secretary, django_assert_max_num_queries
):
    council_members = build_council(secretary, people=4, meetings=2)
    council_members[3].ended_on = timezone.localdate() - dt.timedelta(days=1)
    council_members[3].save()
    client.force_login(secretary)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("mcsc:council"))  # one municipality: no parameter needed
    html = html_of(response)
    assert response.status_code == 200
    assert "Member prizren 0" in html and "Police station commander" in html
    assert "decision 01-016/2024-1" in html
    assert "former" in html  # history is kept
    assert "member0.prizren@example.invalid" in html  # the secretary sees contact details
    # Member 0 was absent at both meetings; the others present.
    assert "0% <span" in html and "100% <span" in html and "(0 of 2)" in html
    assert "Upcoming meetings" in html and "no invitation yet" in html
    assert "no quorum" not in html


def test_council_page_queries_do_not_grow_with_members_and_meetings(
    client, secretary, django_assert_num_queries
):
    build_council(secretary, people=3, meetings=1)
    client.force_login(secretary)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(council_url())
    build_council(secretary, people=6, meetings=6)
    with django_assert_num_queries(len(small)):
        response = client.get(council_url())
    assert "Member prizren 5" in html_of(response)


def test_monitors_see_the_council_without_contact_details(client, secretary):
    build_council(secretary, people=2, meetings=1)
    client.force_login(user_with_role(Role.MONITOR))
    response = client.get(reverse("mcsc:council"))
    assert "Choose a municipality" in html_of(response)  # all 38 in scope
    html = html_of(client.get(council_url()))
    assert "Member prizren 1" in html
    assert "@example.invalid" not in html and "+383" not in html
    assert "Add a member" not in html and "Schedule or record a meeting" not in html


def test_a_municipality_outside_scope_is_not_found(client, secretary):
    build_council(secretary, people=2, meetings=1)
    prizren_meeting = Meeting.objects.first()
    member = CouncilMember.objects.first()
    client.force_login(user_with_role(Role.SECRETARY, "gjilan"))
    assert client.get(council_url("20")).status_code == 404
    assert client.get(reverse("mcsc:meeting", args=[prizren_meeting.pk])).status_code == 404
    assert client.get(reverse("mcsc:member-edit", args=[member.pk])).status_code == 404
    pdf = reverse("mcsc:minutes-pdf", args=[prizren_meeting.pk, 1, "sq"])
    assert client.get(pdf).status_code == 404
    response = client.post(
        reverse("mcsc:meeting-attendance", args=[prizren_meeting.pk]), {"all_present": "1"}
    )
    assert response.status_code == 404


def test_only_the_secretary_manages_members_and_meetings(client, secretary):
    build_council(secretary, people=2, meetings=1)
    held = Meeting.objects.filter(starts_at__lte=timezone.now()).first()
    for role in [Role.LEADERSHIP, Role.MEMBER, Role.TRANSLATOR]:
        client.force_login(user_with_role(role, "prizren"))
        assert client.get(f"{reverse('mcsc:member-add')}?municipality=20").status_code == 403
        assert client.get(reverse("mcsc:meeting-edit", args=[held.pk])).status_code == 403
        assert client.get(reverse("mcsc:meeting", args=[held.pk])).status_code == 200


# --- Members -----------------------------------------------------------------------------------


def test_adding_and_ending_a_membership_keeps_the_history(client, secretary):
    client.force_login(secretary)
    url = f"{reverse('mcsc:member-add')}?municipality=20"
    response = client.post(
        url,
        {
            "name": "Nurten Kalkan",
            "seat": Seat.COMMUNITY_REPRESENTATIVE,
            "appointed_on": "2025-03-01",
            "appointment_reference": "01-016/2025-17",
            "email": "nurten@example.invalid",
            "phone": "+383 44 123 456",
        },
    )
    assert response.status_code == 302
    member = CouncilMember.objects.get(name="Nurten Kalkan")
    event = AuditEvent.objects.get(action=AuditAction.COUNCIL_MEMBER_ADD)
    assert event.payload["appointment_reference"] == "01-016/2025-17"
    # Contact details are personal data: the audit trail says they exist, not what they are.
    assert event.payload["email"] is True and "nurten" not in str(event.payload)

    response = client.post(
        reverse("mcsc:member-edit", args=[member.pk]),
        {
            "name": "Nurten Kalkan",
            "seat": Seat.COMMUNITY_REPRESENTATIVE,
            "appointed_on": "2025-03-01",
            "appointment_reference": "01-016/2025-17",
            "ended_on": "2025-02-01",
        },
    )
    assert response.status_code == 400
    assert "cannot end before the appointment" in html_of(response)
    response = client.post(
        reverse("mcsc:member-edit", args=[member.pk]),
        {
            "name": "Nurten Kalkan",
            "seat": Seat.COMMUNITY_REPRESENTATIVE,
            "appointed_on": "2025-03-01",
            "appointment_reference": "01-016/2025-17",
            "ended_on": "2025-12-31",
            "email": "new@example.invalid",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == dt.date(2025, 12, 31) and member.email == "new@example.invalid"
    update = AuditEvent.objects.get(action=AuditAction.COUNCIL_MEMBER_UPDATE)
    assert update.changes["ended_on"] == [None, "2025-12-31"]
    assert update.changes["email"] == ["…", "…"] and update.changes["phone"] == [True, False]
    assert "former" in html_of(client.get(council_url()))


# --- Meetings ----------------------------------------------------------------------------------


def test_scheduling_a_meeting_with_free_and_case_items(client, secretary):
    t = team("prizren")
    case = case_in(t, CaseState.VERIFIED)
    chair = members(secretary, "prizren", 2)[0]
    client.force_login(secretary)
    url = f"{reverse('mcsc:meeting-new')}?municipality=20"
    form = html_of(client.get(url))
    assert case.reference in form and 'type="datetime-local"' in form
    when = timezone.localtime() + dt.timedelta(days=5)
    data = {
        "kind": "extraordinary",
        "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
        "place": "Municipal assembly hall",
        "chair": str(chair.pk),
        "agenda-TOTAL_FORMS": "4",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-title": "Security situation",
        "agenda-1-case": str(case.pk),
        "agenda-2-title": "",
        "agenda-3-title": "Any other business",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    created = Meeting.objects.get()
    assert (created.kind, created.chair, created.municipality.slug) == (
        "extraordinary",
        chair,
        "prizren",
    )
    items = list(created.agenda_items.order_by("position").values_list("title", "case_id"))
    assert items == [
        ("Security situation", None),
        (case.reference, case.pk),
        ("Any other business", None),
    ]


def test_a_case_of_another_municipality_cannot_be_put_on_the_agenda(client, secretary):
    foreign = case_in(team("gjilan"), CaseState.VERIFIED, community_code="serb")
    client.force_login(secretary)
    url = f"{reverse('mcsc:meeting-new')}?municipality=20"
    response = client.post(
        url,
        {
            "kind": "regular",
            "starts_at": "2026-01-10T10:00",
            "place": "Hall",
            "agenda-TOTAL_FORMS": "1",
            "agenda-INITIAL_FORMS": "0",
            "agenda-0-case": str(foreign.pk),
        },
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_the_meeting_page_shows_the_record_in_a_fixed_number_of_queries(
    client, secretary, django_assert_max_num_queries
):
    t = team("prizren")
    case = case_in(t, CaseState.VERIFIED)
    council_members = members(secretary, "prizren", 6)
    held = meeting(
        secretary,
        "prizren",
        agenda=[{"title": "Security situation"}, {"case": case}],
        attendance=all_present(council_members),
        chair=council_members[0],
    )
    for i, item in enumerate(held.agenda_items.all()):
        action_item_add(
            user=secretary,
            meeting=held,
            agenda_item=item,
            description=f"Action {i}",
            owner="Police",
            due_on=timezone.localdate(),
        )
    client.force_login(user_with_role(Role.MONITOR))
    with django_assert_max_num_queries(17):
        response = client.get(reverse("mcsc:meeting", args=[held.pk]))
    html = html_of(response)
    assert response.status_code == 200
    assert "Quorum reached" in html and "6 of 6 members present; 4 needed." in html
    assert case.reference in html and "Action 1" in html
    assert "Record the attendance" not in html  # monitors read only
    for code in ["sq", "sr-Cyrl", "tr", "bs"]:
        assert reverse("mcsc:minutes-pdf", args=[held.pk, 1, code]) in html


def test_the_attendance_form_is_one_radio_group_per_member(client, secretary):
    council_members = members(secretary, "prizren", 3)
    held = meeting(secretary, "prizren")
    client.force_login(secretary)
    url = reverse("mcsc:meeting-attendance", args=[held.pk])
    html = html_of(client.get(url))
    assert html.count("<fieldset") == 3 and html.count('type="radio"') == 9
    assert "Member prizren 2 — Police station commander" not in html  # seat order, see below
    assert re.search(r"<legend>Member prizren 0 — Chair", html)

    response = client.post(url, {f"member_{council_members[0].pk}": "present"})
    assert response.status_code == 400  # every member needs a status
    response = client.post(
        url,
        {
            f"member_{council_members[0].pk}": "present",
            f"member_{council_members[1].pk}": "excused",
            f"member_{council_members[2].pk}": "absent",
        },
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("member_id", "status")) == {
        council_members[0].pk: "present",
        council_members[1].pk: "excused",
        council_members[2].pk: "absent",
    }
    response = client.post(url, {"all_present": "1"})
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("status", flat=True)) == {AttendanceStatus.PRESENT}


def test_recording_discussion_decisions_and_translations(client, secretary):
    members(secretary, "prizren", 2)
    held = meeting(secretary, "prizren")
    client.force_login(secretary)
    url = reverse("mcsc:agenda-item", args=[held.pk, 1])
    form = html_of(client.get(url))
    assert 'name="discussion__sr-Cyrl"' in form and 'lang="tr"' in form
    response = client.post(
        url,
        {
            "title": "Security situation",
            "discussion": "The commander reported a calm month.",
            "decisions": "Noted.",
            "title__sr-Cyrl": "Безбедносна ситуација",
            "discussion__sr-Cyrl": "Командир је известио о мирном месецу.",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=held)
    assert item.translations == {
        "sr-Cyrl": {
            "title": "Безбедносна ситуација",
            "discussion": "Командир је известио о мирном месецу.",
        }
    }
    preview = reverse("mcsc:minutes-preview", args=[held.pk])
    serbian = html_of(client.get(f"{preview}?language=sr-Cyrl"))
    assert "Командир је известио о мирном месецу." in serbian
    assert "Noted." in serbian  # no translation given: the original text
    albanian = html_of(client.get(f"{preview}?language=sq"))
    assert "The commander reported a calm month." in albanian
    assert client.get(f"{preview}?language=rom").status_code == 404  # not an official language


def test_guests_are_added_and_removed(client, secretary):
    held = meeting(secretary, "prizren")
    client.force_login(secretary)
    url = reverse("mcsc:meeting-guests", args=[held.pk])
    assert client.post(url, {"name": "Hannah Schmidt", "organisation": "OSCE"}).status_code == 302
    guest = Guest.objects.get()
    assert "Hannah Schmidt (OSCE)" in html_of(client.get(reverse("mcsc:meeting", args=[held.pk])))
    assert client.post(url, {"remove": str(guest.pk)}).status_code == 302
    assert not Guest.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.MEETING_UPDATE).count() == 2


def test_an_action_item_becomes_a_follow_up_action_once_the_case_is_in_follow_up(client, secretary):
    t = team("prizren")
    waiting = case_in(t, CaseState.STATEMENT_PUBLISHED)
    # Each convened case appoints new members in the builders: keep the quorum reachable.
    Council.objects.filter(municipality__slug="prizren").update(quorum_minimum=3)
    ready = case_in(t, CaseState.OUTREACH_CONDUCTED)
    held = meeting(secretary, "prizren", agenda=[{"case": waiting}, {"case": ready}])
    first, second = held.agenda_items.order_by("position")
    client.force_login(secretary)
    response = client.post(
        reverse("mcsc:action-item-new", args=[held.pk]),
        {
            "agenda_item": str(first.pk),
            "description": "Street lighting near the school",
            "owner": "Directorate of public services",
            "due_on": "2026-12-31",
            "description__tr": "Okul yakınında sokak aydınlatması",
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get()
    assert action.case == waiting  # the agenda item's case
    assert action.translations == {"tr": {"description": "Okul yakınında sokak aydınlatması"}}

    attach = reverse("mcsc:action-item-attach", args=[held.pk, action.pk])
    response = client.post(attach, {})
    assert response.status_code == 400
    assert "Follow-up actions can be added once the outreach is recorded" in html_of(response)
    assert not FollowUpAction.objects.filter(description__startswith="Street").exists()

    response = client.post(attach, {"case": str(ready.pk)})
    assert response.status_code == 302
    action.refresh_from_db()
    follow_up = FollowUpAction.objects.get(description="Street lighting near the school")
    assert action.follow_up_action == follow_up and action.case == ready
    assert follow_up.case == ready and follow_up.source_agenda_item == first
    assert AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_ACTION_ADD, case=ready).exists()
    del second


def test_the_invitation_with_the_agenda_is_mailed_to_members_after_commit(
    client, secretary, django_capture_on_commit_callbacks
):
    council_members = members(secretary, "prizren", 3)
    CouncilMember.objects.filter(pk=council_members[2].pk).update(email="")
    upcoming = meeting(
        secretary,
        "prizren",
        days_ago=-5,
        agenda=[{"title": "Security situation"}, {"title": "School safety"}],
    )
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("mcsc:meeting-invite", args=[upcoming.pk]))
    assert response.status_code == 302 and len(callbacks) == 1
    assert sorted(message.to[0] for message in mail.outbox) == [
        "member0.prizren@example.invalid",
        "member1.prizren@example.invalid",
    ]
    body = mail.outbox[0].body
    assert "1. Security situation" in body and "2. School safety" in body
    # One block per official language of Prizren.
    assert "Rendi i ditës" in body and "Дневни ред" in body and "Gündem" in body
    upcoming.refresh_from_db()
    assert upcoming.invitation_sent_at is not None
    assert AuditEvent.objects.filter(action=AuditAction.MEETING_INVITE).count() == 1

    past = meeting(secretary, "prizren", days_ago=1)
    mail.outbox.clear()
    response = client.post(reverse("mcsc:meeting-invite", args=[past.pk]), follow=True)
    assert "already taken place" in html_of(response) and not mail.outbox


def test_the_approve_page_is_for_leadership_and_needs_a_later_meeting(client, secretary):
    council_members = members(secretary, "prizren", 3)
    held = meeting(secretary, "prizren", attendance=all_present(council_members))
    client.force_login(secretary)
    assert client.get(reverse("mcsc:minutes-approve", args=[held.pk])).status_code == 403
    client.force_login(user_with_role(Role.LEADERSHIP, "prizren"))
    html = html_of(client.get(reverse("mcsc:minutes-approve", args=[held.pk])))
    assert "No later meeting has taken place yet" in html


def test_editing_a_meeting_keeps_the_date_of_a_meeting_that_convened_a_case(client, secretary):
    t = team("prizren")
    case = case_in(t, CaseState.COUNCIL_CONVENED)
    convened = case.convened_meeting
    client.force_login(t.secretary)
    url = reverse("mcsc:meeting-edit", args=[convened.pk])
    data = {
        "kind": convened.kind,
        "starts_at": (timezone.localtime(convened.starts_at) - dt.timedelta(days=3)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "place": "Another hall",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Cases were convened at this meeting" in html_of(response)
    data["starts_at"] = timezone.localtime(convened.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert client.post(url, data).status_code == 302
    convened.refresh_from_db()
    assert convened.place == "Another hall"
    event = AuditEvent.objects.filter(action=AuditAction.MEETING_UPDATE).last()
    assert event.changes == {"place": ["Municipal assembly hall", "Another hall"]}


def test_opening_the_council_forms_writes_nothing(client, secretary):
    """A GET changes nothing: the settings and new-meeting pages used to create the
    council row when none existed. The first POST creates it."""
    Council.objects.filter(municipality__code="20").delete()
    client.force_login(secretary)
    settings_page = client.get(f"{reverse('mcsc:council-settings')}?municipality=20")
    assert settings_page.status_code == 200
    assert 'value="MCSC Prizren"' in settings_page.content.decode()  # the default, unsaved
    assert client.get(f"{reverse('mcsc:meeting-new')}?municipality=20").status_code == 200
    assert not Council.objects.filter(municipality__code="20").exists()

    response = client.post(
        f"{reverse('mcsc:council-settings')}?municipality=20",
        {"name": "MCSC Prizren", "quorum_minimum": "3"},
    )
    assert response.status_code == 302
    assert Council.objects.get(municipality__code="20").quorum_minimum == 3
