"""Facts about meetings that several parts of the product rely on (quorum, attendance)."""

from dataclasses import dataclass

from django.utils import timezone

from mcsc.models import AttendanceStatus, Meeting


@dataclass(frozen=True)
class Quorum:
    present: int
    members: int
    required: int

    @property
    def reached(self) -> bool:
        return self.members > 0 and self.present >= self.required


def meeting_quorum(meeting: Meeting) -> Quorum:
    """Quorum from the recorded attendance of the members in office on the meeting's day.

    The default rule (more than half of the current members) can be replaced per council
    by an explicit minimum, since the administrative instruction's rule is not confirmed.
    """
    day = timezone.localtime(meeting.starts_at).date()
    members = [m for m in meeting.council.members.all() if m.is_member_on(day)]
    member_ids = {m.pk for m in members}
    present = sum(
        1
        for row in meeting.attendance.all()
        if row.status == AttendanceStatus.PRESENT and row.member_id in member_ids
    )
    minimum = meeting.council.quorum_minimum
    required = minimum if minimum else len(members) // 2 + 1
    return Quorum(present=present, members=len(members), required=required)
