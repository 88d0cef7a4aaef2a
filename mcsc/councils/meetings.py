"""Facts about meetings that several parts of the product rely on (quorum, attendance)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mcsc.models import AttendanceStatus, Language, Meeting, Minutes, MinutesStatus


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
    return quorum_from(
        meeting,
        members=meeting.council.members.all(),
        attendance=meeting.attendance.all(),
        quorum_minimum=meeting.council.quorum_minimum,
    )


def quorum_from(meeting: Meeting, *, members, attendance, quorum_minimum: int | None) -> Quorum:
    """``meeting_quorum`` from rows already at hand (pages listing many meetings)."""
    day = timezone.localtime(meeting.starts_at).date()
    member_ids = {m.pk for m in members if m.is_member_on(day)}
    present = sum(
        1
        for row in attendance
        if row.status == AttendanceStatus.PRESENT and row.member_id in member_ids
    )
    required = quorum_minimum if quorum_minimum else len(member_ids) // 2 + 1
    return Quorum(present=present, members=len(member_ids), required=required)


# --- The meeting record and its minutes -------------------------------------------------


class MinutesApproved(ValidationError):
    """The meeting's current minutes are approved: its record is frozen until an
    amendment is started."""

    def __init__(self, minutes: Minutes):
        self.minutes = minutes
        approving = minutes.approved_at_meeting
        super().__init__(
            _(
                "These minutes were approved on %(date)s (at the meeting of %(meeting)s) and "
                "can no longer be edited. To correct them, start an amendment: it creates "
                "version %(next)d of the minutes, which the council's leadership approves in "
                "turn; version %(version)d stays on record."
            )
            % {
                "date": formats.date_format(timezone.localtime(minutes.approved_at).date()),
                "meeting": formats.date_format(timezone.localtime(approving.starts_at).date())
                if approving
                else "—",
                "next": minutes.version + 1,
                "version": minutes.version,
            },
            code="minutes_approved",
        )


def current_minutes(meeting: Meeting) -> Minutes | None:
    """The latest minutes version of ``meeting`` (uses prefetched ``minutes`` if present)."""
    versions = list(meeting.minutes.all())
    return max(versions, key=lambda m: m.version) if versions else None


def ensure_editable(meeting: Meeting) -> None:
    """Refuse a change to a meeting record whose current minutes are approved."""
    minutes = (
        Minutes.objects.select_related("approved_at_meeting")
        .filter(meeting=meeting)
        .order_by("-version")
        .first()
    )
    if minutes is not None and minutes.status != MinutesStatus.DRAFT:
        raise MinutesApproved(minutes)


def is_editable(meeting: Meeting) -> bool:
    """Like ``ensure_editable`` but from prefetched minutes, for pages."""
    minutes = current_minutes(meeting)
    return minutes is None or minutes.status == MinutesStatus.DRAFT


def working_version(meeting: Meeting) -> int:
    """The version number the meeting record currently feeds (the draft being prepared)."""
    minutes = current_minutes(meeting)
    if minutes is None:
        return 1
    return minutes.version if minutes.status == MinutesStatus.DRAFT else minutes.version + 1


def minutes_languages(municipality) -> list[Language]:
    """The languages the minutes are produced in: the municipality's official languages.

    Languages merely *in official use* (Romani in Prizren, Turkish in Gjilan) are not
    official languages of the municipality, so they get no copy of the minutes. Uses
    prefetched ``official_languages`` when present.
    """
    return sorted(
        municipality.official_languages.all(), key=lambda lang: (lang.sort_order, lang.code)
    )


def is_held(meeting: Meeting) -> bool:
    return meeting.starts_at <= timezone.now()
