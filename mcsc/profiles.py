"""Each user's interface language: read it, set it, and group mail recipients by it.

Pages use it through ``config.middleware.UserLanguageMiddleware``; e-mails (case
notifications, reminders) through ``addresses_by_language``. Imports Django and
``mcsc.models`` only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mcsc.models import Profile

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def profile_language(user: Any) -> str:
    """The user's interface language, or "" when they have not chosen one yet."""
    return Profile.objects.filter(user=user).values_list("language", flat=True).first() or ""


@transaction.atomic
def profile_language_set(*, user: Any, language: str) -> Profile:
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("This interface language does not exist.")})
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile


def addresses_by_language(addresses: Iterable[str]) -> dict[str, list[str]]:
    """E-mail addresses grouped by the interface language of the users who have them
    (the site's default language for an address no user chose a language for)."""
    addresses = sorted(set(addresses))
    chosen = dict(
        Profile.objects.filter(user__email__in=addresses)
        .exclude(language="")
        .values_list("user__email", "language")
    )
    groups: dict[str, list[str]] = defaultdict(list)
    for address in addresses:
        groups[chosen.get(address) or settings.LANGUAGE_CODE].append(address)
    return dict(groups)
