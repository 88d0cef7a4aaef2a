"""Every write on a case and its step records.

Each function is one transaction. Transitions lock the case row with
``select_for_update``, re-check the state after the lock, run the django-fsm transition,
write exactly one audit event and schedule side effects with ``transaction.on_commit``.
The pages, the API, the task inbox and the demo data all come through here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from casefiles.audit.chain import audit_record, diff, snapshot
from casefiles.clock import step_time
from casefiles.errors import MissingLanguages, TransitionConflict
from casefiles.models import (
    KOSOVO_LATITUDE,
    KOSOVO_LONGITUDE,
    ActionStatus,
    AuditAction,
    Case,
    CaseCounter,
    CasePerson,
    CaseState,
    Category,
    FollowUpAction,
    OutreachActivity,
    PersonRole,
    PublicationChannel,
    Source,
    Statement,
    StatementStatus,
    Translation,
    TranslationStatus,
    VerificationSource,
)
from casefiles.notifications import notify_transition
from mcsc.councils.meetings import meeting_quorum
from mcsc.db import lock_then_load
from mcsc.inputs import EARLIEST_DATE, date_errors, length_errors
from mcsc.languages import missing_languages, required_languages
from mcsc.models import Community, Language, Meeting, Municipality
from mcsc.permissions import Action, require

# Clocks of phones and servers disagree by a little; an incident "in the future" by more
# than this is a typing mistake.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)

INTAKE_FIELDS = [
    "occurred_at",
    "reported_at",
    "settlement",
    "location",
    "latitude",
    "longitude",
    "category",
    "affected_community_id",
    "summary",
    "source",
    "source_reference",
]


def _require_text(errors: dict, field: str, value: str | None, message: str) -> None:
    if not (value or "").strip():
        errors.setdefault(field, []).append(message)


def _require_choice(errors: dict, field: str, value: str, choices) -> None:
    if value not in choices.values:
        errors.setdefault(field, []).append(
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)}
        )


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _in(value: Decimal, bounds: tuple[Decimal, Decimal]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _validate_coordinates(errors: dict, latitude: Any, longitude: Any) -> None:
    """Both or neither, each inside Kosovo's box (``KOSOVO_LATITUDE``/``_LONGITUDE``)."""
    given = {}
    for name, value in (("latitude", latitude), ("longitude", longitude)):
        if value is None:
            continue
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            number = Decimal("NaN")
        if not number.is_finite():
            errors.setdefault(name, []).append(_("Write a number, e.g. 42.66290."))
            return
        given[name] = number
    lat, lon = given.get("latitude"), given.get("longitude")
    swapped = lat is not None and lon is not None
    if swapped and _in(lon, KOSOVO_LATITUDE) and _in(lat, KOSOVO_LONGITUDE):
        errors.setdefault("latitude", []).append(
            _(
                "The latitude and the longitude seem swapped: the latitude (degrees "
                "north, between %(min)s and %(max)s in Kosovo) comes first."
            )
            % {"min": KOSOVO_LATITUDE[0], "max": KOSOVO_LATITUDE[1]}
        )
        return
    if lat is not None and not _in(lat, KOSOVO_LATITUDE):
        errors.setdefault("latitude", []).append(
            _(
                "The latitude %(value)s lies outside Kosovo: it must be between %(min)s and "
                "%(max)s (degrees north)."
            )
            % {"value": lat, "min": KOSOVO_LATITUDE[0], "max": KOSOVO_LATITUDE[1]}
        )
    if lon is not None and not _in(lon, KOSOVO_LONGITUDE):
        errors.setdefault("longitude", []).append(
            _(
                "The longitude %(value)s lies outside Kosovo: it must be between %(min)s and "
                "%(max)s (degrees east)."
            )
            % {"value": lon, "min": KOSOVO_LONGITUDE[0], "max": KOSOVO_LONGITUDE[1]}
        )
    if len(given) == 1:
        missing = "longitude" if lon is None else "latitude"
        errors.setdefault(missing, []).append(
            _("Give both the latitude and the longitude, or neither.")
        )


def _earliest_moment() -> dt.datetime:
    # Compared as aware datetimes in the local zone: a naive year-1 value never reaches
    # time zone arithmetic, which overflows there.
    return timezone.make_aware(dt.datetime.combine(EARLIEST_DATE, dt.time.min))


def earliest_incident_message() -> str:
    return _("An incident cannot be dated before %(date)s.") % {"date": EARLIEST_DATE.isoformat()}


def _case_day(case: Case) -> dt.date:
    """The local date of the incident: no record of the case may come before it."""
    return timezone.localtime(case.occurred_at).date()


def _validate_intake(
    *,
    occurred_at: dt.datetime,
    reported_at: dt.datetime,
    category: str,
    source: str,
    settlement: str,
    summary: str,
    latitude: Any = None,
    longitude: Any = None,
    texts: Mapping[str, Any] | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    _validate_coordinates(errors, latitude, longitude)
    now = timezone.now() + CLOCK_TOLERANCE
    if occurred_at < _earliest_moment():
        errors["occurred_at"] = [earliest_incident_message()]
    elif occurred_at > now:
        errors["occurred_at"] = [_("The incident cannot be in the future.")]
    if reported_at < _earliest_moment():
        errors["reported_at"] = [earliest_incident_message()]
    elif reported_at > now:
        errors["reported_at"] = [_("The report cannot be in the future.")]
    if not errors.keys() & {"occurred_at", "reported_at"} and reported_at < occurred_at:
        errors.setdefault("reported_at", []).append(
            _("The report cannot come before the incident.")
        )
    _require_choice(errors, "category", category, Category)
    _require_choice(errors, "source", source, Source)
    _require_text(errors, "settlement", settlement, _("Name the settlement."))
    _require_text(errors, "summary", summary, _("Describe what happened."))
    length_errors(errors, Case, texts or {})
    _raise(errors)


def _allocate_number(*, municipality: Municipality, year: int) -> int:
    """The next number for the municipality and year, without gaps or duplicates.

    The counter row is created if missing (ignoring a concurrent creator) and then
    locked, so concurrent intakes queue on it; a rolled-back intake returns its number.
    """
    CaseCounter.objects.bulk_create(
        [CaseCounter(municipality=municipality, year=year)], ignore_conflicts=True
    )
    counter = CaseCounter.objects.select_for_update().get(municipality=municipality, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def case_open(
    *,
    user: Any,
    municipality: Municipality,
    occurred_at: dt.datetime,
    reported_at: dt.datetime,
    settlement: str,
    category: str,
    affected_community: Community,
    summary: str,
    source: str,
    source_reference: str = "",
    location: str = "",
    latitude=None,
    longitude=None,
    people: Sequence[Mapping[str, str]] = (),
) -> Case:
    """Open a case for an incident reported to the secretary's municipality."""
    require(user, Action.CASE_OPEN, municipality)
    _validate_intake(
        occurred_at=occurred_at,
        reported_at=reported_at,
        category=category,
        source=source,
        settlement=settlement,
        summary=summary,
        latitude=latitude,
        longitude=longitude,
        texts={
            "settlement": settlement,
            "location": location,
            "source_reference": source_reference,
        },
    )
    _validate_people(people)
    year = timezone.localtime(reported_at).year
    number = _allocate_number(municipality=municipality, year=year)
    case = Case(
        reference=f"{municipality.case_prefix}-{year}-{number:04d}",
        municipality=municipality,
        year=year,
        number=number,
        state_changed_at=step_time(),
        occurred_at=occurred_at,
        reported_at=reported_at,
        settlement=settlement.strip(),
        location=location.strip(),
        latitude=latitude,
        longitude=longitude,
        category=category,
        affected_community=affected_community,
        summary=summary.strip(),
        source=source,
        source_reference=source_reference.strip(),
        created_by=user,
    )
    case.full_clean(exclude=["reference", "year", "number", "state"])
    case.save()
    for person in people:
        CasePerson.objects.create(case=case, **_person_fields(person))
    audit_record(
        actor=user,
        action=AuditAction.CASE_OPEN,
        case=case,
        obj=case,
        to_state=case.state,
        changes=diff({}, snapshot(case, INTAKE_FIELDS)),
        payload={"reference": case.reference, "people_recorded": len(people)},
    )
    _sync_workflow(case, "open", user)
    return case


def _validate_people(people: Sequence[Mapping[str, str]]) -> None:
    errors = []
    for index, person in enumerate(people, start=1):
        if person.get("role") not in PersonRole.values:
            errors.append(_("Person %(n)d: choose victim, witness or reporter.") % {"n": index})
        if not (person.get("name") or "").strip():
            errors.append(_("Person %(n)d: the name is missing.") % {"n": index})
        too_long: dict[str, list[str]] = {}
        length_errors(
            too_long,
            CasePerson,
            {"name": person.get("name"), "contact": person.get("contact")},
            prefix=_("Person %(n)d: ") % {"n": index},
        )
        errors.extend(message for messages in too_long.values() for message in messages)
    if errors:
        raise ValidationError({"people": errors})


def _person_fields(person: Mapping[str, str]) -> dict[str, str]:
    return {
        "role": person["role"],
        "name": person["name"].strip(),
        "contact": (person.get("contact") or "").strip(),
        "notes": (person.get("notes") or "").strip(),
    }


def _lock(case: Case) -> Case:
    """The case row locked, then loaded with what the steps read (``mcsc.db``): a lost race
    finds the winner's state and ends in ``TransitionConflict``, never ``DoesNotExist``."""
    return lock_then_load(
        Case.objects.select_related("municipality", "affected_community__language"), pk=case.pk
    )


@transaction.atomic
def case_update(*, user: Any, case: Case, **fields: Any) -> Case:
    """Correct the intake data of an open case; every change is in the audit trail."""
    unknown = set(fields) - {f.removesuffix("_id") for f in INTAKE_FIELDS} - {"affected_community"}
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed here.")] for name in unknown})
    locked = _lock(case)
    require(user, Action.CASE_EDIT, locked)
    if locked.state in (CaseState.CLOSED, CaseState.DISMISSED):
        raise TransitionConflict(
            transition="update",
            state=locked.state,
            reason=_("A closed or dismissed case cannot be edited; reopen it first."),
        )
    before = snapshot(locked, INTAKE_FIELDS)
    for name, value in fields.items():
        setattr(locked, name, value)
    _validate_intake(
        occurred_at=locked.occurred_at,
        reported_at=locked.reported_at,
        category=locked.category,
        source=locked.source,
        settlement=locked.settlement,
        summary=locked.summary,
        latitude=locked.latitude,
        longitude=locked.longitude,
        texts={
            "settlement": locked.settlement,
            "location": locked.location,
            "source_reference": locked.source_reference,
        },
    )
    locked.full_clean(exclude=["reference", "year", "number", "state"])
    changes = diff(before, snapshot(locked, INTAKE_FIELDS))
    if not changes:
        return locked
    locked.save()
    audit_record(
        actor=user, action=AuditAction.CASE_UPDATE, case=locked, obj=locked, changes=changes
    )
    return locked


@transaction.atomic
def person_add(
    *, user: Any, case: Case, role: str, name: str, contact: str = "", notes: str = ""
) -> CasePerson:
    locked = _lock(case)
    require(user, Action.CASE_EDIT, locked)
    require(user, Action.VIEW_PERSONAL_DATA, locked)
    person = {"role": role, "name": name, "contact": contact, "notes": notes}
    _validate_people([person])
    record = CasePerson.objects.create(case=locked, **_person_fields(person))
    # Monitors read the audit trail, so it records that a person was added, not who.
    audit_record(
        actor=user, action=AuditAction.PERSON_ADD, case=locked, obj=record, payload={"role": role}
    )
    return record


def _transition(
    *,
    user: Any,
    case: Case,
    name: str,
    action: Action,
    audit_action: AuditAction,
    check: Callable[[Case], None] | None = None,
    apply: Callable[[Case, dt.datetime], Mapping[str, Any] | None] | None = None,
    payload: Mapping[str, Any] | None = None,
    obj: Any = None,
) -> Case:
    """Lock, authorise, re-check the state, validate, transition, audit, notify."""
    locked = _lock(case)
    require(user, action, locked)
    method = getattr(locked, name)
    if not can_proceed(method):
        raise TransitionConflict(transition=name, state=locked.state)
    if check is not None:
        check(locked)
    from_state = locked.state
    tracked = [f for f in _STEP_FIELDS if hasattr(locked, f)]
    before = snapshot(locked, tracked)
    method()
    now = step_time()
    locked.state_changed_at = now
    extra = apply(locked, now) if apply is not None else None
    locked.save()
    audit_record(
        actor=user,
        action=audit_action,
        case=locked,
        obj=obj() if callable(obj) else (obj or locked),
        from_state=from_state,
        to_state=locked.state,
        changes=diff(before, snapshot(locked, tracked)),
        payload={**(payload or {}), **(extra or {})},
    )
    case_id = locked.pk
    transaction.on_commit(lambda: notify_transition(case_id=case_id, transition=name))
    _sync_workflow(locked, name, user)
    return locked


_STEP_FIELDS = [
    "verification_source",
    "verification_reference",
    "verified_at",
    "category",
    "affected_community_id",
    "settlement",
    "location",
    "dismissal_reason",
    "dismissed_at",
    "convened_meeting_id",
    "convened_at",
    "published_at",
    "publication_channels",
    "outreach_at",
    "follow_up_started_at",
    "closing_summary",
    "safety_before",
    "safety_after",
    "closed_at",
]

# The workflow layer registers itself here so that a transition made anywhere (API,
# page, task) keeps the process in step, inside the same transaction.
_workflow_hooks: list[Callable[..., None]] = []


def register_workflow_hook(hook: Callable[..., None]) -> None:
    if hook not in _workflow_hooks:
        _workflow_hooks.append(hook)


def _sync_workflow(case: Case, event: str, user: Any, **details: Any) -> None:
    for hook in _workflow_hooks:
        hook(case, event, user, **details)


@transaction.atomic
def case_verify(
    *,
    user: Any,
    case: Case,
    verification_source: str,
    verification_reference: str,
    category: str,
    affected_community: Community,
    settlement: str,
    location: str = "",
) -> Case:
    """Confirm the incident: where it was verified, its category, community and place."""
    errors: dict[str, list[str]] = {}
    _require_choice(errors, "verification_source", verification_source, VerificationSource)
    if verification_source == VerificationSource.POLICE:
        _require_text(
            errors,
            "verification_reference",
            verification_reference,
            _("Give the police case number."),
        )
    _require_choice(errors, "category", category, Category)
    _require_text(errors, "settlement", settlement, _("Name the settlement."))
    _raise(errors)

    def apply(locked: Case, now: dt.datetime) -> None:
        locked.verification_source = verification_source
        locked.verification_reference = verification_reference.strip()
        locked.category = category
        locked.affected_community = affected_community
        locked.settlement = settlement.strip()
        locked.location = location.strip()
        locked.verified_at = now

    return _transition(
        user=user,
        case=case,
        name="verify",
        action=Action.CASE_VERIFY,
        audit_action=AuditAction.CASE_VERIFY,
        apply=apply,
    )


@transaction.atomic
def case_dismiss(*, user: Any, case: Case, reason: str) -> Case:
    """Close an incident that is not verified or not serious; the reason is public to monitors."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the case is dismissed.")]})

    def apply(locked: Case, now: dt.datetime) -> None:
        locked.dismissal_reason = reason.strip()
        locked.dismissed_at = now

    return _transition(
        user=user,
        case=case,
        name="dismiss",
        action=Action.CASE_DISMISS,
        audit_action=AuditAction.CASE_DISMISS,
        apply=apply,
    )


class ConveneProblem(str):
    """One reason why a meeting cannot count as the council convening on a case: the
    message (it is a ``str``) plus a ``code`` that pages use to offer the way to fix it."""

    code: str

    def __new__(cls, code: str, message: str) -> ConveneProblem:
        problem = super().__new__(cls, message)
        problem.code = code
        return problem


# The codes of ``ConveneProblem``, in the order a secretary fixes them.
CONVENE_OTHER_MUNICIPALITY = "other_municipality"
CONVENE_BEFORE_INCIDENT = "before_incident"
CONVENE_NOT_HELD = "not_held"
CONVENE_NOT_ON_AGENDA = "not_on_agenda"
CONVENE_NO_ATTENDANCE = "no_attendance"
CONVENE_NO_QUORUM = "no_quorum"


def convene_problems(*, case: Case, meeting: Meeting) -> list[ConveneProblem]:
    """Why ``meeting`` cannot count as the council convening on ``case`` (empty if it can).

    Reads the meeting's agenda items, attendance and council members through ``.all()``:
    prefetch them to check many meetings in a fixed number of queries.
    """
    problems = []
    if meeting.municipality_id != case.municipality_id:
        return [
            ConveneProblem(
                CONVENE_OTHER_MUNICIPALITY, _("The meeting belongs to another municipality.")
            )
        ]
    if meeting.starts_at <= case.occurred_at:
        problems.append(
            ConveneProblem(
                CONVENE_BEFORE_INCIDENT, _("The meeting took place before the incident.")
            )
        )
    if meeting.starts_at > timezone.now():
        problems.append(ConveneProblem(CONVENE_NOT_HELD, _("The meeting has not taken place yet.")))
    if not any(item.case_id == case.pk for item in meeting.agenda_items.all()):
        problems.append(
            ConveneProblem(CONVENE_NOT_ON_AGENDA, _("The case is not on the meeting's agenda."))
        )
    attendance = list(meeting.attendance.all())
    if not attendance:
        problems.append(
            ConveneProblem(
                CONVENE_NO_ATTENDANCE, _("The meeting's attendance has not been recorded.")
            )
        )
    else:
        quorum = meeting_quorum(meeting)
        if not quorum.reached:
            problems.append(
                ConveneProblem(
                    CONVENE_NO_QUORUM,
                    _(
                        "The meeting had no quorum (%(present)d of %(members)d members present, "
                        "%(required)d needed)."
                    )
                    % {
                        "present": quorum.present,
                        "members": quorum.members,
                        "required": quorum.required,
                    },
                )
            )
    return problems


@transaction.atomic
def case_convene(*, user: Any, case: Case, meeting: Meeting) -> Case:
    """Record the council meeting that discussed the case."""
    meeting = (
        Meeting.objects.select_related("council")
        .prefetch_related("agenda_items", "attendance", "council__members")
        .get(pk=meeting.pk)
    )

    def check(locked: Case) -> None:
        problems = convene_problems(case=locked, meeting=meeting)
        if problems:
            raise ValidationError({"meeting": [str(problem) for problem in problems]})

    def apply(locked: Case, now: dt.datetime) -> dict:
        locked.convened_meeting = meeting
        locked.convened_at = now
        return {"meeting_kind": meeting.kind, "meeting_at": meeting.starts_at}

    return _transition(
        user=user,
        case=case,
        name="convene",
        action=Action.CASE_CONVENE,
        audit_action=AuditAction.CASE_CONVENE,
        check=check,
        apply=apply,
    )


def case_required_languages(case: Case) -> list[Language]:
    return required_languages(municipality=case.municipality, community=case.affected_community)


def current_statement(case: Case) -> Statement | None:
    return case.statements.order_by("-version").first()


@transaction.atomic
def statement_draft(
    *, user: Any, case: Case, language: Language, title: str, text: str
) -> Statement:
    """Submit a statement text for approval; each submission is a new version."""
    errors: dict[str, list[str]] = {}
    _require_text(errors, "title", title, _("Give the statement a title."))
    _require_text(errors, "text", text, _("Write the statement text."))
    length_errors(errors, Statement, {"title": title})
    _raise(errors)
    created: list[Statement] = []

    def check(locked: Case) -> None:
        required = case_required_languages(locked)
        if language not in required:
            raise ValidationError(
                {
                    "language": [
                        _("Draft in one of the required languages: %(codes)s.")
                        % {"codes": ", ".join(lang.code for lang in required)}
                    ]
                }
            )

    def apply(locked: Case, now: dt.datetime) -> dict:
        last = locked.statements.aggregate(last=Max("version"))["last"] or 0
        statement = Statement.objects.create(
            case=locked,
            version=last + 1,
            language=language,
            title=title.strip(),
            text=text.strip(),
            drafted_by=user,
        )
        created.append(statement)
        return {"version": statement.version, "language": language.code}

    _transition(
        user=user,
        case=case,
        name="draft_statement",
        action=Action.STATEMENT_DRAFT,
        audit_action=AuditAction.STATEMENT_DRAFT,
        check=check,
        apply=apply,
        obj=lambda: created[0],
    )
    return created[0]


def statement_awaiting_review(statement: Statement | None) -> bool:
    """Whether the current version ``statement`` is the one leadership approves or rejects."""
    return statement is not None and statement.status == StatementStatus.PENDING


def no_statement_message() -> str:
    return _("No statement awaits approval.")


def four_eyes_refuses(user: Any, statement: Statement) -> bool:
    """The drafter of a statement never reviews it, whatever roles they hold."""
    return statement.drafted_by_id == getattr(user, "pk", None)


def four_eyes_message() -> str:
    return _("You drafted this statement; another member of the leadership must review it.")


def _pending_statement(locked: Case, transition: str) -> Statement:
    statement = current_statement(locked)
    if not statement_awaiting_review(statement):
        raise TransitionConflict(
            transition=transition, state=locked.state, reason=no_statement_message()
        )
    return statement


def _four_eyes(user: Any, statement: Statement) -> None:
    if four_eyes_refuses(user, statement):
        raise PermissionDenied(four_eyes_message())


def _statement_review(
    *, user: Any, case: Case, transition: str, status: str, comment: str
) -> Statement:
    """Approve or reject the version awaiting review (never by its drafter)."""
    audit_action, action = {
        "approve": (AuditAction.STATEMENT_APPROVE, Action.STATEMENT_APPROVE),
        "reject": (AuditAction.STATEMENT_REJECT, Action.STATEMENT_REJECT),
    }[transition]
    reviewed: list[Statement] = []

    def check(locked: Case) -> None:
        _four_eyes(user, _pending_statement(locked, transition))

    def apply(locked: Case, now: dt.datetime) -> dict:
        statement = _pending_statement(locked, transition)
        statement.status = status
        statement.reviewed_by = user
        statement.reviewed_at = now
        statement.review_comment = comment.strip()
        statement.save()
        reviewed.append(statement)
        details = {"version": statement.version}
        if comment.strip():
            details["comment"] = comment.strip()
        return details

    _transition(
        user=user,
        case=case,
        name=transition,
        action=action,
        audit_action=audit_action,
        check=check,
        apply=apply,
        obj=lambda: reviewed[0],
    )
    return reviewed[0]


@transaction.atomic
def statement_approve(*, user: Any, case: Case, comment: str = "") -> Statement:
    return _statement_review(
        user=user, case=case, transition="approve", status=StatementStatus.APPROVED, comment=comment
    )


@transaction.atomic
def statement_reject(*, user: Any, case: Case, comment: str) -> Statement:
    """Return the statement to drafting; the comment says what must change."""
    if not (comment or "").strip():
        raise ValidationError({"comment": [_("Say what must change in the statement.")]})
    return _statement_review(
        user=user, case=case, transition="reject", status=StatementStatus.REJECTED, comment=comment
    )


TRANSLATABLE_STATES = (CaseState.STATEMENT_DRAFTED, CaseState.STATEMENT_APPROVED)


def _translatable_statement(locked: Case, language: Language) -> Statement:
    if locked.state not in TRANSLATABLE_STATES:
        raise TransitionConflict(
            transition="translate",
            state=locked.state,
            reason=_(
                "Translations can be edited while the statement is drafted or approved, "
                "not while the case is “%(state)s”."
            )
            % {"state": locked.get_state_display()},
        )
    statement = current_statement(locked)
    required = case_required_languages(locked)
    if language not in required:
        raise ValidationError(
            {
                "language": [
                    _("%(language)s is not required for this case; required: %(codes)s.")
                    % {"language": language.name, "codes": ", ".join(x.name for x in required)}
                ]
            }
        )
    if language == statement.language:
        raise ValidationError(
            {"language": [_("The statement is written in this language; it needs no translation.")]}
        )
    return statement


@transaction.atomic
def translation_save(
    *, user: Any, case: Case, language: Language, title: str, text: str
) -> Translation:
    """Write or correct a translation; changing an approved text withdraws its approval."""
    errors: dict[str, list[str]] = {}
    _require_text(errors, "title", title, _("Translate the title."))
    _require_text(errors, "text", text, _("Translate the text."))
    length_errors(errors, Translation, {"title": title})
    _raise(errors)
    locked = _lock(case)
    require(user, Action.TRANSLATION_EDIT, locked)
    statement = _translatable_statement(locked, language)
    translation = Translation.objects.filter(statement=statement, language=language).first()
    fields = ["title", "text", "status", "translator_id", "reviewer_id"]
    before = snapshot(translation, fields) if translation else {}
    if translation is None:
        translation = Translation(statement=statement, language=language)
    elif (translation.title, translation.text) == (title.strip(), text.strip()):
        return translation
    withdrawn = translation.status == TranslationStatus.APPROVED
    translation.title, translation.text = title.strip(), text.strip()
    translation.status = TranslationStatus.DRAFT
    translation.translator = user
    translation.reviewer, translation.reviewed_at = None, None
    translation.save()
    audit_record(
        actor=user,
        action=AuditAction.TRANSLATION_SAVE,
        case=locked,
        obj=translation,
        changes=diff(before, snapshot(translation, fields)),
        payload={
            "language": language.code,
            "statement_version": statement.version,
            "approval_withdrawn": withdrawn,
        },
    )
    _sync_workflow(locked, "translation_save", user, language=language.code)
    return translation


@transaction.atomic
def translation_approve(*, user: Any, case: Case, language: Language) -> Translation:
    locked = _lock(case)
    require(user, Action.TRANSLATION_REVIEW, locked)
    statement = _translatable_statement(locked, language)
    translation = Translation.objects.filter(statement=statement, language=language).first()
    if translation is None:
        raise ValidationError(
            {
                "language": [
                    _("There is no %(language)s translation to approve yet.")
                    % {"language": language.name}
                ]
            }
        )
    if translation.status == TranslationStatus.APPROVED:
        return translation
    if translation.translator_id == user.pk:
        raise PermissionDenied(_("You translated this text; someone else must review it."))
    translation.status = TranslationStatus.APPROVED
    translation.reviewer = user
    translation.reviewed_at = step_time()
    translation.save()
    audit_record(
        actor=user,
        action=AuditAction.TRANSLATION_APPROVE,
        case=locked,
        obj=translation,
        changes={"status": [TranslationStatus.DRAFT, TranslationStatus.APPROVED]},
        payload={"language": language.code, "statement_version": statement.version},
    )
    _sync_workflow(locked, "translation_approve", user, language=language.code)
    return translation


def statement_missing_languages(case: Case, statement: Statement | None) -> list[Language]:
    required = case_required_languages(case)
    if statement is None:
        return required
    approved = {
        t.language.code
        for t in statement.translations.all()
        if t.status == TranslationStatus.APPROVED
    }
    approved.add(statement.language.code)
    return missing_languages(required=required, available_codes=approved)


@transaction.atomic
def statement_publish(
    *,
    user: Any,
    case: Case,
    channels: Iterable[str],
    published_at: dt.datetime | None = None,
) -> Case:
    """Publish the approved statement; refused while a required language is missing."""
    channels = list(dict.fromkeys(channels))
    errors: dict[str, list[str]] = {}
    if not channels:
        errors["channels"] = [_("Choose at least one publication channel.")]
    for channel in channels:
        _require_choice(errors, "channels", channel, PublicationChannel)
    if published_at is not None and published_at > timezone.now() + CLOCK_TOLERANCE:
        errors["published_at"] = [_("The publication date cannot be in the future.")]
    elif published_at is not None and published_at < _earliest_moment():
        errors["published_at"] = [_("The statement cannot be published before the incident.")]
    _raise(errors)

    def check(locked: Case) -> None:
        statement = current_statement(locked)
        if published_at is not None and published_at < locked.occurred_at:
            raise ValidationError(
                {"published_at": [_("The statement cannot be published before the incident.")]}
            )
        missing = statement_missing_languages(locked, statement)
        if missing:
            raise MissingLanguages(missing)

    def apply(locked: Case, now: dt.datetime) -> dict:
        statement = current_statement(locked)
        statement.status = StatementStatus.PUBLISHED
        statement.save(update_fields=["status"])
        locked.published_at = published_at or now
        locked.publication_channels = channels
        languages = [statement.language.code] + [
            t.language.code for t in statement.translations.select_related("language")
        ]
        return {"statement_version": statement.version, "languages": sorted(languages)}

    return _transition(
        user=user,
        case=case,
        name="publish",
        action=Action.STATEMENT_PUBLISH,
        audit_action=AuditAction.STATEMENT_PUBLISH,
        check=check,
        apply=apply,
    )


# More people than this in one outreach activity is a typing mistake.
MAX_PARTICIPANTS = 10_000


def _validate_outreach(data: Mapping[str, Any], case: Case) -> None:
    errors: dict[str, list[str]] = {}
    held_on = data.get("held_on")
    if held_on is None or not isinstance(held_on, dt.date):
        errors["held_on"] = [_("Give the date of the outreach.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("The outreach cannot be in the future.")]
    elif held_on < _case_day(case):
        errors["held_on"] = [_("The outreach cannot come before the incident.")]
    length_errors(errors, OutreachActivity, data)
    _require_text(errors, "place", data.get("place"), _("Give the place."))
    _require_text(
        errors, "officials_present", data.get("officials_present"), _("Name the officials present.")
    )
    _require_text(
        errors, "concerns_raised", data.get("concerns_raised"), _("Record the concerns raised.")
    )
    for field in ("participants_women", "participants_men", "participants_other"):
        value = data.get(field, 0)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 0 <= value <= MAX_PARTICIPANTS
        ):
            errors[field] = [
                _("Enter a number of participants from 0 to %(max)d.") % {"max": MAX_PARTICIPANTS}
            ]
    if not errors and not sum(
        data.get(f, 0) for f in ("participants_women", "participants_men", "participants_other")
    ):
        errors["participants_women"] = [_("Record how many people took part.")]
    if not isinstance(data.get("language"), Language):
        errors["language"] = [_("Choose the language used.")]
    _raise(errors)


OUTREACH_FIELDS = [
    "held_on",
    "place",
    "officials_present",
    "participants_women",
    "participants_men",
    "participants_other",
    "concerns_raised",
    "commitments_made",
    "language",
]


def _outreach_create(*, user: Any, case: Case, data: Mapping[str, Any]) -> OutreachActivity:
    values = {name: data.get(name) for name in OUTREACH_FIELDS}
    for text_field in ("place", "officials_present", "concerns_raised", "commitments_made"):
        values[text_field] = (values[text_field] or "").strip()
    for count in ("participants_women", "participants_men", "participants_other"):
        values[count] = values[count] or 0
    return OutreachActivity.objects.create(case=case, recorded_by=user, **values)


@transaction.atomic
def outreach_record(*, user: Any, case: Case, **activity: Any) -> OutreachActivity:
    """Record the first outreach activity to the affected community (the step itself)."""
    created: list[OutreachActivity] = []

    def apply(locked: Case, now: dt.datetime) -> dict:
        created.append(_outreach_create(user=user, case=locked, data=activity))
        locked.outreach_at = now
        return {"activity": _outreach_summary(created[0])}

    _transition(
        user=user,
        case=case,
        name="record_outreach",
        action=Action.OUTREACH_RECORD,
        audit_action=AuditAction.OUTREACH_RECORD,
        check=lambda locked: _validate_outreach(activity, locked),
        apply=apply,
        obj=lambda: created[0],
    )
    return created[0]


def _outreach_summary(activity: OutreachActivity) -> dict:
    return {
        "held_on": activity.held_on,
        "place": activity.place,
        "participants": activity.participants_total,
        "language": activity.language.code,
    }


@transaction.atomic
def outreach_add(*, user: Any, case: Case, **activity: Any) -> OutreachActivity:
    """A further outreach activity once the step is done (meetings often continue)."""
    locked = _lock(case)
    require(user, Action.OUTREACH_RECORD, locked)
    if locked.state not in (CaseState.OUTREACH_CONDUCTED, CaseState.FOLLOW_UP):
        raise TransitionConflict(
            transition="record_outreach",
            state=locked.state,
            reason=_("Record the first outreach activity with the outreach step."),
        )
    _validate_outreach(activity, locked)
    created = _outreach_create(user=user, case=locked, data=activity)
    audit_record(
        actor=user,
        action=AuditAction.OUTREACH_ADD,
        case=locked,
        obj=created,
        payload={"activity": _outreach_summary(created)},
    )
    return created


def _validate_action(data: Mapping[str, Any], case: Case) -> dict[str, list[str]]:
    """A follow-up action: text within its columns, due within the case's life (not
    before the incident, at most ``YEARS_AHEAD`` years ahead)."""
    errors: dict[str, list[str]] = {}
    _require_text(errors, "description", data.get("description"), _("Describe the action."))
    _require_text(errors, "owner", data.get("owner"), _("Say who owns the action."))
    length_errors(errors, FollowUpAction, data)
    due_on = data.get("due_on")
    if not isinstance(due_on, dt.date):
        errors["due_on"] = [_("Give a due date.")]
    elif date_errors(errors, "due_on", due_on) and due_on < _case_day(case):
        errors["due_on"] = [_("An action cannot be due before the incident.")]
    return errors


@transaction.atomic
def follow_up_start(*, user: Any, case: Case, actions: Sequence[Mapping[str, Any]] = ()) -> Case:
    """Start follow-up, optionally with its first actions (owner and due date each; an
    action made from an outreach commitment names it: ``source_outreach``,
    ``source_commitment``)."""
    errors = {}
    for index, action in enumerate(actions, start=1):
        for field, messages in _validate_action(action, case).items():
            errors.setdefault("actions", []).extend(
                f"{index}. {field}: {message}" for message in messages
            )
    _raise(errors)

    def apply(locked: Case, now: dt.datetime) -> dict:
        locked.follow_up_started_at = now
        for action in actions:
            source = action.get("source_outreach")
            _check_commitment_source(locked, source)
            FollowUpAction.objects.create(
                case=locked,
                description=action["description"].strip(),
                owner=action["owner"].strip(),
                due_on=action["due_on"],
                source_outreach=source,
                source_commitment=action.get("source_commitment", "") if source else "",
                created_by=user,
            )
        return {"actions": len(actions)}

    return _transition(
        user=user,
        case=case,
        name="start_follow_up",
        action=Action.FOLLOW_UP_MANAGE,
        audit_action=AuditAction.FOLLOW_UP_START,
        apply=apply,
    )


FOLLOW_UP_STATES = (CaseState.OUTREACH_CONDUCTED, CaseState.FOLLOW_UP)


@transaction.atomic
def follow_up_action_add(
    *,
    user: Any,
    case: Case,
    description: str,
    owner: str,
    due_on: dt.date,
    source_agenda_item=None,
    source_outreach: OutreachActivity | None = None,
    source_commitment: str = "",
) -> FollowUpAction:
    locked = _lock(case)
    require(user, Action.FOLLOW_UP_MANAGE, locked)
    if locked.state not in FOLLOW_UP_STATES:
        raise TransitionConflict(
            transition="follow_up",
            state=locked.state,
            reason=_("Follow-up actions are added after the outreach, until the case is closed."),
        )
    _raise(_validate_action({"description": description, "owner": owner, "due_on": due_on}, locked))
    _check_commitment_source(locked, source_outreach)
    action = FollowUpAction.objects.create(
        case=locked,
        description=description.strip(),
        owner=owner.strip(),
        due_on=due_on,
        source_agenda_item=source_agenda_item,
        source_outreach=source_outreach,
        source_commitment=source_commitment if source_outreach is not None else "",
        created_by=user,
    )
    audit_record(
        actor=user,
        action=AuditAction.FOLLOW_UP_ACTION_ADD,
        case=locked,
        obj=action,
        changes=diff({}, snapshot(action, ["description", "owner", "due_on", "status"])),
        payload={"outreach": source_outreach.pk} if source_outreach is not None else None,
    )
    return action


def _check_commitment_source(case: Case, outreach: OutreachActivity | None) -> None:
    if outreach is not None and outreach.case_id != case.pk:
        raise ValidationError(
            {"source_outreach": [_("This outreach activity belongs to another case.")]}
        )


def commitments_taken(outreach: OutreachActivity) -> set[str]:
    """The commitment lines of ``outreach`` already made into follow-up actions."""
    return set(
        FollowUpAction.objects.filter(source_outreach=outreach).values_list(
            "source_commitment", flat=True
        )
    )


@transaction.atomic
def follow_up_actions_from_outreach(
    *,
    user: Any,
    case: Case,
    outreach: OutreachActivity,
    actions: Sequence[Mapping[str, Any]],
) -> list[FollowUpAction]:
    """Make commitments of an outreach activity into follow-up actions, each through
    ``follow_up_action_add`` (its rules, one audit event per action), all or none.

    Each of ``actions`` names its ``commitment`` (a line of ``commitment_lines()``) and
    gives ``description``, ``owner`` and ``due_on``. A commitment already made into an
    action is refused, so that none is added twice. Errors are keyed ``actions.<n>.<field>``
    (``n`` counts ``actions`` from 1).
    """
    # Locked first: two people adding the same commitments at once queue here, and the
    # second finds the first one's actions.
    locked = _lock(case)
    require(user, Action.FOLLOW_UP_MANAGE, locked)
    _check_commitment_source(locked, outreach)
    if not actions:
        raise ValidationError(
            {"actions": [_("Choose at least one commitment to add as a follow-up action.")]}
        )
    lines = outreach.commitment_lines()
    taken = commitments_taken(outreach)
    errors: dict[str, list[str]] = {}
    created: list[FollowUpAction] = []
    for index, action in enumerate(actions, start=1):
        commitment = action.get("commitment", "")
        if commitment not in lines:
            errors[f"actions.{index}.commitment"] = [
                _("This is not one of the commitments made at this outreach activity.")
            ]
            continue
        if commitment in taken:
            errors[f"actions.{index}.commitment"] = [
                _("This commitment is already a follow-up action.")
            ]
            continue
        taken.add(commitment)
        try:
            created.append(
                follow_up_action_add(
                    user=user,
                    case=locked,
                    description=action.get("description") or "",
                    owner=action.get("owner") or "",
                    due_on=action.get("due_on"),
                    source_outreach=outreach,
                    source_commitment=commitment,
                )
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[f"actions.{index}.{field}"] = messages
    _raise(errors)  # rolls back the actions already added: all or none
    return created


@transaction.atomic
def follow_up_action_update(
    *,
    user: Any,
    action: FollowUpAction,
    status: str,
    drop_reason: str = "",
    completed_on: dt.date | None = None,
) -> FollowUpAction:
    """Mark an action done (with its date) or dropped (with a reason), or open again."""
    locked = _lock(action.case)
    require(user, Action.FOLLOW_UP_MANAGE, locked)
    if locked.state not in FOLLOW_UP_STATES:
        raise TransitionConflict(
            transition="follow_up",
            state=locked.state,
            reason=_("This case is not in follow-up; reopen it to change its actions."),
        )
    errors: dict[str, list[str]] = {}
    _require_choice(errors, "status", status, ActionStatus)
    if status == ActionStatus.DROPPED:
        _require_text(errors, "drop_reason", drop_reason, _("Say why the action is dropped."))
    if completed_on and completed_on > timezone.localdate():
        errors["completed_on"] = [_("The completion date cannot be in the future.")]
    elif completed_on and completed_on < _case_day(locked):
        errors["completed_on"] = [_("An action cannot be completed before the incident.")]
    _raise(errors)
    row = FollowUpAction.objects.get(pk=action.pk, case=locked)
    fields = ["status", "drop_reason", "completed_on"]
    before = snapshot(row, fields)
    row.status = status
    row.drop_reason = drop_reason.strip() if status == ActionStatus.DROPPED else ""
    row.completed_on = (
        (completed_on or timezone.localdate()) if status == ActionStatus.DONE else None
    )
    row.save()
    audit_record(
        actor=user,
        action=AuditAction.FOLLOW_UP_ACTION_UPDATE,
        case=locked,
        obj=row,
        changes=diff(before, snapshot(row, fields)),
    )
    return row


def open_follow_up_actions(case: Case) -> list[FollowUpAction]:
    """The follow-up actions that keep the case from closing (prefetched ones if present)."""
    return [a for a in case.follow_up_actions.all() if a.status == ActionStatus.OPEN]


def open_actions_message(actions: Sequence[FollowUpAction]) -> str:
    return _("Mark each action done or dropped with a reason first: %(actions)s.") % {
        "actions": "; ".join(a.description[:60] for a in actions)
    }


@transaction.atomic
def case_close(
    *, user: Any, case: Case, closing_summary: str, safety_before: int, safety_after: int
) -> Case:
    """Close a case whose follow-up is finished, recording the community's sense of safety."""
    errors: dict[str, list[str]] = {}
    _require_text(errors, "closing_summary", closing_summary, _("Write a closing summary."))
    for field, value in (("safety_before", safety_before), ("safety_after", safety_after)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            errors[field] = [_("Rate the community's sense of safety from 1 to 5.")]
    _raise(errors)

    def check(locked: Case) -> None:
        still_open = open_follow_up_actions(locked)
        if still_open:
            raise ValidationError({"follow_up_actions": [open_actions_message(still_open)]})

    def apply(locked: Case, now: dt.datetime) -> None:
        locked.closing_summary = closing_summary.strip()
        locked.safety_before = safety_before
        locked.safety_after = safety_after
        locked.closed_at = now

    return _transition(
        user=user,
        case=case,
        name="close",
        action=Action.CASE_CLOSE,
        audit_action=AuditAction.CASE_CLOSE,
        check=check,
        apply=apply,
    )


@transaction.atomic
def case_reopen(*, user: Any, case: Case, reason: str) -> Case:
    """Leadership reopens a closed case (back to follow-up) or a dismissed one (to verify)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the case is reopened.")]})

    def apply(locked: Case, now: dt.datetime) -> dict:
        locked.closed_at = None
        locked.dismissed_at = None
        return {"reason": reason.strip()}

    return _transition(
        user=user,
        case=case,
        name="reopen",
        action=Action.CASE_REOPEN,
        audit_action=AuditAction.CASE_REOPEN,
        apply=apply,
    )
