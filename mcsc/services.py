"""Writes on the reference layer: role assignments.

Called by the admin, the demo seeding and tests; writes one audit event per change.
Removing a role runs the hooks registered with ``register_role_removed_hook`` (the
accounts app revokes the user's API tokens there) in the same transaction.
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from casefiles.audit.chain import audit_record
from casefiles.models import AuditAction
from mcsc.models import (
    MUNICIPAL_ROLES,
    Municipality,
    Region,
    Role,
    RoleAssignment,
)
from mcsc.permissions import forget_scope

_role_removed_hooks: list[Callable[..., Mapping[str, Any] | None]] = []


def register_role_removed_hook(hook: Callable[..., Mapping[str, Any] | None]) -> None:
    """``hook(user=..., assignment=..., actor=...)`` runs inside ``role_remove``'s
    transaction; what it returns is added to the audit event's payload."""
    if hook not in _role_removed_hooks:
        _role_removed_hooks.append(hook)


def _assignment_payload(assignment: RoleAssignment) -> dict[str, Any]:
    return {
        "user": assignment.user.get_username(),
        "role": assignment.role,
        "municipality": assignment.municipality.code if assignment.municipality else None,
        "region": assignment.region.code if assignment.region else None,
    }


@transaction.atomic
def role_assign(
    *,
    user: Any,
    role: Role,
    municipality: Municipality | None = None,
    region: Region | None = None,
    actor: Any = None,
) -> RoleAssignment:
    """Give ``user`` a role where it applies; assigning a role already held changes nothing."""
    role = Role(role)
    if role in MUNICIPAL_ROLES and municipality is None:
        raise ValidationError(
            {"municipality": _("A %(role)s needs a municipality.") % {"role": role.label}}
        )
    if role not in MUNICIPAL_ROLES and municipality is not None:
        raise ValidationError(
            {
                "municipality": _("A %(role)s is not tied to one municipality.")
                % {"role": role.label}
            }
        )
    if region is not None and role != Role.MONITOR:
        raise ValidationError({"region": _("Only monitors can be scoped to a region.")})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, municipality=municipality, region=region
    )
    forget_scope(user)
    if created:
        audit_record(
            actor=actor,
            action=AuditAction.ROLE_ASSIGN,
            municipality=municipality,
            obj=assignment,
            payload=_assignment_payload(assignment),
        )
    return assignment


@transaction.atomic
def role_remove(*, assignment: RoleAssignment, actor: Any = None) -> None:
    """Take a role away. The hooks run first (the user's API tokens are revoked), then the
    row is deleted, with one audit event naming what the hooks did."""
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("user", "municipality", "region")
        .get(pk=assignment.pk)
    )
    user = assignment.user
    payload = _assignment_payload(assignment)
    for hook in _role_removed_hooks:
        payload.update(hook(user=user, assignment=assignment, actor=actor) or {})
    audit_record(
        actor=actor,
        action=AuditAction.ROLE_REMOVE,
        municipality=assignment.municipality_id,
        obj=assignment,
        payload=payload,
    )
    assignment.delete()
    forget_scope(user)
