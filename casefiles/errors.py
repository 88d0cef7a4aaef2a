"""Errors the services raise, each mapped to one HTTP status by the API and the pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class TransitionConflict(Exception):
    """The case is not in a state that allows this step (now, or after a concurrent change)."""

    status_code = 409

    def __init__(self, *, transition: str, state: str, reason: str = ""):
        self.transition = transition
        self.state = state
        self.message = reason or _(
            "“%(transition)s” is not possible while the case is “%(state)s”."
        ) % {"transition": transition.replace("_", " "), "state": state.replace("_", " ")}
        super().__init__(self.message)


class MissingLanguages(ValidationError):
    """Publishing refused: these required languages have no approved translation."""

    def __init__(self, languages):
        self.languages = list(languages)
        names = ", ".join(language.name for language in self.languages)
        super().__init__(
            {
                "translations": [
                    _("An approved translation is missing for: %(languages)s.")
                    % {"languages": names}
                ]
            }
        )

    @property
    def codes(self) -> list[str]:
        return [language.code for language in self.languages]
