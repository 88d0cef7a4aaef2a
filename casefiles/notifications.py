"""Mail that tells the next person a case needs them. Runs after the transaction commits."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _

from mcsc.models import Role
from mcsc.permissions import users_with_role

log = logging.getLogger(__name__)

# Who is told after each step, and what they are asked to do next.
_NEXT = {
    "draft_statement": (
        [Role.LEADERSHIP],
        "Statement for %(reference)s awaits your approval",
        "A statement about case %(reference)s has been drafted and needs approval or rejection.",
    ),
    "approve": (
        [Role.SECRETARY, Role.TRANSLATOR],
        "Statement for %(reference)s approved: translations needed",
        "The statement about case %(reference)s was approved. Translate it into every required "
        "language so that it can be published.",
    ),
    "reject": (
        [Role.SECRETARY],
        "Statement for %(reference)s returned for redrafting",
        "The statement about case %(reference)s was rejected. Read the comment and draft it again.",
    ),
    "publish": (
        [Role.MEMBER, Role.LEADERSHIP],
        "Statement for %(reference)s published",
        "The municipality's statement about case %(reference)s was published.",
    ),
    "reopen": (
        [Role.SECRETARY],
        "Case %(reference)s reopened",
        "Case %(reference)s was reopened by the municipal leadership.",
    ),
}


def notify_transition(*, case_id: int, transition: str) -> int:
    """Mail the people who act next; returns the number of messages sent."""
    from casefiles.models import Case

    if transition not in _NEXT:
        return 0
    roles, subject, body = _NEXT[transition]
    case = Case.objects.select_related("municipality").get(pk=case_id)
    recipients = set()
    for role in roles:
        recipients |= {u.email for u in users_with_role(role, [case.municipality_id]) if u.email}
    context = {"reference": case.reference}
    messages = [
        (_(subject) % context, _(body) % context, settings.DEFAULT_FROM_EMAIL, [address])
        for address in sorted(recipients)
    ]
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:
        # The step is done and recorded; a mail server outage must not undo it.
        log.exception("Could not send notifications for %s %s", case.reference, transition)
        return 0
