"""Councils and meetings for the council, minutes and meeting API tests."""

import datetime as dt

from django.utils import timezone

from mcsc.councils.services import council_member_add, meeting_attendance_record, meeting_create
from mcsc.models import AttendanceStatus, Seat
from tests.factories import municipality

SEATS = [
    Seat.CHAIR,
    Seat.POLICE_COMMANDER,
    Seat.DEPUTY_MAYOR_COMMUNITIES,
    Seat.COMMUNITY_REPRESENTATIVE,
    Seat.RELIGIOUS_REPRESENTATIVE,
    Seat.CIVIL_SOCIETY,
    Seat.WOMEN_YOUTH,
    Seat.MUNICIPAL_OFFICIAL,
]


def members(secretary, slug: str, count: int = 5, *, appointed_on=dt.date(2024, 1, 1)):
    return [
        council_member_add(
            user=secretary,
            municipality=municipality(slug),
            name=f"Member {slug} {i}",
            seat=SEATS[i % len(SEATS)],
            appointed_on=appointed_on,
            appointment_reference=f"01-016/2024-{i}",
            email=f"member{i}.{slug}@example.invalid",
            phone=f"+383 44 100 10{i}",
        )
        for i in range(count)
    ]


def meeting(
    secretary,
    slug: str,
    *,
    days_ago: float = 10,
    kind: str = "regular",
    agenda=None,
    attendance=None,
    chair=None,
    place: str = "Municipal assembly hall",
):
    """A meeting ``days_ago`` (negative: in the future), with attendance when given as
    ``{member: status}``."""
    created = meeting_create(
        user=secretary,
        municipality=municipality(slug),
        kind=kind,
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
        place=place,
        agenda=agenda if agenda is not None else [{"title": "Security situation"}],
        chair=chair,
    )
    if attendance:
        meeting_attendance_record(
            user=secretary,
            meeting=created,
            attendance={m.pk: status for m, status in attendance.items()},
        )
    return created


def all_present(council_members, *, absent: int = 0):
    return {
        m: AttendanceStatus.ABSENT if i < absent else AttendanceStatus.PRESENT
        for i, m in enumerate(council_members)
    }
