"""One mapping from the errors the services raise to HTTP responses, for the whole API.

- Django ``ValidationError`` -> 400 with field errors (``{"field": ["message"]}``; errors
  that name no field go under ``non_field_errors``);
- ``MissingLanguages`` -> 400 with the field errors and ``missing_languages`` (codes);
- ``TransitionConflict`` -> 409 with the current state and the transition refused;
- ``django_fsm.ConcurrentTransition`` -> 409;
- Django ``PermissionDenied`` -> 403 and ``Http404`` -> 404 (DRF's own handling).

Requests refused before any view runs (``config.guards``: control characters, JSON nested
too deeply, a body too large) get the same shape through ``problem_response``:
``{"detail": "..."}`` with 400 or 413.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from casefiles.errors import MissingLanguages, TransitionConflict


def validation_error_data(exc: DjangoValidationError) -> dict[str, Any]:
    """``{"field": ["message", ...]}`` in DRF's shape for a Django ``ValidationError``."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in errors.items()
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        data = validation_error_data(exc)
        if isinstance(exc, MissingLanguages):
            data["missing_languages"] = exc.codes
        set_rollback()
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TransitionConflict):
        set_rollback()
        return Response(
            {"detail": exc.message, "state": exc.state, "transition": exc.transition},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ConcurrentTransition):
        set_rollback()
        return Response(
            {"detail": _("The case was changed by someone else meanwhile; reload and retry.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


def problem_response(detail: str, status: int) -> JsonResponse:
    """``{"detail": detail}``: the API's answer to a request refused outside any view."""
    return JsonResponse({"detail": detail}, status=status)
