"""Reads that are themselves written to the audit trail."""

from __future__ import annotations

from typing import Any

from casefiles.audit.chain import audit_record
from casefiles.models import AuditAction, AuditEvent, Case, CasePerson
from mcsc.models import Role
from mcsc.permissions import Action, user_can, user_scope


def case_monitor_view_record(*, user: Any, case: Case, via: str = "") -> AuditEvent | None:
    """Write one ``case.monitor_view`` event when a monitor opens ``case``.

    A monitor is a user whose only role in the case's municipality (counting roles held
    everywhere or for the region) is MONITOR; anyone who also works there reads the case
    as part of that work, and is not logged here. ``via`` says where the read came from
    ("page", "api"). Returns the event, or None when nothing was written.
    """
    if user_scope(user).roles_in(case.municipality_id) != {Role.MONITOR}:
        return None
    return audit_record(
        actor=user,
        action=AuditAction.CASE_MONITOR_VIEW,
        case=case,
        payload={"via": via} if via else None,
    )


def case_people_for_user(*, user: Any, case: Case, via: str) -> list[CasePerson] | None:
    """The case's people for a user allowed to see personal data (None for anyone else).

    Each read that shows at least one person writes a ``case.personal_data_view`` event,
    and a monitor's read of the case a ``case.monitor_view`` event.
    """
    case_monitor_view_record(user=user, case=case, via=via)
    if not user_can(user, Action.VIEW_PERSONAL_DATA, case):
        return None
    people = list(case.people.all())
    if people:
        audit_record(
            actor=user,
            action=AuditAction.CASE_PERSONAL_DATA_VIEW,
            case=case,
            payload={"people": len(people), "via": via},
        )
    return people
