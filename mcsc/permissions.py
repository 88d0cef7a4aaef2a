"""Who may do what, where: the one place that answers it.

A user's *scope* is computed once per request from their role assignments: for every
municipality, the roles they hold there. ``scope_filter`` narrows any queryset to what
the user may see; ``user_can`` answers "may this user do X to this object";
``get_for_user`` fetches and authorises in one call (404 outside scope, 403 for a missing
right), which is what the per-object helpers build on; ``municipality_filter_for_user`` and
``region_filter_for_user`` do the same for every filter by municipality or region (and 400
for a value that cannot be a code).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mcsc.models import Municipality, Region, Role, RoleAssignment


class Action(StrEnum):
    VIEW = "view"
    VIEW_PERSONAL_DATA = "view_personal_data"
    CASE_OPEN = "case.open"
    CASE_EDIT = "case.edit"
    CASE_VERIFY = "case.verify"
    CASE_DISMISS = "case.dismiss"
    CASE_CONVENE = "case.convene"
    STATEMENT_DRAFT = "statement.draft"
    STATEMENT_APPROVE = "statement.approve"
    STATEMENT_REJECT = "statement.reject"
    STATEMENT_PUBLISH = "statement.publish"
    TRANSLATION_EDIT = "translation.edit"
    TRANSLATION_REVIEW = "translation.review"
    OUTREACH_RECORD = "outreach.record"
    FOLLOW_UP_MANAGE = "follow_up.manage"
    CASE_CLOSE = "case.close"
    CASE_REOPEN = "case.reopen"
    COUNCIL_MANAGE = "council.manage"
    MEETING_MANAGE = "meeting.manage"
    MINUTES_APPROVE = "minutes.approve"
    AUDIT_VIEW = "audit.view"
    EXPORT = "export"
    REFERENCE_MANAGE = "reference.manage"
    PERSONAL_DATA_EXPORT = "personal_data.export"


_SECRETARY = {
    Action.VIEW,
    Action.VIEW_PERSONAL_DATA,
    Action.CASE_OPEN,
    Action.CASE_EDIT,
    Action.CASE_VERIFY,
    Action.CASE_DISMISS,
    Action.CASE_CONVENE,
    Action.STATEMENT_DRAFT,
    Action.STATEMENT_PUBLISH,
    Action.TRANSLATION_EDIT,
    Action.TRANSLATION_REVIEW,
    Action.OUTREACH_RECORD,
    Action.FOLLOW_UP_MANAGE,
    Action.CASE_CLOSE,
    Action.COUNCIL_MANAGE,
    Action.MEETING_MANAGE,
    Action.AUDIT_VIEW,
    Action.EXPORT,
}
_LEADERSHIP = {
    Action.VIEW,
    Action.VIEW_PERSONAL_DATA,
    Action.STATEMENT_APPROVE,
    Action.STATEMENT_REJECT,
    Action.TRANSLATION_REVIEW,
    Action.CASE_REOPEN,
    Action.MINUTES_APPROVE,
    Action.AUDIT_VIEW,
    Action.EXPORT,
}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.SECRETARY: frozenset(_SECRETARY),
    Role.LEADERSHIP: frozenset(_LEADERSHIP),
    # Members read their council's cases and minutes, but not who the victims are.
    Role.MEMBER: frozenset({Action.VIEW}),
    Role.TRANSLATOR: frozenset({Action.VIEW, Action.TRANSLATION_EDIT}),
    # Monitors audit everything in scope and never write case data or read personal data.
    Role.MONITOR: frozenset({Action.VIEW, Action.AUDIT_VIEW, Action.EXPORT}),
    # Administrators answer a person's request for everything stored about them
    # (manage.py export_personal_data), and nobody else may.
    Role.ADMINISTRATOR: frozenset(
        {Action.VIEW, Action.AUDIT_VIEW, Action.REFERENCE_MANAGE, Action.PERSONAL_DATA_EXPORT}
    ),
}


@dataclass(frozen=True)
class Scope:
    """The roles a user holds, per municipality id, plus roles held everywhere."""

    everywhere: frozenset[Role] = frozenset()
    by_municipality: dict[int, frozenset[Role]] = field(default_factory=dict)

    @property
    def is_global(self) -> bool:
        return bool(self.everywhere)

    @property
    def municipality_ids(self) -> frozenset[int]:
        return frozenset(self.by_municipality)

    @property
    def roles(self) -> frozenset[Role]:
        return self.everywhere.union(*self.by_municipality.values())

    def roles_in(self, municipality_id: int | None) -> frozenset[Role]:
        return self.everywhere | self.by_municipality.get(municipality_id, frozenset())

    def allows(self, action: Action, municipality_id: int | None) -> bool:
        return any(action in ROLE_ACTIONS[role] for role in self.roles_in(municipality_id))

    def sees(self, municipality_id: int | None) -> bool:
        return bool(self.roles_in(municipality_id))

    def q(self, via: str = "municipality") -> Q:
        """A filter for rows whose municipality (reached through ``via``) is in scope."""
        if self.is_global:
            return Q()
        if not self.by_municipality:
            return Q(pk__in=[])
        return Q(**{f"{via}__in": sorted(self.by_municipality)})


_EMPTY = Scope()


def user_scope(user: Any) -> Scope:
    """The user's scope, computed with at most two queries and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_mcsc_scope", None)
    if cached is not None:
        return cached
    everywhere: set[Role] = set()
    by_municipality: dict[int, set[Role]] = {}
    region_monitoring: set[int] = set()
    for role, municipality_id, region_id in RoleAssignment.objects.filter(user=user).values_list(
        "role", "municipality_id", "region_id"
    ):
        role = Role(role)
        if municipality_id is not None:
            by_municipality.setdefault(municipality_id, set()).add(role)
        elif role == Role.MONITOR and region_id is not None:
            region_monitoring.add(region_id)
        else:
            everywhere.add(role)
    if user.is_superuser:
        everywhere.add(Role.ADMINISTRATOR)
    if region_monitoring:
        for municipality_id in Municipality.objects.filter(
            region_id__in=region_monitoring
        ).values_list("id", flat=True):
            by_municipality.setdefault(municipality_id, set()).add(Role.MONITOR)
    scope = Scope(
        everywhere=frozenset(everywhere),
        by_municipality={k: frozenset(v) for k, v in by_municipality.items()},
    )
    user._mcsc_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """Drop the cached scope after the user's role assignments changed."""
    user.__dict__.pop("_mcsc_scope", None)


def municipality_id_of(target: Model | int | None) -> int | None:
    if target is None or isinstance(target, int):
        return target
    if isinstance(target, Municipality):
        return target.pk
    return target.municipality_id


def user_can(user: Any, action: Action, target: Model | int | None) -> bool:
    """May ``user`` do ``action`` to ``target`` (a municipality, its id, or an object of one)?"""
    return user_scope(user).allows(action, municipality_id_of(target))


def user_can_anywhere(user: Any, action: Action) -> bool:
    scope = user_scope(user)
    return any(action in ROLE_ACTIONS[role] for role in scope.roles)


def require(user: Any, action: Action, target: Model | int | None) -> None:
    if not user_can(user, action, target):
        raise PermissionDenied(_("You do not have the right to do this in this municipality."))


def scope_filter(user: Any, queryset: QuerySet, *, via: str = "municipality") -> QuerySet:
    """``queryset`` narrowed to the rows the user may see; ``via`` leads to the municipality."""
    return queryset.filter(user_scope(user).q(via))


def municipalities_where(user: Any, action: Action) -> QuerySet:
    """The municipalities in which ``user`` may do ``action``."""
    scope = user_scope(user)
    queryset = Municipality.objects.all()
    if any(action in ROLE_ACTIONS[role] for role in scope.everywhere):
        return queryset
    allowed = [mid for mid in scope.by_municipality if scope.allows(action, mid)]
    return queryset.filter(pk__in=allowed)


def get_for_user(
    user: Any,
    queryset: QuerySet,
    *,
    action: Action = Action.VIEW,
    via: str = "municipality",
    **lookup: Any,
) -> Model:
    """Fetch one object and authorise ``action`` on it.

    Raises Http404 when the object does not exist *or* lies outside the user's scope (so a
    user cannot learn what other municipalities hold) and PermissionDenied when it is
    visible but the user lacks the right.
    """
    obj = scope_filter(user, queryset, via=via).filter(**lookup).first()
    if obj is None:
        raise Http404(_("Not found."))
    municipality_id = obj.pk if isinstance(obj, Municipality) else _follow(obj, via)
    if not user_can(user, action, municipality_id):
        raise PermissionDenied(_("You do not have the right to do this in this municipality."))
    return obj


def _follow(obj: Model, via: str) -> int | None:
    *path, last = via.split("__")
    for step in path:
        obj = getattr(obj, step)
    return getattr(obj, f"{last}_id")


def municipality_get_for_user(
    *, user: Any, code: str, action: Action = Action.VIEW
) -> Municipality:
    return get_for_user(user, Municipality.objects.all(), action=action, via="pk", code=code)


# --- Filters by municipality or region ----------------------------------------------------
# Every page and API filter ``?municipality=<code>`` or ``?region=<code>`` goes through these
# two, so that they all answer alike: an empty value is no filter; a value that cannot be a
# code is a ValidationError naming the parameter (400); a municipality or region outside
# the user's scope is Http404 (its existence is not revealed), one inside it where the user
# lacks the right PermissionDenied (403).

_MUNICIPALITY_CODE = re.compile(r"^[0-9A-Za-z]{1,4}$")  # statistical office code, e.g. 20
_REGION_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,32}$")  # a slug, e.g. gjilan


def municipality_filter_for_user(
    *, user: Any, code: str | None, action: Action = Action.VIEW
) -> Municipality | None:
    """The municipality a filter names, fetched through the user's scope (or None)."""
    code = (code or "").strip()
    if not code:
        return None
    if not _MUNICIPALITY_CODE.match(code):
        raise ValidationError(
            {
                "municipality": [
                    _(
                        "Give the municipality by its statistical office code: up to four "
                        "letters or digits, for example 20."
                    )
                ]
            },
            code="malformed",
        )
    try:
        return municipality_get_for_user(user=user, code=code, action=action)
    except Http404:
        raise Http404(_("There is no municipality with this code in your scope.")) from None


def region_filter_for_user(
    *, user: Any, code: str | None, action: Action = Action.VIEW
) -> Region | None:
    """The OSCE region a filter names, if the user sees one of its municipalities (or None)."""
    code = (code or "").strip()
    if not code:
        return None
    if not _REGION_CODE.match(code):
        raise ValidationError(
            {"region": [_("Give the region by its code, for example gjilan.")]}, code="malformed"
        )
    region = Region.objects.filter(code=code).first()
    visible = (
        scope_filter(user, Municipality.objects.filter(region=region), via="pk")
        if region is not None
        else Municipality.objects.none()
    )
    if not visible.exists():
        raise Http404(_("There is no region with this code in your scope."))
    if not municipalities_where(user, action).filter(region=region).exists():
        raise PermissionDenied(_("You do not have the right to do this in this region."))
    return region


def roles_summary(user: Any) -> list[tuple[str, str]]:
    """(role label, where) pairs for display on the home page."""
    rows = RoleAssignment.objects.filter(user=user).select_related("municipality", "region")
    summary = []
    for assignment in rows.order_by("role"):
        if assignment.municipality is not None:
            where = str(assignment.municipality)
        elif assignment.region is not None:
            where = _("region %(region)s") % {"region": assignment.region}
        else:
            where = _("all municipalities")
        summary.append((assignment.get_role_display(), where))
    return summary


def users_with_role(role: Role, municipality_ids: Iterable[int]) -> QuerySet:
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__role=role,
            role_assignments__municipality_id__in=list(municipality_ids),
        )
        .distinct()
    )
