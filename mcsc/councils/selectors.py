"""Reads of councils, members, meetings and minutes, always through the requesting user's
scope (404 outside it, 403 without the right).
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from mcsc.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Council,
    CouncilMember,
    Meeting,
    Minutes,
    MinutesDocument,
    MinutesStatus,
    Municipality,
    Seat,
)
from mcsc.permissions import Action, get_for_user, municipalities_where, scope_filter

# --- Councils and meetings (scoped to the user) -----------------------------------------


def meeting_queryset() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("council", "municipality", "chair", "created_by")


def minutes_queryset() -> QuerySet[Minutes]:
    documents = MinutesDocument.objects.defer("pdf").select_related("language")
    return Minutes.objects.select_related(
        "approved_by", "approved_at_meeting", "amends", "created_by"
    ).prefetch_related(Prefetch("documents", queryset=documents))


def meeting_detail_queryset() -> QuerySet[Meeting]:
    """A meeting with its whole record prefetched: a fixed number of queries."""
    return meeting_queryset().prefetch_related(
        "municipality__official_languages",
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("case")),
        Prefetch("attendance", queryset=Attendance.objects.select_related("member")),
        Prefetch("council__members", queryset=CouncilMember.objects.order_by("name")),
        "guests",
        Prefetch(
            "action_items",
            queryset=ActionItem.objects.select_related("case", "follow_up_action", "agenda_item"),
        ),
        Prefetch("minutes", queryset=minutes_queryset()),
    )


def meeting_get_for_user(
    *, user: Any, pk: int, action: Action = Action.VIEW, detail: bool = True
) -> Meeting:
    """The meeting: 404 outside the user's scope, 403 without the right."""
    queryset = meeting_detail_queryset() if detail else meeting_queryset()
    return get_for_user(user, queryset, action=action, pk=pk)


def meeting_list_for_user(*, user: Any) -> QuerySet[Meeting]:
    """Meetings the user may see, newest first, with what lists show prefetched."""
    return scope_filter(user, meeting_queryset()).prefetch_related(
        "attendance",
        "council__members",
        Prefetch("minutes", queryset=Minutes.objects.only("id", "meeting_id", "version", "status")),
    )


def minutes_awaiting_approval(*, user: Any, now: dt.datetime) -> QuerySet[Meeting]:
    """Meetings held where the user approves minutes whose current minutes are not
    approved (none yet, or an amendment in draft), the longest waiting first."""
    current_status = Subquery(
        Minutes.objects.filter(meeting=OuterRef("pk")).order_by("-version").values("status")[:1]
    )
    return (
        meeting_queryset()
        .filter(
            municipality__in=municipalities_where(user, Action.MINUTES_APPROVE),
            starts_at__lte=now,
        )
        .annotate(minutes_status=current_status)
        .filter(Q(minutes_status__isnull=True) | Q(minutes_status=MinutesStatus.DRAFT))
        .order_by("starts_at", "pk")
    )


def next_meeting_for_user(*, user: Any, now: dt.datetime) -> Meeting | None:
    """The next meeting of a council the user sees, with its agenda."""
    return (
        scope_filter(user, meeting_queryset())
        .filter(starts_at__gt=now)
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("case"))
        )
        .order_by("starts_at", "pk")
        .first()
    )


def council_default_name(municipality: Municipality) -> str:
    return _("MCSC %(municipality)s") % {"municipality": municipality.name_sq}


def council_of(municipality: Municipality) -> Council:
    """The municipality's council, or, before it is first saved, an unsaved one with the
    default name: a page shows it without writing anything (a GET changes nothing)."""
    council = Council.objects.filter(municipality=municipality).first()
    return council or Council(municipality=municipality, name=council_default_name(municipality))


def council_members(council: Council) -> list[CouncilMember]:
    """Every member the council ever had (history), current first, by seat."""
    members = list(council.members.select_related("community"))
    seats = list(Seat.values)
    members.sort(
        key=lambda m: (m.ended_on is not None, seats.index(m.seat), m.name.casefold(), m.pk)
    )
    return members


@dataclass(frozen=True)
class AttendanceRate:
    present: int
    recorded: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.present / self.recorded) if self.recorded else None


def attendance_rates(council: Council, *, since: dt.datetime, until: dt.datetime):
    """Per member id: meetings attended out of the meetings whose attendance lists them."""
    rows = (
        Attendance.objects.filter(
            meeting__council=council,
            meeting__starts_at__gte=since,
            meeting__starts_at__lte=until,
        )
        .values("member_id")
        .annotate(
            recorded=Count("id"),
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
        )
    )
    return {row["member_id"]: AttendanceRate(row["present"], row["recorded"]) for row in rows}


def council_meetings(council: Council, *, now: dt.datetime, past_limit: int = 25):
    """(upcoming, past) meetings of the council, with what the council page shows."""
    base = (
        Meeting.objects.filter(council=council)
        .select_related("chair")
        .prefetch_related(
            "attendance",
            Prefetch(
                "minutes", queryset=Minutes.objects.only("id", "meeting_id", "version", "status")
            ),
        )
    )
    upcoming = list(base.filter(starts_at__gt=now).order_by("starts_at"))
    past = list(base.filter(starts_at__lte=now).order_by("-starts_at")[:past_limit])
    return upcoming, past


# --- Cases for an agenda ----------------------------------------------------------------

# The agenda's case picker offers at most this many search results; the search itself runs
# over every open case of the municipality.
AGENDA_CASES_SHOWN = 20


def _open_cases(user: Any, municipality: Municipality) -> QuerySet:
    from casefiles.models import OPEN_STATES, Case

    return scope_filter(
        user,
        Case.objects.filter(municipality=municipality, state__in=OPEN_STATES).only(
            "id", "reference", "category", "state", "municipality_id", "settlement", "reported_at"
        ),
    )


def agenda_case_search(
    *, user: Any, municipality: Municipality, search: str = "", limit: int = AGENDA_CASES_SHOWN
) -> tuple[list[Any], bool]:
    """Open cases of ``municipality`` in the user's scope whose reference, settlement or
    summary contains ``search`` (all open cases when empty): cases awaiting the council
    first, then the newest. Returns (at most ``limit`` cases, whether more matched)."""
    from casefiles.models import CaseState

    queryset = _open_cases(user, municipality)
    term = (search or "").strip()
    if term:
        queryset = queryset.filter(
            Q(reference__icontains=term)
            | Q(settlement__icontains=term)
            | Q(summary__icontains=term)
        )
    queryset = queryset.annotate(
        awaiting_council=SqlCase(
            When(state=CaseState.VERIFIED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("awaiting_council", "-reported_at", "-pk")
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def agenda_cases_chosen(*, user: Any, municipality: Municipality, keys) -> list[Any]:
    """The open cases of ``municipality`` in the user's scope among the posted ``keys``
    (case ids): what a posted agenda may name. Anything else is not a valid choice."""
    ids = {int(key) for key in keys if str(key).isdigit() and len(str(key)) < 12}
    if not ids:
        return []
    return list(_open_cases(user, municipality).filter(pk__in=ids))


def agenda_case_get(*, user: Any, reference: str) -> Any:
    """The case a meeting is recorded or scheduled for (``?case=<reference>``): 404 outside
    the user's scope or when it is closed or dismissed (it cannot go on an agenda), 403
    without the right to manage meetings of its municipality."""
    from casefiles.models import OPEN_STATES, Case

    return get_for_user(
        user,
        Case.objects.select_related("municipality").filter(state__in=OPEN_STATES),
        action=Action.MEETING_MANAGE,
        reference=reference,
    )
