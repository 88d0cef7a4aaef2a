"""The base of every API input, for all apps: the JSON parser and the serializer base.

- ``LimitedJSONParser`` (``DEFAULT_PARSER_CLASSES``) reads JSON bodies through
  ``mcsc.inputs.json_loads``: nesting deeper than ``MAX_JSON_DEPTH`` is a 400, not a
  ``RecursionError``.
- ``InputSerializer`` is the base of every serializer that reads a request. A body field
  the serializer does not know is refused (400, ``{"field": ["Unknown field ..."]}``), so
  that a misspelt correction is never silently ignored; query serializers allow unknown
  parameters (``page`` and ``format`` belong to DRF). Dates and date-times must lie in
  ``mcsc.inputs``' range, and whole numbers within ``MAX_INTEGER`` unless the field sets a
  lower maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail, ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json as drf_json

from mcsc.inputs import (
    MAX_INTEGER,
    JSONTooDeep,
    choice_values,
    date_in_range,
    date_range_message,
    json_loads,
    not_a_choice_message,
    validate_date_in_range,
)


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser, reading through ``mcsc.inputs.json_loads``."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = get_encoding(parser_context or {})
        parse_constant = drf_json.strict_constant if self.strict else None
        try:
            return json_loads(stream.read().decode(encoding), parse_constant=parse_constant)
        except JSONTooDeep as exc:
            raise ParseError(str(exc)) from None
        except ValueError as exc:
            raise ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None


class InputDateTimeField(serializers.DateTimeField):
    """DRF's date-time field, refusing a date outside the range before the time zone
    arithmetic, which overflows near the ends of the calendar (DRF checks a naive
    ``0001-01-01`` against UTC, uncaught: a 500)."""

    def enforce_timezone(self, value):
        if not date_in_range(value):
            raise serializers.ValidationError(date_range_message(), code="date_range")
        return super().enforce_timezone(value)


def bound_field(field: serializers.Field) -> serializers.Field:
    """An input field with the product's limits on dates and whole numbers (the field
    itself, or for a date-time, an ``InputDateTimeField`` made with its arguments)."""
    if field.read_only:
        return field
    if type(field) is serializers.DateTimeField:
        field = InputDateTimeField(*field._args, **field._kwargs)
    if isinstance(field, serializers.ListField | serializers.DictField):
        child = bound_field(field.child)
        if child is not field.child:
            field.child = child
            child.bind(field_name="", parent=field)
    elif isinstance(field, serializers.DateField | serializers.DateTimeField):
        if validate_date_in_range not in field.validators:
            field.validators.append(validate_date_in_range)
            # DRF's own words for a date-time its time zone cannot hold: say the range.
            field.error_messages["overflow"] = date_range_message()
    elif isinstance(field, serializers.ChoiceField):
        values = choice_values(field.choices.items())
        if values is not None:
            field.error_messages["invalid_choice"] = not_a_choice_message(values, "{input}")
    elif isinstance(field, serializers.IntegerField):
        if field.max_value is None:
            field.max_value = MAX_INTEGER
            message = field.error_messages["max_value"].format(max_value=MAX_INTEGER)
            field.validators.append(MaxValueValidator(MAX_INTEGER, message=message))
        if field.min_value is None:
            field.min_value = -MAX_INTEGER - 1
            message = field.error_messages["min_value"].format(min_value=field.min_value)
            field.validators.append(MinValueValidator(field.min_value, message=message))
    return field


class InputSerializer(serializers.Serializer):
    # Base of every serializer that reads a request body (or, with ``allow_unknown_fields``,
    # a query string). A comment, not a docstring: drf-spectacular would make a docstring
    # the description of every input in the schema that has none of its own.

    allow_unknown_fields = False

    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: bound_field(field) for name, field in super().get_fields().items()}

    def unknown_field_errors(self, data: Any) -> dict[str, list[ErrorDetail]]:
        """``{name: [message]}`` for each field of ``data`` the serializer does not know."""
        if self.allow_unknown_fields or not isinstance(data, Mapping):
            return {}
        known = {name for name, field in self.fields.items() if not field.read_only}
        return {
            str(name): [
                ErrorDetail(
                    _("Unknown field: this request does not accept “%(name)s”.") % {"name": name},
                    code="unknown",
                )
            ]
            for name in sorted(set(data) - known, key=str)
        }

    def to_internal_value(self, data: Any) -> Any:
        unknown = self.unknown_field_errors(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                exc.detail.update(unknown)
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value
