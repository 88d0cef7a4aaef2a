"""Each user's interface language: read it, set it, follow it on every page, and group
mail recipients by it.

At sign-in (``language_at_sign_in``, connected to Django's ``user_logged_in`` in
``mcsc.apps``) the profile's language is put in the session; a user who never chose one
keeps the language their browser asked for. ``UserLanguageMiddleware`` then activates it
on every page without a query, and the language menu (``config.views.language_set``)
changes both. E-mails (case notifications, reminders) use ``addresses_by_language``.
Imports Django and ``mcsc.models`` only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from mcsc.models import Profile

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
SESSION_LANGUAGE = "mcsc_language"


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


def language_at_sign_in(sender, request, user, **kwargs) -> None:
    """Put the user's language in their new session (their browser's, the first time)."""
    if request is None or not hasattr(request, "session"):
        return
    language = profile_language(user)
    if not language:
        language = translation.get_language_from_request(request)
        if language not in LANGUAGE_CODES:
            language = settings.LANGUAGE_CODE
        profile_language_set(user=user, language=language)
    request.session[SESSION_LANGUAGE] = language


class UserLanguageMiddleware:
    """A signed-in user's pages speak the language kept in their session at sign-in.

    Anonymous visitors and API token clients keep Django's choice (cookie, then
    ``Accept-Language``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = request.session.get(SESSION_LANGUAGE)
            if language not in LANGUAGE_CODES:  # a session from before this setting
                language = profile_language(user) or translation.get_language()
                request.session[SESSION_LANGUAGE] = language
            request.LANGUAGE_CODE = language
            # Only for this request: the language must not stay active in the thread.
            with translation.override(language):
                response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
            return response
        return self.get_response(request)
