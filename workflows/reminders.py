"""Reminders for overdue steps, escalated to the municipality's leadership when late twice over."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from casefiles.audit.chain import audit_record
from casefiles.models import OPEN_STATES, AuditAction, Case
from mcsc.models import MUNICIPAL_ROLES, Role
from mcsc.permissions import ROLE_ACTIONS, users_with_role
from mcsc.profiles import addresses_by_language
from workflows.deadlines import case_due
from workflows.models import CaseProcess, Reminder
from workflows.services import OPEN_TASK_STATUSES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReminderReport:
    sent: int
    escalated: int
    skipped: int


def _assignees(case: Case) -> set:
    """Owners of the case's open tasks; for unclaimed tasks, everyone with the task's role."""
    from viewflow.workflow.models import Task

    people = set()
    processes = CaseProcess.objects.filter(case=case)
    for task in Task.objects.filter(
        process__in=processes, status__in=OPEN_TASK_STATUSES
    ).select_related("owner"):
        node = task.flow_task
        action = getattr(node, "action", None)
        if action is None:
            continue
        if task.owner is not None:
            people.add(task.owner)
            continue
        for role in MUNICIPAL_ROLES:
            if action in ROLE_ACTIONS[role]:
                people |= set(users_with_role(role, [case.municipality_id]))
    return people


def reminders_send(*, now=None) -> ReminderReport:
    """Mail the assignees of every overdue step once per day; copy leadership once the step
    is late by a second full period. Safe to run as often as wanted."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = escalated = skipped = 0
    overdue = (
        Case.objects.filter(state__in=OPEN_STATES, due_at__lt=now)
        .select_related("municipality__deadline_policy")
        .order_by("due_at")
    )
    for case in overdue:
        due = case_due(case)
        if due is None or due.due_at >= now:
            continue
        escalate = now >= due.due_at + due.period
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    case=case, step=due.step, sent_on=today, escalated=escalate
                )
                recipients = sorted(u.email for u in _assignees(case) if u.email)
                leaders = (
                    sorted(
                        u.email
                        for u in users_with_role(Role.LEADERSHIP, [case.municipality_id])
                        if u.email
                    )
                    if escalate
                    else []
                )
                reminder.recipients = recipients + leaders
                reminder.save(update_fields=["recipients"])
                audit_record(
                    actor=None,
                    action=AuditAction.REMINDER_SEND,
                    case=case,
                    obj=reminder,
                    payload={
                        "step": due.step,
                        "step_label": str(due.label),
                        "due_at": due.due_at,
                        "escalated": escalate,
                        "recipients": len(reminder.recipients),
                    },
                )
                transaction.on_commit(
                    lambda c=case, d=due, r=recipients, ldr=leaders, e=escalate: _mail(
                        c, d, r, ldr, e
                    )
                )
        except IntegrityError:
            skipped += 1
            continue
        sent += 1
        escalated += int(escalate)
    return ReminderReport(sent=sent, escalated=escalated, skipped=skipped)


def _mail(case, due, recipients, leaders, escalated) -> None:
    if not recipients and not leaders:
        return
    # One message per interface language, each recipient reading their own; leadership is
    # copied in theirs.
    people = dict.fromkeys(recipients, "to") | dict.fromkeys(leaders, "cc")
    for language, addresses in addresses_by_language(people).items():
        to = [a for a in addresses if people[a] == "to"]
        cc = [a for a in addresses if people[a] == "cc"]
        with translation.override(language):
            subject, body = _reminder_text(case, due, escalated)
        message = EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, to=to or cc, cc=cc if to else []
        )
        _send(message, case)


def _reminder_text(case, due, escalated) -> tuple[str, str]:
    context = {
        "reference": case.reference,
        "step": due.label,
        "due": formats.date_format(timezone.localtime(due.due_at), "SHORT_DATETIME_FORMAT"),
    }
    subject = _("Overdue: %(step)s for case %(reference)s") % context
    body = (
        _(
            "The step “%(step)s” of case %(reference)s was due on %(due)s and is not done yet. "
            "Please complete it in the MCSC Case Engine."
        )
        % context
    )
    if escalated:
        body += "\n\n" + _(
            "This step is late by more than its whole deadline; the municipal leadership is "
            "informed."
        )
    return subject, body


def _send(message: EmailMessage, case) -> None:
    try:
        message.send()
    except OSError:
        log.exception("Could not send the reminder for %s", case.reference)
