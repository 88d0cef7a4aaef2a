"""Personal data of the people in a case (victims, witnesses, reporters: ``CasePerson``):
anonymising it once it is no longer needed, and exporting it for the person on request.

**Retention.** A case's people keep their name, contact and notes until the case has been
closed (or dismissed) for ``MCSC_PERSONAL_DATA_RETENTION_DAYS`` days. Then
``retention_apply`` (``manage.py apply_retention``, daily) overwrites them with
``ANONYMISED``, keeps the role (the statistics and the case history need it) and stamps
``anonymised_at``. A case that is open, or was reopened, is never touched: reopening clears
``closed_at``/``dismissed_at``, and the state and the date are checked again under the
case's row lock. Anonymising cannot be undone.

**Subject access.** ``personal_data_export`` gives an administrator everything stored about
one person, found by the record's id or by exact name and contact, as a JSON-ready dict.

Each case anonymised and each export is one audit event, whose payload holds counts, ids
and case references, never a name, contact or note.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from casefiles.audit.chain import audit_record
from casefiles.errors import TransitionConflict
from casefiles.models import AuditAction, AuditEvent, Case, CasePerson, CaseState
from mcsc.permissions import Action, require

# What an anonymised name, contact or note reads. Stored data, so the same in every
# language; the pages say "anonymised" in the reader's language from ``anonymised_at``.
ANONYMISED = "[anonymised]"
ENDED_STATES = (CaseState.CLOSED, CaseState.DISMISSED)
RETENTION_REASON = "retention"


def retention_cutoff(*, now: dt.datetime) -> dt.datetime:
    """Cases that ended at or before this moment are past the retention period."""
    return now - dt.timedelta(days=settings.MCSC_PERSONAL_DATA_RETENTION_DAYS)


def _ended_by(cutoff: dt.datetime) -> Q:
    return Q(state=CaseState.CLOSED, closed_at__lte=cutoff) | Q(
        state=CaseState.DISMISSED, dismissed_at__lte=cutoff
    )


def _ended_at(case: Case) -> dt.datetime | None:
    return case.closed_at if case.state == CaseState.CLOSED else case.dismissed_at


def retention_due(*, now: dt.datetime) -> QuerySet[Case]:
    """Closed or dismissed cases, ended before the retention cutoff, with a person whose
    data is still there; oldest reference first."""
    remaining = CasePerson.objects.filter(case=OuterRef("pk"), anonymised_at__isnull=True)
    return (
        Case.objects.filter(_ended_by(retention_cutoff(now=now)))
        .filter(Exists(remaining))
        .select_related("municipality")
        .order_by("year", "municipality__code", "number")
    )


def _role_counts(people) -> dict[str, int]:
    return dict(sorted(Counter(person.role for person in people).items()))


@transaction.atomic
def personal_data_anonymise(
    *, case: Case, reason: str, now: dt.datetime, ended_before: dt.datetime | None = None
) -> int:
    """Overwrite the name, contact and notes of the case's people not yet anonymised;
    return how many. Only a closed or dismissed case (that ended at or before
    ``ended_before``, when given), checked under the case's row lock. One
    ``retention.apply`` event with the counts when anyone was anonymised."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the personal data is anonymised.")]})
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    ended_at = _ended_at(locked)
    if locked.state not in ENDED_STATES or ended_at is None:
        raise TransitionConflict(
            transition="anonymise",
            state=locked.state,
            reason=_("Only the people of a closed or dismissed case are anonymised."),
        )
    if ended_before is not None and ended_at > ended_before:
        raise TransitionConflict(
            transition="anonymise",
            state=locked.state,
            reason=_("The case ended less than the retention period ago."),
        )
    people = list(locked.people.filter(anonymised_at__isnull=True).order_by("pk"))
    if not people:
        return 0
    for person in people:
        person.name = ANONYMISED
        person.contact = ANONYMISED if person.contact else ""
        person.notes = ANONYMISED if person.notes else ""
        person.anonymised_at = now
    CasePerson.objects.bulk_update(people, ["name", "contact", "notes", "anonymised_at"])
    audit_record(
        actor=None,
        action=AuditAction.RETENTION_APPLY,
        case=locked,
        obj=locked,
        payload={
            "reason": reason.strip(),
            "people": len(people),
            "roles": _role_counts(people),
            "ended_at": ended_at,
            "retention_days": settings.MCSC_PERSONAL_DATA_RETENTION_DAYS,
        },
    )
    return len(people)


@dataclass(frozen=True)
class RetentionCase:
    reference: str
    state: str
    ended_at: dt.datetime
    people: int
    roles: dict[str, int]


@dataclass(frozen=True)
class RetentionReport:
    cutoff: dt.datetime
    dry_run: bool
    cases: list[RetentionCase]

    @property
    def people(self) -> int:
        return sum(case.people for case in self.cases)


def retention_apply(*, now: dt.datetime, dry_run: bool) -> RetentionReport:
    """Anonymise the people of every case past the retention period (``dry_run``: only say
    which, changing nothing).

    One transaction per case, through ``personal_data_anonymise``, so that a long run never
    holds the audit trail's head for long and a case reopened meanwhile is left alone."""
    cutoff = retention_cutoff(now=now)
    cases = []
    for case in retention_due(now=now).prefetch_related("people"):
        remaining = [p for p in case.people.all() if p.anonymised_at is None]
        if dry_run:
            count = len(remaining)
        else:
            try:
                count = personal_data_anonymise(
                    case=case, reason=RETENTION_REASON, now=now, ended_before=cutoff
                )
            except TransitionConflict:
                continue  # reopened since the list was read
        if count:
            cases.append(
                RetentionCase(
                    reference=case.reference,
                    state=case.state,
                    ended_at=_ended_at(case),
                    people=count,
                    roles=_role_counts(remaining),
                )
            )
    return RetentionReport(cutoff=cutoff, dry_run=dry_run, cases=cases)


# --- Subject access -----------------------------------------------------------------------


def _person_record(person: CasePerson) -> dict[str, Any]:
    case = person.case
    reads = AuditEvent.objects.filter(
        Q(case=case, action=AuditAction.CASE_PERSONAL_DATA_VIEW)
        | Q(object_type=CasePerson._meta.label_lower, object_id=str(person.pk))
        | Q(case=case, action=AuditAction.RETENTION_APPLY)
    ).order_by("sequence")
    return {
        "id": person.pk,
        "role": person.role,
        "role_label": str(person.get_role_display()),
        "name": person.name,
        "contact": person.contact,
        "notes": person.notes,
        "recorded_at": person.created_at,
        "anonymised_at": person.anonymised_at,
        "case": {
            "reference": case.reference,
            "municipality": str(case.municipality),
            "state": case.state,
            "category": case.category,
            "incident_at": case.occurred_at,
            "reported_at": case.reported_at,
            "closed_at": case.closed_at,
            "dismissed_at": case.dismissed_at,
        },
        # What happened to this record, and when the case's people were read (not by whom).
        "history": [
            {
                "time": event.created_at,
                "action": event.action,
                "what": str(AuditAction(event.action).label),
            }
            for event in reads
        ],
    }


@transaction.atomic
def personal_data_export(
    *,
    user: Any,
    person_id: int | None = None,
    name: str = "",
    contact: str = "",
    now: dt.datetime,
) -> dict[str, Any]:
    """Everything stored about one person, for an administrator: the ``CasePerson`` record
    ``person_id``, or every record whose name and contact are exactly ``name`` and
    ``contact``. One ``person.export`` event naming the records and cases exported."""
    require(user, Action.PERSONAL_DATA_EXPORT, None)
    name, contact = (name or "").strip(), (contact or "").strip()
    if (person_id is None) == (not (name and contact)):
        raise ValidationError(
            _("Give either the person's record id, or their exact name and contact.")
        )
    people = CasePerson.objects.select_related("case__municipality").order_by("pk")
    if person_id is not None:
        people = people.filter(pk=person_id)
        matched_by = "id"
    else:
        people = people.filter(name=name, contact=contact)
        matched_by = "name_and_contact"
    people = list(people)
    if not people:
        raise ValidationError(_("No person recorded in any case matches."))
    records = [_person_record(person) for person in people]
    references = sorted({person.case.reference for person in people})
    audit_record(
        actor=user,
        action=AuditAction.PERSONAL_DATA_EXPORT,
        payload={
            "matched_by": matched_by,
            "people": [person.pk for person in people],
            "cases": references,
        },
    )
    return {"exported_at": now, "matched_by": matched_by, "people": records}
