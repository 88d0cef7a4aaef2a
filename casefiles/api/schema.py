"""The OpenAPI schema's account of errors, for the whole API (``DEFAULT_SCHEMA_CLASS``).

Every error the API answers has one shape, ``Error`` (``casefiles.api.exceptions``):
``{"detail": "..."}`` for an error about the request as a whole (``problem_response`` and
DRF's own errors), field errors ``{"field": ["message", ...]}`` for invalid input, and a
few documented additions (``state`` and ``transition`` of a 409 on a case step,
``missing_languages`` of a refused publication).

``ApiAutoSchema`` documents the error statuses on every operation where they can happen,
once, instead of a decorator on each view:

- 400 everywhere: the request guard (``config.guards``) refuses control characters in any
  query string, and every body or filter is validated;
- 401 and 403 wherever a user must be signed in (no token, a revoked one; no right);
- 404 where a path parameter names an object (outside the user's scope it does not exist)
  and where query parameters do (a filter outside the scope, a page past the end);
- 409 on every write, unless the view says its writes never conflict
  (``writes_conflict = False``): a case step refused in the case's current state, a
  concurrent change;
- 413 and 415 where there is a request body (too large; a media type no parser reads).

An operation's own description of an error status (``extend_schema(responses=...)`` with
``OpenApiResponse(description=...)``) is kept; the body is always ``Error``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

ERROR_DESCRIPTIONS = {
    400: "Invalid input: field errors `{field: [messages]}`, or `detail` for the request as "
    "a whole (a body that cannot be read, a character that is not allowed).",
    401: "No valid token or session: `detail` says why.",
    403: "The user lacks the right for this (in the object's municipality).",
    404: "No such object, or not in the user's scope (or a page past the last).",
    409: "The object's state does not allow this (now), or someone else changed it "
    "meanwhile: `detail`, and for a case step `state` and `transition`.",
    413: "The request body is too large.",
    415: "The request body's media type is not JSON, form data or multipart.",
}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (its schema is ``ErrorSchema``'s)."""


class ErrorSchema(OpenApiSerializerExtension):
    target_class = "casefiles.api.schema.ErrorSerializer"

    def map_serializer(self, auto_schema: AutoSchema, direction: str) -> dict[str, Any]:
        messages = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": (
                "An error: `detail` for the request as a whole, or the errors of each field "
                "of the input, `{field: [messages]}` (`non_field_errors` for errors of no "
                "one field; a nested field has its own fields' errors, a list its items')."
            ),
            "properties": {
                "detail": {"type": "string", "description": "What is wrong, for people."},
                "non_field_errors": {
                    **messages,
                    "description": "Input errors that concern no one field.",
                },
                # Input fields of these names exist too (the case list's ``state`` filter):
                # on a 400 they hold that field's messages.
                "state": {
                    "anyOf": [{"type": "string"}, messages],
                    "description": "409 on a case step: the case's current state.",
                },
                "transition": {
                    "anyOf": [{"type": "string"}, messages],
                    "description": "409 on a case step: the step that was refused.",
                },
                "missing_languages": {
                    **messages,
                    "description": "400 on publication: the codes of the required languages "
                    "without an approved translation.",
                },
            },
            "additionalProperties": {
                "description": "The errors of one input field.",
                "anyOf": [
                    {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
                    {"type": "object"},
                ],
            },
        }


class ApiAutoSchema(AutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        content = self._error_content()
        for status in self._error_statuses(operation):
            response = responses.setdefault(
                str(status), {"description": ERROR_DESCRIPTIONS[status]}
            )
            response.setdefault("content", content)
        for status, response in responses.items():
            # An error an operation documents itself (e.g. 429, 503) has the same body.
            if status.startswith(("4", "5")):
                response.setdefault("content", content)
        return operation

    def _error_content(self) -> dict[str, Any]:
        component = self.resolve_serializer(ErrorSerializer, "response")
        return {"application/json": {"schema": component.ref}}

    def _error_statuses(self, operation: dict[str, Any]) -> list[int]:
        statuses = [400]
        if self._needs_sign_in():
            statuses += [401, 403]
        located = {parameter["in"] for parameter in operation.get("parameters", [])}
        if located & {"path", "query"}:
            statuses.append(404)
        if self.method in UNSAFE and getattr(self.view, "writes_conflict", True):
            statuses.append(409)
        if "requestBody" in operation:
            statuses += [413, 415]
        return statuses

    def _needs_sign_in(self) -> bool:
        permissions = self.view.get_permissions()
        return not all(isinstance(permission, AllowAny) for permission in permissions)
