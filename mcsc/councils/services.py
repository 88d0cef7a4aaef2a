"""Writes on councils, members, meetings, their record, invitations and minutes.

Every write is one transaction and writes one audit event (``casefiles.audit.chain``). A meeting
whose current minutes are approved is frozen: the services that change its record refuse
with ``mcsc.councils.meetings.MinutesApproved`` until an amendment is started.
"""

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from mcsc.councils.selectors import council_default_name
from mcsc.db import lock_then_load
from mcsc.inputs import date_errors, length_errors
from mcsc.models import (
    ACTION_TRANSLATED_FIELDS,
    AGENDA_TRANSLATED_FIELDS,
    ActionItem,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Community,
    Council,
    CouncilMember,
    Guest,
    Meeting,
    MeetingKind,
    Minutes,
    MinutesDocument,
    MinutesStatus,
    Municipality,
    Seat,
)
from mcsc.permissions import Action, require

log = logging.getLogger(__name__)


@transaction.atomic
def council_get_or_create(*, municipality: Municipality) -> Council:
    council, _created = Council.objects.get_or_create(
        municipality=municipality, defaults={"name": council_default_name(municipality)}
    )
    return council


# Contact details are personal data: the audit trail (which monitors read) records that
# they changed, never their values.
_CONTACT_FIELDS = ("email", "phone")
_MEMBER_FIELDS = (
    "name",
    "seat",
    "community",
    "appointed_on",
    "appointment_reference",
    "ended_on",
    "email",
    "phone",
)


def _member_audit_view(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: (bool(value) if key in _CONTACT_FIELDS else value) for key, value in values.items()
    }


# A council has a few dozen members at most; a larger quorum is a typing mistake.
MAX_QUORUM = 1000


def _raise_lengths(model: Any, values: Mapping[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    length_errors(errors, model, values)
    if errors:
        raise ValidationError(errors)


def _validate_member(data: Mapping[str, Any], municipality: Municipality) -> None:
    errors: dict[str, list[str]] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = [_("Give the member's name.")]
    if data.get("seat") not in Seat.values:
        errors["seat"] = [_("Choose a seat.")]
    appointed_on, ended_on = data.get("appointed_on"), data.get("ended_on")
    if not isinstance(appointed_on, dt.date):
        errors["appointed_on"] = [_("Give the date of the appointment.")]
    else:
        in_range = date_errors(errors, "appointed_on", appointed_on)
        in_range = date_errors(errors, "ended_on", ended_on) and in_range
        if in_range and ended_on is not None and ended_on < appointed_on:
            errors["ended_on"] = [_("The membership cannot end before the appointment.")]
    email = (data.get("email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    length_errors(errors, CouncilMember, data)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def council_update(
    *, user: Any, council: Council, name: str, quorum_minimum: int | None
) -> Council:
    """Rename the council or set its quorum rule (empty: more than half of the members)."""
    from casefiles.audit.chain import audit_record, diff, snapshot
    from casefiles.models import AuditAction

    require(user, Action.COUNCIL_MANAGE, council.municipality_id)
    council = lock_then_load(Council.objects.all(), pk=council.pk)
    if quorum_minimum is not None and not 1 <= quorum_minimum <= MAX_QUORUM:
        raise ValidationError(
            {
                "quorum_minimum": [
                    _("The quorum is from 1 to %(max)d members.") % {"max": MAX_QUORUM}
                ]
            }
        )
    _raise_lengths(Council, {"name": name})
    before = snapshot(council, ["name", "quorum_minimum"])
    council.name = name.strip()
    council.quorum_minimum = quorum_minimum or None
    council.save(update_fields=["name", "quorum_minimum"])
    audit_record(
        actor=user,
        action=AuditAction.COUNCIL_UPDATE,
        municipality=council.municipality_id,
        obj=council,
        changes=diff(before, snapshot(council, ["name", "quorum_minimum"])),
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
    """Record a member appointed by the municipal assembly (date and decision reference)."""
    from casefiles.audit.chain import audit_record
    from casefiles.models import AuditAction

    require(user, Action.COUNCIL_MANAGE, municipality)
    _validate_member(
        {"name": name, "seat": seat, "appointed_on": appointed_on, "email": email}, municipality
    )
    council = council_get_or_create(municipality=municipality)
    member = CouncilMember.objects.create(
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
    audit_record(
        actor=user,
        action=AuditAction.COUNCIL_MEMBER_ADD,
        municipality=municipality,
        obj=member,
        payload=_member_audit_view({f: getattr(member, f) for f in _MEMBER_FIELDS}),
    )
    return member


@transaction.atomic
def council_member_update(*, user: Any, member: CouncilMember, **fields: Any) -> CouncilMember:
    """Change a member's record; ending the membership is setting ``ended_on`` (the row
    stays, so attendance and minutes keep their history)."""
    from casefiles.audit.chain import audit_record, diff, snapshot
    from casefiles.models import AuditAction

    unknown = set(fields) - set(_MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"Unknown member fields: {sorted(unknown)}")
    require(user, Action.COUNCIL_MANAGE, member.municipality_id)
    member = lock_then_load(CouncilMember.objects.all(), pk=member.pk)
    before = snapshot(member, _MEMBER_FIELDS)
    data = {**before, **fields}
    _validate_member(data, member.municipality)
    for key, value in fields.items():
        setattr(member, key, value.strip() if isinstance(value, str) else value)
    member.save()
    changes = diff(_member_audit_view(before), _member_audit_view(snapshot(member, _MEMBER_FIELDS)))
    for key in _CONTACT_FIELDS:
        if before[key] != getattr(member, key):
            changes.setdefault(key, ["…", "…"])  # changed; the values are personal data
    audit_record(
        actor=user,
        action=AuditAction.COUNCIL_MEMBER_UPDATE,
        municipality=member.municipality_id,
        obj=member,
        changes=changes,
    )
    return member


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
    held: bool | None = None,
    for_case: Any = None,
) -> Meeting:
    """Schedule or record a council meeting with its agenda (free items and case items).

    ``held``: True records a meeting that took place (not in the future), False schedules
    one (in the future), None accepts either. ``for_case``: the meeting is recorded or
    scheduled for this case, which goes first on the agenda (unless the agenda names it);
    a meeting that took place must then lie after the incident, or it could not count as
    the council convening on it.
    """
    from casefiles.audit.chain import audit_record
    from casefiles.models import AuditAction

    require(user, Action.MEETING_MANAGE, municipality)
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if not date_errors(errors, "starts_at", starts_at):
        pass
    elif held is True and starts_at > now:
        errors["starts_at"] = [
            _("A meeting that took place cannot be in the future: give today's date or earlier.")
        ]
    elif held is False and starts_at <= now:
        errors["starts_at"] = [_("A meeting to schedule must be in the future.")]
    if for_case is not None:
        # A case of another municipality is refused with the agenda below.
        if starts_at <= for_case.occurred_at:
            errors.setdefault("starts_at", []).append(
                _(
                    "The meeting must take place after the incident (%(date)s) to count for "
                    "case %(reference)s."
                )
                % {
                    "date": formats.date_format(
                        timezone.localtime(for_case.occurred_at), "j M Y H:i"
                    ),
                    "reference": for_case.reference,
                }
            )
        if not any(
            item.get("case") is not None and item["case"].pk == for_case.pk for item in agenda
        ):
            agenda = [{"title": "", "case": for_case}, *agenda]
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choose regular or extraordinary.")]
    if not place.strip():
        errors["place"] = [_("Give the place of the meeting.")]
    length_errors(errors, Meeting, {"place": place})
    for index, item in enumerate(agenda, start=1):
        case = item.get("case")
        length_errors(
            errors,
            AgendaItem,
            {"title": item.get("title")},
            prefix=_("Item %(n)d: ") % {"n": index},
        )
        if "title" in errors:
            errors.setdefault("agenda", []).extend(errors.pop("title"))
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
    from casefiles.audit.chain import audit_record
    from casefiles.models import AuditAction

    require(user, Action.MEETING_MANAGE, meeting)
    meeting = _lock_editable(meeting)
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


# --- The meeting record -----------------------------------------------------------------


def _lock_editable(meeting: Meeting) -> Meeting:
    """Lock the meeting row and refuse if its current minutes are approved."""
    from mcsc.councils.meetings import ensure_editable

    meeting = lock_then_load(
        Meeting.objects.select_related("council", "municipality"), pk=meeting.pk
    )
    ensure_editable(meeting)
    return meeting


def _audit_meeting(user: Any, meeting: Meeting, **kwargs: Any) -> None:
    from casefiles.audit.chain import audit_record
    from casefiles.models import AuditAction

    audit_record(
        actor=user,
        action=kwargs.pop("action", AuditAction.MEETING_UPDATE),
        municipality=meeting.municipality_id,
        obj=meeting,
        **kwargs,
    )


def _clean_translations(
    translations: Mapping[str, Mapping[str, str]] | None, fields: Sequence[str], meeting: Meeting
) -> dict[str, dict[str, str]]:
    """Keep non-empty translations into the municipality's official languages only."""
    from mcsc.councils.meetings import minutes_languages

    allowed = {language.code for language in minutes_languages(meeting.municipality)}
    cleaned: dict[str, dict[str, str]] = {}
    for code, texts in (translations or {}).items():
        if code not in allowed:
            raise ValidationError(
                {"translations": [_("%(code)s is not an official language here.") % {"code": code}]}
            )
        # Only text under the known names: any other shape (a list, nested objects from a
        # JSON body) is refused here, not met by ``.strip()`` as a 500.
        if not isinstance(texts, Mapping) or not all(
            isinstance(texts.get(f) or "", str) for f in fields
        ):
            raise ValidationError(
                {"translations": [_("Give each translation as text under its field's name.")]}
            )
        kept = {f: (texts.get(f) or "").strip() for f in fields if (texts.get(f) or "").strip()}
        if kept:
            cleaned[code] = kept
    return cleaned


def _minute(value: dt.datetime) -> dt.datetime:
    return value.replace(second=0, microsecond=0)


@transaction.atomic
def meeting_update(
    *,
    user: Any,
    meeting: Meeting,
    kind: str,
    starts_at: dt.datetime,
    place: str,
    chair: CouncilMember | None = None,
) -> Meeting:
    """Correct the meeting's kind, date and time, place or chair."""
    from casefiles.audit.chain import diff, snapshot

    require(user, Action.MEETING_MANAGE, meeting)
    meeting = _lock_editable(meeting)
    errors: dict[str, list[str]] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choose regular or extraordinary.")]
    if not place.strip():
        errors["place"] = [_("Give the place of the meeting.")]
    if chair is not None and chair.council_id != meeting.council_id:
        errors["chair"] = [_("The chair must be a member of this council.")]
    length_errors(errors, Meeting, {"place": place})
    if not date_errors(errors, "starts_at", starts_at):
        raise ValidationError(errors)
    if _minute(starts_at) == _minute(meeting.starts_at):
        starts_at = meeting.starts_at  # forms give minutes: the same time, unchanged
    if starts_at != meeting.starts_at and meeting.convened_cases.exists():
        errors["starts_at"] = [
            _(
                "Cases were convened at this meeting; its date and time are part of their "
                "record and no longer change."
            )
        ]
    if errors:
        raise ValidationError(errors)
    fields = ["kind", "starts_at", "place", "chair"]
    before = snapshot(meeting, fields)
    meeting.kind, meeting.starts_at, meeting.place, meeting.chair = (
        kind,
        starts_at,
        place.strip(),
        chair,
    )
    meeting.save(update_fields=["kind", "starts_at", "place", "chair"])
    _audit_meeting(user, meeting, changes=diff(before, snapshot(meeting, fields)))
    return meeting


@transaction.atomic
def agenda_item_add(
    *, user: Any, meeting: Meeting, title: str = "", case: Any = None
) -> AgendaItem:
    """Add an item at the end of the agenda: a free item or a case of the municipality."""
    require(user, Action.MEETING_MANAGE, meeting)
    meeting = _lock_editable(meeting)
    if not title.strip() and case is None:
        raise ValidationError({"title": [_("Give a title or choose a case.")]})
    _raise_lengths(AgendaItem, {"title": title})
    if case is not None and case.municipality_id != meeting.municipality_id:
        raise ValidationError({"case": [_("The case belongs to another municipality.")]})
    if case is not None:
        # A second click on "put this case on the agenda" must not list it twice.
        present = meeting.agenda_items.filter(case=case).values_list("position", flat=True)
        position = present.first()
        if position is not None:
            raise ValidationError(
                {
                    "case": [
                        _("The case is already on the agenda (item %(position)d).")
                        % {"position": position}
                    ]
                }
            )
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=(last or 0) + 1,
        title=title.strip() or case.reference,
        case=case,
    )
    _audit_meeting(
        user,
        meeting,
        changes={"agenda": [None, {"position": item.position, "title": item.title}]},
        payload={"case": case.reference if case else None},
    )
    return item


@transaction.atomic
def agenda_item_record(
    *,
    user: Any,
    item: AgendaItem,
    title: str,
    discussion: str,
    decisions: str,
    translations: Mapping[str, Mapping[str, str]] | None = None,
) -> AgendaItem:
    """Record the discussion and decisions of one agenda item (and their translations)."""
    from casefiles.audit.chain import diff

    require(user, Action.MEETING_MANAGE, item.meeting)
    meeting = _lock_editable(item.meeting)
    item = AgendaItem.objects.get(pk=item.pk, meeting=meeting)
    if not title.strip():
        raise ValidationError({"title": [_("Give the item a title.")]})
    _raise_lengths(AgendaItem, {"title": title})
    fields = ["title", "discussion", "decisions", "translations"]
    before = {f: getattr(item, f) for f in fields}
    item.title = title.strip()
    item.discussion = discussion.strip()
    item.decisions = decisions.strip()
    item.translations = _clean_translations(translations, AGENDA_TRANSLATED_FIELDS, meeting)
    item.save(update_fields=fields)
    changes = diff(before, {f: getattr(item, f) for f in fields})
    _audit_meeting(
        user,
        meeting,
        changes={f"agenda.{item.position}.{key}": value for key, value in changes.items()},
    )
    return item


@transaction.atomic
def guest_add(*, user: Any, meeting: Meeting, name: str, organisation: str = "") -> Guest:
    require(user, Action.MEETING_MANAGE, meeting)
    meeting = _lock_editable(meeting)
    if not name.strip():
        raise ValidationError({"name": [_("Give the guest's name.")]})
    _raise_lengths(Guest, {"name": name, "organisation": organisation})
    guest = Guest.objects.create(
        meeting=meeting, name=name.strip(), organisation=organisation.strip()
    )
    _audit_meeting(
        user, meeting, changes={"guests": [None, f"{guest.name} ({guest.organisation})"]}
    )
    return guest


@transaction.atomic
def guest_remove(*, user: Any, guest: Guest) -> None:
    require(user, Action.MEETING_MANAGE, guest.meeting)
    meeting = _lock_editable(guest.meeting)
    guest = Guest.objects.get(pk=guest.pk, meeting=meeting)
    label = f"{guest.name} ({guest.organisation})"
    guest.delete()
    _audit_meeting(user, meeting, changes={"guests": [label, None]})


@transaction.atomic
def action_item_add(
    *,
    user: Any,
    meeting: Meeting,
    description: str,
    owner: str,
    due_on: dt.date | None,
    agenda_item: AgendaItem | None = None,
    case: Any = None,
    translations: Mapping[str, Mapping[str, str]] | None = None,
    follow_up_action: Any = None,
) -> ActionItem:
    """Record an action the council decided (owner and due date).

    ``follow_up_action``: a follow-up action already added to the case from this agenda
    item (``casefiles.services.follow_up_action_add(source_agenda_item=...)``) that this
    action item is the council's record of.
    """
    require(user, Action.MEETING_MANAGE, meeting)
    meeting = _lock_editable(meeting)
    errors: dict[str, list[str]] = {}
    if not description.strip():
        errors["description"] = [_("Describe the action.")]
    if not owner.strip():
        errors["owner"] = [_("Say who owns the action.")]
    if not isinstance(due_on, dt.date):
        errors["due_on"] = [_("Give a due date.")]
    else:
        date_errors(errors, "due_on", due_on)
    length_errors(errors, ActionItem, {"description": description, "owner": owner})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = [_("The item is not on this meeting's agenda.")]
    if case is None and agenda_item is not None:
        case = agenda_item.case
    if case is not None and case.municipality_id != meeting.municipality_id:
        errors["case"] = [_("The case belongs to another municipality.")]
    if follow_up_action is not None and (
        agenda_item is None
        or follow_up_action.source_agenda_item_id != agenda_item.pk
        or follow_up_action.case_id != getattr(case, "pk", None)
    ):
        errors["case"] = [_("That follow-up action does not come from this agenda item.")]
    if errors:
        raise ValidationError(errors)
    action = ActionItem.objects.create(
        follow_up_action=follow_up_action,
        meeting=meeting,
        agenda_item=agenda_item,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        case=case,
        translations=_clean_translations(translations, ACTION_TRANSLATED_FIELDS, meeting),
    )
    _audit_meeting(
        user,
        meeting,
        changes={
            "action_items": [
                None,
                {"description": action.description, "owner": action.owner, "due_on": due_on},
            ]
        },
        payload={"case": case.reference if case else None},
    )
    return action


@transaction.atomic
def action_item_to_follow_up(*, user: Any, action: ActionItem, case: Any = None) -> ActionItem:
    """Make the action item a follow-up action of its case.

    Allowed whatever the state of the minutes (it does not change what they say), but only
    while the case is in follow-up (after the outreach, before closing): that is where
    ``casefiles`` keeps follow-up actions.
    """
    from casefiles.errors import TransitionConflict
    from casefiles.models import Case, CaseState
    from casefiles.services import FOLLOW_UP_STATES, follow_up_action_add

    require(user, Action.FOLLOW_UP_MANAGE, action.meeting)
    action = lock_then_load(
        ActionItem.objects.select_related("meeting", "agenda_item", "case"), pk=action.pk
    )
    if action.follow_up_action_id:
        raise ValidationError(
            {"case": [_("This action item is already a follow-up action of its case.")]}
        )
    case = case or action.case or (action.agenda_item.case if action.agenda_item_id else None)
    if case is None:
        raise ValidationError({"case": [_("Choose the case this action follows up.")]})
    if case.municipality_id != action.meeting.municipality_id:
        raise ValidationError({"case": [_("The case belongs to another municipality.")]})
    state = Case.objects.values_list("state", flat=True).get(pk=case.pk)
    if state not in FOLLOW_UP_STATES:
        raise ValidationError(
            {
                "case": [
                    _(
                        "Case %(reference)s is at the step “%(state)s”. Follow-up actions can "
                        "be added once the outreach is recorded and until the case is closed; "
                        "attach this action item then."
                    )
                    % {"reference": case.reference, "state": CaseState(state).label}
                ]
            }
        )
    try:
        follow_up = follow_up_action_add(
            user=user,
            case=case,
            description=action.description,
            owner=action.owner,
            due_on=action.due_on,
            source_agenda_item=action.agenda_item,
        )
    except TransitionConflict as exc:
        raise ValidationError({"case": [exc.message]}) from exc
    action.case = case
    action.follow_up_action = follow_up
    action.save(update_fields=["case", "follow_up_action"])
    _audit_meeting(
        user,
        action.meeting,
        changes={"action_items.follow_up_action": [None, follow_up.pk]},
        payload={"action_item": action.pk, "case": case.reference},
    )
    return action


# --- Invitations ------------------------------------------------------------------------


def _invitation_recipients(meeting: Meeting) -> list[str]:
    day = timezone.localtime(meeting.starts_at).date()
    return sorted(
        {m.email for m in meeting.council.members.all() if m.email and m.is_member_on(day)}
    )


@transaction.atomic
def meeting_invite(*, user: Any, meeting: Meeting) -> int:
    """Mail the invitation with the agenda to the members in office (after commit).

    Returns the number of recipients. Each member gets their own message, so addresses are
    not disclosed to the others.
    """
    from casefiles.models import AuditAction

    require(user, Action.MEETING_MANAGE, meeting)
    meeting = lock_then_load(
        Meeting.objects.select_related("council", "municipality"), pk=meeting.pk
    )
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("The meeting has already taken place: no invitation is sent."))
    recipients = _invitation_recipients(meeting)
    if not recipients:
        raise ValidationError(
            _("No member in office has an e-mail address: record their addresses first.")
        )
    again = meeting.invitation_sent_at is not None
    meeting.invitation_sent_at = timezone.now()
    meeting.save(update_fields=["invitation_sent_at"])
    _audit_meeting(
        user,
        meeting,
        action=AuditAction.MEETING_INVITE,
        payload={"recipients": len(recipients), "again": again},
    )
    meeting_id = meeting.pk
    transaction.on_commit(lambda: send_invitation(meeting_id))
    return len(recipients)


def send_invitation(meeting_id: int) -> int:
    """Send the invitation mails; a mail server failure is logged, never raised."""
    from mcsc.councils.meetings import minutes_languages
    from mcsc.councils.minutes import locale_of

    meeting = (
        Meeting.objects.select_related("council", "municipality", "chair")
        .prefetch_related(
            "council__members", "agenda_items__case", "municipality__official_languages"
        )
        .get(pk=meeting_id)
    )
    recipients = _invitation_recipients(meeting)
    subjects, bodies = [], []
    for language in minutes_languages(meeting.municipality):
        with translation.override(locale_of(language)):
            context = {"meeting": meeting, "items": list(meeting.agenda_items.all())}
            subjects.append(render_to_string("mcsc/email/invitation_subject.txt", context).strip())
            bodies.append(render_to_string("mcsc/email/invitation.txt", context).strip())
    subject = " / ".join(dict.fromkeys(subjects))
    body = "\n\n-----\n\n".join(bodies) + "\n"
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:
        log.exception("Could not send the invitation to meeting %s", meeting_id)
        return 0


# --- Minutes ----------------------------------------------------------------------------


@transaction.atomic
def minutes_approve(*, user: Any, meeting: Meeting, approving_meeting: Meeting) -> Minutes:
    """Approve the current draft of the minutes, recorded with the approving meeting.

    Renders one PDF per official language, stores the bytes and writes their SHA-256 in
    one ``minutes.approve`` audit event, all in this transaction: if rendering fails,
    nothing changes (``MinutesRenderError``).
    """
    from casefiles.models import AuditAction
    from mcsc.councils.meetings import current_minutes, minutes_languages
    from mcsc.councils.minutes import minutes_pdf, sha256
    from mcsc.councils.selectors import meeting_detail_queryset

    require(user, Action.MINUTES_APPROVE, meeting)
    meeting = lock_then_load(meeting_detail_queryset(), pk=meeting.pk)
    now = timezone.now()
    errors: list[str] = []
    if meeting.starts_at > now:
        errors.append(_("The meeting has not taken place yet."))
    if not meeting.attendance.all():
        errors.append(_("Record the attendance before the minutes are approved."))
    if approving_meeting is None:
        errors.append(_("Choose the meeting at which the minutes were approved."))
    elif (
        approving_meeting.council_id != meeting.council_id
        or approving_meeting.starts_at <= meeting.starts_at
        or approving_meeting.starts_at > now
    ):
        errors.append(
            _(
                "The minutes are approved at a later meeting of the same council that has "
                "already taken place."
            )
        )
    current = current_minutes(meeting)
    if current is not None and current.status != MinutesStatus.DRAFT:
        errors.append(
            _("Version %(version)d is already approved; start an amendment to correct it.")
            % {"version": current.version}
        )
    if errors:
        raise ValidationError({"approving_meeting": errors})
    if current is None:
        current = Minutes.objects.create(
            meeting=meeting,
            version=1,
            reference=meeting.minutes_reference,
            created_by=user,
        )
    current.status = MinutesStatus.APPROVED
    current.approved_by = user
    current.approved_at = now
    current.approved_at_meeting = approving_meeting
    hashes: dict[str, str] = {}
    documents = []
    for language in minutes_languages(meeting.municipality):
        pdf = minutes_pdf(meeting, language, minutes=current)
        hashes[language.code] = sha256(pdf)
        documents.append(
            MinutesDocument(
                minutes=current,
                language=language,
                pdf=pdf,
                sha256=hashes[language.code],
                size=len(pdf),
            )
        )
    current.save()
    MinutesDocument.objects.bulk_create(documents)
    if current.amends_id:
        Minutes.objects.filter(pk=current.amends_id).update(status=MinutesStatus.AMENDED)
    _audit_meeting(
        user,
        meeting,
        action=AuditAction.MINUTES_APPROVE,
        from_state=MinutesStatus.DRAFT,
        to_state=MinutesStatus.APPROVED,
        payload={
            "minutes": current.pk,
            "reference": current.reference,
            "version": current.version,
            "amends_version": current.amends.version if current.amends_id else None,
            "approved_at_meeting": approving_meeting.pk,
            "sha256": hashes,
        },
    )
    return current


@transaction.atomic
def minutes_amend(*, user: Any, meeting: Meeting, reason: str) -> Minutes:
    """Start an amendment: a new draft version pointing at the approved one it corrects.
    The meeting record becomes editable again; the approved version stays on record."""
    from casefiles.models import AuditAction
    from mcsc.councils.meetings import current_minutes

    require(user, Action.MEETING_MANAGE, meeting)
    meeting = lock_then_load(Meeting.objects.select_related("municipality"), pk=meeting.pk)
    current = current_minutes(meeting)
    if current is None or current.status == MinutesStatus.DRAFT:
        raise ValidationError(
            _("Only approved minutes are amended; these minutes are still a draft: edit them.")
        )
    if not reason.strip():
        raise ValidationError({"reason": [_("Say what the amendment corrects.")]})
    amendment = Minutes.objects.create(
        meeting=meeting,
        version=current.version + 1,
        reference=current.reference,
        amends=current,
        reason=reason.strip(),
        created_by=user,
    )
    _audit_meeting(
        user,
        meeting,
        action=AuditAction.MINUTES_AMEND,
        payload={
            "minutes": amendment.pk,
            "version": amendment.version,
            "amends_version": current.version,
            "reason": amendment.reason,
        },
    )
    return amendment
