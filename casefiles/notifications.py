"""Mail that tells the next person a case needs them. Runs after the transaction commits."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mcsc.models import Role
from mcsc.permissions import users_with_role
from mcsc.profiles import addresses_by_language

log = logging.getLogger(__name__)

# Who is told after each step, and what they are asked to do next.
_NEXT = {
    "draft_statement": (
        [Role.LEADERSHIP],
        gettext_noop("Statement for %(reference)s awaits your approval"),
        gettext_noop(
            "A statement about case %(reference)s has been drafted and needs approval or rejection."
        ),
    ),
    "approve": (
        [Role.SECRETARY, Role.TRANSLATOR],
        gettext_noop("Statement for %(reference)s approved: translations needed"),
        gettext_noop(
            "The statement about case %(reference)s was approved. Translate it into every required "
            "language so that it can be published."
        ),
    ),
    "reject": (
        [Role.SECRETARY],
        gettext_noop("Statement for %(reference)s returned for redrafting"),
        gettext_noop(
            "The statement about case %(reference)s was rejected. Read the comment and draft it "
            "again."
        ),
    ),
    "publish": (
        [Role.MEMBER, Role.LEADERSHIP],
        gettext_noop("Statement for %(reference)s published"),
        gettext_noop("The municipality's statement about case %(reference)s was published."),
    ),
    "reopen": (
        [Role.SECRETARY],
        gettext_noop("Case %(reference)s reopened"),
        gettext_noop("Case %(reference)s was reopened by the municipal leadership."),
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
    messages = []
    # Each recipient reads the mail in their own interface language.
    for language, addresses in addresses_by_language(recipients).items():
        with translation.override(language):
            texts = (_(subject) % context, _(body) % context)
        messages += [(*texts, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    try:
        return send_mass_mail(messages, fail_silently=False)
    except OSError:
        # The step is done and recorded; a mail server outage must not undo it.
        log.exception("Could not send notifications for %s %s", case.reference, transition)
        return 0
