"""Reads of cases, always through the requesting user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from casefiles.models import AuditEvent, Case, CaseState, Statement, Translation
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


def available_transitions(*, user: Any, case: Case) -> list[str]:
    """The transitions the case's state allows and the user has the right to make.

    A statement's drafter is not offered its review (four-eyes), even with leadership rights.
    """
    names = [
        name
        for name, action in TRANSITION_ACTIONS.items()
        if can_proceed(getattr(case, name)) and user_can(user, action, case)
    ]
    if {"approve", "reject"} & set(names):
        statement = max(case.statements.all(), key=lambda s: s.version, default=None)
        if statement is not None and statement.drafted_by_id == getattr(user, "pk", None):
            names = [name for name in names if name not in ("approve", "reject")]
    return names


def case_audit_events(*, user: Any, case: Case) -> QuerySet[AuditEvent]:
    """The audit trail of one case (the case itself was fetched through the user's scope)."""
    return AuditEvent.objects.filter(case=case).select_related("actor").order_by("sequence")
