"""Reads of cases, always through the requesting user's scope."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlencode

from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from casefiles import services
from casefiles.errors import MissingLanguages
from casefiles.models import AuditEvent, Case, CaseState, Statement, Translation
from mcsc.models import Meeting
from mcsc.permissions import (
    Action,
    get_for_user,
    municipalities_where,
    municipality_filter_for_user,
    region_filter_for_user,
    scope_filter,
    user_can,
)

# Which right each transition needs; the API and pages offer only what the user may do.
TRANSITION_ACTIONS: dict[str, Action] = {
    "verify": Action.CASE_VERIFY,
    "dismiss": Action.CASE_DISMISS,
    "convene": Action.CASE_CONVENE,
    "draft_statement": Action.STATEMENT_DRAFT,
    "approve": Action.STATEMENT_APPROVE,
    "reject": Action.STATEMENT_REJECT,
    "publish": Action.STATEMENT_PUBLISH,
    "record_outreach": Action.OUTREACH_RECORD,
    "start_follow_up": Action.FOLLOW_UP_MANAGE,
    "close": Action.CASE_CLOSE,
    "reopen": Action.CASE_REOPEN,
}


def case_queryset() -> QuerySet[Case]:
    return Case.objects.select_related("municipality", "affected_community__language")


def case_get_for_user(*, user: Any, reference: str, action: Action = Action.VIEW) -> Case:
    """The case with this reference: 404 outside the user's scope, 403 without the right."""
    return get_for_user(user, case_queryset(), action=action, reference=reference)


def case_detail_get_for_user(*, user: Any, reference: str) -> Case:
    """A case with every step record prefetched (a fixed number of queries)."""
    statements = Statement.objects.select_related(
        "language", "drafted_by", "reviewed_by"
    ).prefetch_related(
        Prefetch(
            "translations",
            queryset=Translation.objects.select_related("language", "translator", "reviewer"),
        )
    )
    queryset = (
        case_queryset()
        .select_related("convened_meeting", "created_by", "municipality__deadline_policy")
        .prefetch_related(
            "municipality__official_languages",
            "municipality__languages_in_official_use",
            Prefetch("statements", queryset=statements),
            "outreach__language",
            "follow_up_actions",
        )
    )
    if user_can_see_personal_data_somewhere(user):
        queryset = queryset.prefetch_related("people")
    return get_for_user(user, queryset, reference=reference)


def user_can_see_personal_data_somewhere(user: Any) -> bool:
    from mcsc.permissions import user_can_anywhere

    return user_can_anywhere(user, Action.VIEW_PERSONAL_DATA)


@dataclass(frozen=True)
class CaseFilters:
    state: str | None = None
    category: str | None = None
    community: str | None = None
    municipality: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str | None = None
    overdue: bool | None = None
    # Drill-down from the compliance dashboard: the region (code) and the figure
    # (``casefiles.compliance.figures.FIGURES`` key) whose cases to list.
    region: str | None = None
    figure: str | None = None
    # "due": the soonest deadline first, cases with none last; otherwise the newest report.
    sort: str | None = None


def case_list(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """The cases in the user's scope, narrowed by ``filters``. A municipality or region
    outside the scope raises Http404, a malformed code ValidationError (``mcsc.permissions``)."""
    filters = filters or CaseFilters()
    queryset = scope_filter(user, case_queryset())
    municipality = municipality_filter_for_user(user=user, code=filters.municipality)
    region = region_filter_for_user(user=user, code=filters.region)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.category:
        queryset = queryset.filter(category=filters.category)
    if filters.community:
        queryset = queryset.filter(affected_community__code=filters.community)
    if municipality is not None:
        queryset = queryset.filter(municipality=municipality)
    if region is not None:
        queryset = queryset.filter(municipality__region=region)
    if filters.figure:
        from casefiles.compliance.figures import figure_q

        queryset = queryset.filter(figure_q(filters.figure))
    if filters.date_from:
        queryset = queryset.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(occurred_at__date__lte=filters.date_to)
    if filters.overdue is True:
        queryset = queryset.filter(due_at__lt=timezone.now())
    elif filters.overdue is False:
        queryset = queryset.exclude(due_at__lt=timezone.now())
    if filters.search:
        term = filters.search.strip()
        queryset = queryset.filter(
            Q(reference__icontains=term)
            | Q(summary__icontains=term)
            | Q(settlement__icontains=term)
            | Q(location__icontains=term)
        )
    if filters.sort == "due":
        queryset = queryset.order_by(F("due_at").asc(nulls_last=True), "-reported_at", "-id")
    return queryset


def overdue_cases(*, user: Any) -> QuerySet[Case]:
    """The open cases in the user's scope past their step's deadline, most overdue first:
    the cases behind the compliance figure "Overdue now", whatever the incident date."""
    return case_list(user=user, filters=CaseFilters(figure="overdue")).order_by("due_at", "pk")


# How long after its dismissal a case stays on the leadership's home page.
REOPEN_WINDOW = dt.timedelta(days=30)


def cases_to_reopen(*, user: Any) -> QuerySet[Case]:
    """Cases dismissed in the last 30 days where the user may reopen them, newest first:
    a secretary dismisses alone, and the leadership may reopen the case for verification."""
    return (
        case_queryset()
        .filter(
            municipality__in=municipalities_where(user, Action.CASE_REOPEN),
            state=CaseState.DISMISSED,
            dismissed_at__gte=timezone.now() - REOPEN_WINDOW,
        )
        .order_by("-dismissed_at", "-pk")
    )


# A reference as people type it: "pz-2026-5", "PZ 2026 0005", "PZ20260005".
_REFERENCE_TYPED = re.compile(r"^([A-Za-z]{1,8})[\s-]*(\d{4})[\s-]*(\d{1,6})$")


def case_find_by_reference(*, user: Any, term: str) -> Case | None:
    """The case in the user's scope whose reference the term spells, in any case and with or
    without spaces or hyphens; None when there is none (a case outside the scope included)."""
    match = _REFERENCE_TYPED.match((term or "").strip())
    if match is None:
        return None
    prefix, year, number = match.groups()
    reference = f"{prefix.upper()}-{year}-{int(number):04d}"
    return scope_filter(user, case_queryset()).filter(reference=reference).first()


# The step a case waits for in each open state, worded as the task inbox words it
# (workflows/flows.py), so that a list needs no query per case to say what comes next.
CASE_NEXT_STEP = {
    CaseState.REPORTED: gettext_lazy("Verify or dismiss the incident"),
    CaseState.VERIFIED: gettext_lazy("Convene the council"),
    CaseState.COUNCIL_CONVENED: gettext_lazy("Draft the public statement"),
    CaseState.STATEMENT_DRAFTED: gettext_lazy("Approve or reject the statement"),
    CaseState.STATEMENT_APPROVED: gettext_lazy("Translate and publish the statement"),
    CaseState.STATEMENT_PUBLISHED: gettext_lazy("Reach out to the affected community"),
    CaseState.OUTREACH_CONDUCTED: gettext_lazy("Plan the follow-up"),
    CaseState.FOLLOW_UP: gettext_lazy("Close the case"),
}


def case_next_step(case: Case) -> str | None:
    """What the case waits for next; None once it is closed or dismissed."""
    label = CASE_NEXT_STEP.get(case.state)
    return str(label) if label is not None else None


# --- The steps a user can take now, and why the others would be refused --------------------


class BlockCode(StrEnum):
    """Why a step the user has the right to take would be refused now (the API's ``code``)."""

    NO_QUALIFYING_MEETING = "no_qualifying_meeting"
    NO_STATEMENT = "no_statement"
    FOUR_EYES = "four_eyes"
    TRANSLATIONS_MISSING = "translations_missing"
    FOLLOW_UP_ACTIONS_OPEN = "follow_up_actions_open"


@dataclass(frozen=True)
class WayForward:
    """A page where the user can remove a blocker."""

    url: str
    label: str


@dataclass(frozen=True)
class Blocker:
    code: BlockCode
    message: str
    links: tuple[WayForward, ...] = ()


@dataclass(frozen=True)
class StepOption:
    """A step the user has the right to take in the case's state; ``available`` when the
    service would accept it now (given valid input), else ``blocked_by`` says why not."""

    name: str
    blocked_by: tuple[Blocker, ...] = ()

    @property
    def available(self) -> bool:
        return not self.blocked_by


def case_steps(*, user: Any, case: Case) -> list[StepOption]:
    """Every step the case's state allows and the user has the right to take, each with the
    reasons the service would refuse it now (the services' own checks, on the same data).

    Reads the case's prefetched statements, translations and follow-up actions when present
    (``case_detail_get_for_user``); otherwise a fixed number of queries. Only when the
    council may be convened does it read the meetings with the case on their agenda (four
    queries, whatever their number).
    """
    options = []
    for name, action in TRANSITION_ACTIONS.items():
        if not (can_proceed(getattr(case, name)) and user_can(user, action, case)):
            continue
        check = _STEP_CHECKS.get(name)
        options.append(StepOption(name=name, blocked_by=tuple(check(user, case)) if check else ()))
    return options


def available_transitions(*, user: Any, case: Case) -> list[str]:
    """The steps the user can take now: the state allows them, the user has the right, and
    nothing blocks them (``case_steps``)."""
    return [option.name for option in case_steps(user=user, case=case) if option.available]


def _latest_statement(case: Case) -> Statement | None:
    # The same version as services.current_statement, from the prefetched rows.
    return max(case.statements.all(), key=lambda s: s.version, default=None)


def _review_blockers(user: Any, case: Case) -> list[Blocker]:
    statement = _latest_statement(case)
    if not services.statement_awaiting_review(statement):
        return [Blocker(BlockCode.NO_STATEMENT, services.no_statement_message())]
    if services.four_eyes_refuses(user, statement):
        return [Blocker(BlockCode.FOUR_EYES, services.four_eyes_message())]
    return []


def _publish_blockers(user: Any, case: Case) -> list[Blocker]:
    statement = _latest_statement(case)
    missing = services.statement_missing_languages(case, statement)
    if not missing:
        return []
    links: list[WayForward] = []
    may_translate = case.state in services.TRANSLATABLE_STATES and (
        user_can(user, Action.TRANSLATION_EDIT, case)
        or user_can(user, Action.TRANSLATION_REVIEW, case)
    )
    if statement is not None and may_translate:
        drafts = {t.language.code for t in statement.translations.all()}
        for language in missing:
            if language.code == statement.language.code:
                continue
            label = (
                _("Review the %(language)s translation")
                if language.code in drafts
                else _("Translate into %(language)s")
            ) % {"language": language.name}
            url = reverse("casefiles:translation", args=[case.reference, language.code])
            links.append(WayForward(url, label))
    message = MissingLanguages(missing).message_dict["translations"][0]
    return [Blocker(BlockCode.TRANSLATIONS_MISSING, message, tuple(links))]


def _close_blockers(user: Any, case: Case) -> list[Blocker]:
    still_open = services.open_follow_up_actions(case)
    if not still_open:
        return []
    # The case page's list of actions is where each is marked done or dropped.
    links = (
        WayForward(
            reverse("casefiles:detail", args=[case.reference]) + "#follow-up",
            _("Go to the follow-up actions"),
        ),
    )
    message = services.open_actions_message(still_open)
    return [Blocker(BlockCode.FOLLOW_UP_ACTIONS_OPEN, message, links)]


def convene_candidates(case: Case) -> list[Meeting]:
    """The recorded meetings that could count as the council convening on ``case``: those of
    its municipality with the case on the agenda (any other meeting is refused for that
    alone), with what ``services.convene_problems`` reads, in four queries."""
    return list(
        Meeting.objects.filter(municipality_id=case.municipality_id, agenda_items__case=case)
        .select_related("council")
        .prefetch_related("agenda_items", "attendance", "council__members")
        .distinct()
        .order_by("-starts_at")
    )


def _convene_blockers(user: Any, case: Case) -> list[Blocker]:
    meetings = convene_candidates(case)
    problems = [
        (meeting, services.convene_problems(case=case, meeting=meeting)) for meeting in meetings
    ]
    if any(not found for _meeting, found in problems):
        return []
    parts = [
        str(
            _(
                "No recorded council meeting can count for this case: it must have taken place "
                "after the incident, with the case on its agenda, its attendance recorded and a "
                "quorum present."
            )
        )
    ]
    links: list[WayForward] = []
    for meeting, found in problems:
        when = formats.date_format(timezone.localtime(meeting.starts_at), "j M Y H:i")
        parts.append(
            _("The meeting of %(when)s: %(problems)s")
            % {"when": when, "problems": " ".join(str(p) for p in found)}
        )
        links.append(
            WayForward(
                reverse("mcsc:meeting", args=[meeting.pk]),
                _("Open the meeting of %(when)s") % {"when": when},
            )
        )
    if user_can(user, Action.MEETING_MANAGE, case):
        new = reverse("mcsc:meeting-new")
        links += [
            WayForward(
                f"{new}?{urlencode({'case': case.reference})}",
                _("Record the council meeting for this case"),
            ),
            WayForward(
                f"{new}?{urlencode({'case': case.reference, 'schedule': 1})}",
                _("Schedule a meeting for this case"),
            ),
        ]
    return [Blocker(BlockCode.NO_QUALIFYING_MEETING, " ".join(parts), tuple(links))]


# The steps whose service checks data besides the state and the right (the rest only
# validate their input).
_STEP_CHECKS: dict[str, Callable[[Any, Case], list[Blocker]]] = {
    "convene": _convene_blockers,
    "approve": _review_blockers,
    "reject": _review_blockers,
    "publish": _publish_blockers,
    "close": _close_blockers,
}


def case_audit_events(*, user: Any, case: Case) -> QuerySet[AuditEvent]:
    """The audit trail of one case (the case itself was fetched through the user's scope)."""
    return AuditEvent.objects.filter(case=case).select_related("actor").order_by("sequence")


# --- Convening: which meetings count for a case, and what the others lack ----------------

# The convene page lists at most this many meetings; those with the case on their agenda
# come first, so a qualifying meeting is never cut off by newer unrelated ones.
CONVENE_MEETINGS_SHOWN = 20


@dataclass(frozen=True)
class MeetingOption:
    """A meeting of the case's municipality after the incident, and why it does not count
    (``problems`` empty: it does)."""

    meeting: Any
    problems: list
    editable: bool

    @property
    def qualifies(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> set[str]:
        return {problem.code for problem in self.problems}


@dataclass(frozen=True)
class ConveneOptions:
    qualifying: list[MeetingOption]
    others: list[MeetingOption]
    can_manage_meetings: bool


def convene_options(*, user: Any, case: Case) -> ConveneOptions:
    """The meetings that could count as the council convening on ``case`` (the user can see
    the case: the caller fetched it through the scope): those that qualify, and the others
    with their problems. A fixed number of queries, whatever the number of meetings."""
    from django.db.models import Exists, OuterRef

    from casefiles.services import convene_problems
    from mcsc.councils.meetings import is_editable
    from mcsc.models import AgendaItem, Attendance, CouncilMember, Meeting, Minutes

    on_agenda = AgendaItem.objects.filter(meeting=OuterRef("pk"), case=case)
    meetings = list(
        Meeting.objects.filter(municipality_id=case.municipality_id, starts_at__gt=case.occurred_at)
        .select_related("council")
        .annotate(case_on_agenda=Exists(on_agenda))
        .prefetch_related(
            Prefetch(
                "agenda_items", queryset=AgendaItem.objects.only("id", "meeting_id", "case_id")
            ),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.only("id", "meeting_id", "member_id", "status"),
            ),
            Prefetch("council__members", queryset=CouncilMember.objects.all()),
            Prefetch(
                "minutes", queryset=Minutes.objects.only("id", "meeting_id", "version", "status")
            ),
        )
        .order_by("-case_on_agenda", "-starts_at")[:CONVENE_MEETINGS_SHOWN]
    )
    options = [
        MeetingOption(
            meeting=meeting,
            problems=convene_problems(case=case, meeting=meeting),
            editable=is_editable(meeting),
        )
        for meeting in meetings
    ]
    return ConveneOptions(
        qualifying=[o for o in options if o.qualifies],
        others=[o for o in options if not o.qualifies],
        can_manage_meetings=user_can(user, Action.MEETING_MANAGE, case.municipality_id),
    )
