"""Council meetings: quorum, agenda and attendance."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casefiles import services
from casefiles.models import CaseState
from mcsc.councils.meetings import meeting_quorum
from mcsc.councils.services import meeting_attendance_record, meeting_create
from mcsc.models import Attendance, AttendanceStatus, Council, Meeting
from tests.casefiles.builders import case_in, council_members, open_case, record_attendance, team
from tests.factories import municipality

pytestmark = pytest.mark.django_db

KOSOVO = ZoneInfo("Europe/Belgrade")
MEETING_DAY = dt.date(2025, 6, 10)


@pytest.fixture
def t():
    return team("prizren")


def new_meeting(t, *, starts_at=None, agenda=()):
    meeting = meeting_create(
        user=t.secretary,
        municipality=municipality(t.slug),
        kind="regular",
        starts_at=starts_at or dt.datetime(2025, 6, 10, 17, 0, tzinfo=KOSOVO),
        place="Municipal assembly hall",
        agenda=list(agenda) or [{"title": "Security situation"}],
    )
    # As the services see it: read back from the database (times in UTC).
    return Meeting.objects.get(pk=meeting.pk)


def quorum_of(meeting):
    return meeting_quorum(Meeting.objects.get(pk=meeting.pk))


# --- Quorum -------------------------------------------------------------------------------


def test_quorum_is_more_than_half_of_the_members_in_office_on_the_day(t):
    in_office = council_members(t, count=5)
    left_before = council_members(t, count=2, appointed_on=dt.date(2020, 1, 1))
    for member in left_before:
        member.ended_on = MEETING_DAY - dt.timedelta(days=1)
        member.save()
    appointed_after = council_members(t, count=2, appointed_on=MEETING_DAY + dt.timedelta(days=1))
    meeting = new_meeting(t)

    # Former and future members being marked present does not help the quorum.
    record_attendance(t, meeting, in_office[:2] + left_before + appointed_after, present=6)
    quorum = quorum_of(meeting)
    assert (quorum.present, quorum.members, quorum.required) == (2, 5, 3)
    assert not quorum.reached

    record_attendance(t, meeting, in_office, present=3)
    quorum = quorum_of(meeting)
    assert (quorum.present, quorum.members, quorum.required) == (3, 5, 3)
    assert quorum.reached


def test_with_an_even_number_of_members_half_is_not_enough(t):
    members = council_members(t, count=4)
    meeting = new_meeting(t)
    record_attendance(t, meeting, members, present=2)
    assert not quorum_of(meeting).reached
    record_attendance(t, meeting, members, present=3)
    assert quorum_of(meeting).reached


def test_a_member_whose_term_ends_on_the_meeting_day_still_counts(t):
    members = council_members(t, count=3)
    members[0].ended_on = MEETING_DAY
    members[0].save()
    meeting = new_meeting(t)
    record_attendance(t, meeting, members, present=2)
    quorum = quorum_of(meeting)
    assert (quorum.present, quorum.members) == (2, 3)
    assert quorum.reached


def test_excused_and_absent_members_are_not_present(t):
    members = council_members(t, count=3)
    meeting = new_meeting(t)
    meeting_attendance_record(
        user=t.secretary,
        meeting=meeting,
        attendance={
            members[0].pk: AttendanceStatus.PRESENT,
            members[1].pk: AttendanceStatus.EXCUSED,
            members[2].pk: AttendanceStatus.ABSENT,
        },
    )
    quorum = quorum_of(meeting)
    assert (quorum.present, quorum.members, quorum.reached) == (1, 3, False)


def test_a_council_without_members_never_has_quorum(t):
    meeting = new_meeting(t)
    Council.objects.filter(pk=meeting.council_id).update(quorum_minimum=1)
    assert not quorum_of(meeting).reached


def test_the_council_quorum_minimum_overrides_the_default_rule(t):
    members = council_members(t, count=5)
    meeting = new_meeting(t)
    record_attendance(t, meeting, members, present=2)
    assert not quorum_of(meeting).reached

    Council.objects.filter(pk=meeting.council_id).update(quorum_minimum=2)
    quorum = quorum_of(meeting)
    assert (quorum.required, quorum.reached) == (2, True)

    Council.objects.filter(pk=meeting.council_id).update(quorum_minimum=4)
    assert not quorum_of(meeting).reached


def test_the_meeting_day_is_the_day_in_kosovo_not_in_utc(t):
    # Members appointed on 10 June, meeting at 00:30 on 10 June in Kosovo (22:30 UTC on 9 June).
    members = council_members(t, count=3, appointed_on=MEETING_DAY)
    meeting = new_meeting(t, starts_at=dt.datetime(2025, 6, 10, 0, 30, tzinfo=KOSOVO))
    record_attendance(t, meeting, members, present=3)
    quorum = quorum_of(meeting)
    assert (quorum.present, quorum.members, quorum.reached) == (3, 3, True)


# --- Creating meetings --------------------------------------------------------------------


def test_a_case_of_another_municipality_cannot_be_on_the_agenda(t):
    foreign = open_case(team("gjilan"), community_code="serb")
    with pytest.raises(ValidationError) as error:
        meeting_create(
            user=t.secretary,
            municipality=municipality("prizren"),
            kind="regular",
            starts_at=timezone.now(),
            place="Hall",
            agenda=[{"title": "Security situation"}, {"case": foreign}],
        )
    assert error.value.message_dict["agenda"] == [
        "Item 2: the case belongs to another municipality."
    ]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("kind", "place", "field"),
    [("annual", "Hall", "kind"), ("", "Hall", "kind"), ("regular", "  ", "place")],
)
def test_a_meeting_needs_a_known_kind_and_a_place(t, kind, place, field):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            user=t.secretary,
            municipality=municipality("prizren"),
            kind=kind,
            starts_at=timezone.now(),
            place=place,
        )
    assert field in error.value.message_dict
    assert not Meeting.objects.exists()


def test_a_meeting_keeps_its_agenda_with_the_case_in_order(t):
    case = open_case(t)
    meeting = new_meeting(t, agenda=[{"title": "Opening"}, {"case": case}])
    items = list(meeting.agenda_items.order_by("position"))
    assert [(i.position, i.title, i.case_id) for i in items] == [
        (1, "Opening", None),
        (2, case.reference, case.pk),
    ]


def test_only_the_secretary_of_the_municipality_records_its_meetings(t):
    gjilan = team("gjilan")
    with pytest.raises(PermissionDenied):
        meeting_create(
            user=gjilan.secretary,
            municipality=municipality("prizren"),
            kind="regular",
            starts_at=timezone.now(),
            place="Hall",
        )
    with pytest.raises(PermissionDenied):
        meeting_create(
            user=t.leadership,
            municipality=municipality("prizren"),
            kind="regular",
            starts_at=timezone.now(),
            place="Hall",
        )
    assert not Meeting.objects.exists()


# --- Attendance ---------------------------------------------------------------------------


def test_attendance_of_a_member_of_another_council_is_refused(t):
    own = council_members(t, count=2)
    gjilan = team("gjilan")
    foreign = council_members(gjilan, count=1)
    meeting = new_meeting(t)
    record_attendance(t, meeting, own, present=2)

    with pytest.raises(ValidationError) as error:
        meeting_attendance_record(
            user=t.secretary,
            meeting=meeting,
            attendance={own[0].pk: AttendanceStatus.PRESENT, foreign[0].pk: "present"},
        )
    assert error.value.message_dict["attendance"] == [
        f"Member {foreign[0].pk} is not on this council."
    ]
    # What was recorded before stays.
    assert set(Attendance.objects.filter(meeting=meeting).values_list("member_id", "status")) == {
        (own[0].pk, AttendanceStatus.PRESENT),
        (own[1].pk, AttendanceStatus.PRESENT),
    }


def test_attendance_needs_a_known_status_and_the_right_municipality(t):
    members = council_members(t, count=1)
    meeting = new_meeting(t)
    with pytest.raises(ValidationError):
        meeting_attendance_record(
            user=t.secretary, meeting=meeting, attendance={members[0].pk: "late"}
        )
    with pytest.raises(PermissionDenied):
        meeting_attendance_record(
            user=team("gjilan").secretary,
            meeting=meeting,
            attendance={members[0].pk: AttendanceStatus.PRESENT},
        )
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_a_meeting_with_quorum_lets_the_council_convene_on_its_case(t):
    case = case_in(t, CaseState.VERIFIED)
    members = council_members(t, count=3)
    meeting = new_meeting(
        t, starts_at=timezone.now() - dt.timedelta(hours=2), agenda=[{"case": case}]
    )
    record_attendance(t, meeting, members, present=2)
    services.case_convene(user=t.secretary, case=case, meeting=meeting)
    case.refresh_from_db()
    assert case.state == CaseState.COUNCIL_CONVENED
    assert case.convened_meeting_id == meeting.pk
