"""Writes on municipalities, councils and role assignments."""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mcsc.models import (
    MUNICIPAL_ROLES,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Community,
    Council,
    CouncilMember,
    Meeting,
    MeetingKind,
    Municipality,
    Region,
    Role,
    RoleAssignment,
    Seat,
)
from mcsc.permissions import Action, forget_scope, require


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


@transaction.atomic
def council_get_or_create(*, municipality: Municipality) -> Council:
    council, _created = Council.objects.get_or_create(
        municipality=municipality,
        defaults={"name": _("MCSC %(municipality)s") % {"municipality": municipality.name_sq}},
    )
    return council


@transaction.atomic
def council_member_add(
    *,
    user: Any,
    municipality: Municipality,
    name: str,
    seat: str,
    appointed_on: dt.date,
    community: Community | None = None,
    appointment_reference: str = "",
    email: str = "",
    phone: str = "",
) -> CouncilMember:
    require(user, Action.COUNCIL_MANAGE, municipality)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the member's name.")]
    if seat not in Seat.values:
        errors["seat"] = [_("Choose a seat.")]
    if errors:
        raise ValidationError(errors)
    council = council_get_or_create(municipality=municipality)
    return CouncilMember.objects.create(
        council=council,
        municipality=municipality,
        name=name.strip(),
        seat=seat,
        community=community,
        appointed_on=appointed_on,
        appointment_reference=appointment_reference.strip(),
        email=email.strip(),
        phone=phone.strip(),
    )


@transaction.atomic
def meeting_create(
    *,
    user: Any,
    municipality: Municipality,
    kind: str,
    starts_at: dt.datetime,
    place: str,
    agenda: Sequence[Mapping[str, Any]] = (),
    chair: CouncilMember | None = None,
) -> Meeting:
    """Schedule or record a council meeting with its agenda (free items and case items)."""
    from casefiles.audit import audit_record
    from casefiles.models import AuditAction

    require(user, Action.MEETING_MANAGE, municipality)
    errors: dict[str, list[str]] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choose regular or extraordinary.")]
    if not place.strip():
        errors["place"] = [_("Give the place of the meeting.")]
    for index, item in enumerate(agenda, start=1):
        case = item.get("case")
        if not (item.get("title") or "").strip() and case is None:
            errors.setdefault("agenda", []).append(
                _("Item %(n)d: give a title or a case.") % {"n": index}
            )
        if case is not None and case.municipality_id != municipality.pk:
            errors.setdefault("agenda", []).append(
                _("Item %(n)d: the case belongs to another municipality.") % {"n": index}
            )
    if chair is not None and chair.municipality_id != municipality.pk:
        errors["chair"] = [_("The chair must be a member of this council.")]
    if errors:
        raise ValidationError(errors)
    council = council_get_or_create(municipality=municipality)
    meeting = Meeting.objects.create(
        council=council,
        municipality=municipality,
        kind=kind,
        starts_at=starts_at,
        place=place.strip(),
        chair=chair,
        created_by=user,
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                position=position,
                title=(item.get("title") or "").strip() or item["case"].reference,
                case=item.get("case"),
            )
            for position, item in enumerate(agenda, start=1)
        ]
    )
    audit_record(
        actor=user,
        action=AuditAction.MEETING_CREATE,
        municipality=municipality,
        obj=meeting,
        payload={
            "kind": kind,
            "starts_at": starts_at,
            "agenda": [
                item.get("case").reference if item.get("case") else item.get("title")
                for item in agenda
            ],
        },
    )
    return meeting


@transaction.atomic
def meeting_attendance_record(
    *, user: Any, meeting: Meeting, attendance: Mapping[int, str]
) -> Meeting:
    """Record present / excused / absent per member (replacing what was recorded)."""
    from casefiles.audit import audit_record
    from casefiles.models import AuditAction

    require(user, Action.MEETING_MANAGE, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    members = {m.pk: m for m in meeting.council.members.all()}
    errors = []
    for member_id, status in attendance.items():
        if member_id not in members:
            errors.append(_("Member %(id)s is not on this council.") % {"id": member_id})
        if status not in AttendanceStatus.values:
            errors.append(_("Choose present, excused or absent."))
    if errors:
        raise ValidationError({"attendance": errors})
    before = {str(a.member_id): a.status for a in meeting.attendance.all()}
    Attendance.objects.filter(meeting=meeting).delete()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=m, status=s) for m, s in attendance.items()]
    )
    after = {str(m): s for m, s in attendance.items()}
    audit_record(
        actor=user,
        action=AuditAction.MEETING_UPDATE,
        municipality=meeting.municipality_id,
        obj=meeting,
        changes={"attendance": [before, after]} if before != after else {},
    )
    return meeting
