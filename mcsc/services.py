"""Writes on the reference layer: role assignments.

Called by the admin, the demo seeding and tests; writes one audit event per change.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mcsc.models import (
    MUNICIPAL_ROLES,
    Municipality,
    Region,
    Role,
    RoleAssignment,
)
from mcsc.permissions import forget_scope


@transaction.atomic
def role_assign(
    *,
    user: Any,
    role: Role,
    municipality: Municipality | None = None,
    region: Region | None = None,
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
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, municipality=municipality, region=region
    )
    forget_scope(user)
    return assignment
