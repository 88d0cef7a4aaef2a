"""What the product accepts from a request, in one place: the range of dates, the largest
whole number, how deeply JSON may nest, and which characters text may not contain.

Every page form (``mcsc.forms.PageForm``), every API input serializer
(``mcsc.api.inputs.InputSerializer``), the request guard (``config.guards``) and the
compliance periods apply these limits; nothing else defines its own. A value outside them
is refused with a message that says what is accepted, before anything is looked up or
saved, so that no input can reach the database or the calendar arithmetic in a shape that
makes them fail.

It imports only Django.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# --- Dates ------------------------------------------------------------------------------
# No incident this product records is older than 1999 (the councils' work starts after the
# war; the historical import reaches back to the earliest reports); a plan (a follow-up
# action's due date, the end of a council membership, a scheduled meeting) reaches a few
# years ahead at most. Beyond the range, date arithmetic near year 1 or 9999 overflows.
# The services apply the same range (``date_errors``), so pages, API and import agree;
# within it, each record keeps to its case's life (not before the incident; what has
# happened not in the future).

EARLIEST_DATE = dt.date(1999, 1, 1)
YEARS_AHEAD = 5


def latest_date(today: dt.date | None = None) -> dt.date:
    """The last date accepted: ``YEARS_AHEAD`` years after today (local time)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_range_message(today: dt.date | None = None) -> str:
    return _("Choose a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": latest_date(today).isoformat(),
    }


def date_in_range(value: dt.date | dt.datetime, today: dt.date | None = None) -> bool:
    # A datetime is judged by its own calendar date: converting it to another time zone
    # first is exactly what overflows near the ends of the calendar.
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST_DATE <= day <= latest_date(today)


def validate_date_in_range(value: dt.date | dt.datetime | None) -> None:
    """The validator of every date and date-time input (forms and API)."""
    if value is not None and not date_in_range(value):
        raise ValidationError(date_range_message(), code="date_range")


def date_errors(
    errors: dict[str, list[str]],
    field: str,
    value: dt.date | dt.datetime | None,
    *,
    today: dt.date | None = None,
) -> bool:
    """Add the range message to ``errors[field]`` when ``value`` lies outside the range;
    True when it lies inside (or is None). For services, which must not trust their
    callers (the API, the pages, the import) to have checked it."""
    if value is None or not isinstance(value, dt.date) or date_in_range(value, today):
        return True
    errors.setdefault(field, []).append(date_range_message(today))
    return False


def year_range() -> tuple[int, int]:
    """The years a period may be (the years of the date range)."""
    return EARLIEST_DATE.year, latest_date().year


# --- Whole numbers ----------------------------------------------------------------------
# The largest value of a PostgreSQL ``integer`` column, the type of every count and number
# the product stores. Fields with a natural limit (people at a meeting) set a lower one.

MAX_INTEGER = 2**31 - 1
# Row ids (``bigint``): the largest id an URL or a body may name.
MAX_ID = 2**63 - 1


def length_errors(
    errors: dict[str, list[str]], model: Any, values: Mapping[str, Any], *, prefix: str = ""
) -> None:
    """Add a message to ``errors`` for each text value longer than its column of ``model``
    (``max_length``): SQLite would store it, PostgreSQL refuse it with a 500. ``prefix``
    goes before each message (``"Person 2: "``) and the message then goes under ``prefix``'s
    field, see ``length_errors_under``."""
    for name, value in values.items():
        field = next((f for f in model._meta.concrete_fields if f.name == name), None)
        limit = getattr(field, "max_length", None)
        if limit and isinstance(value, str) and len(value.strip()) > limit:
            errors.setdefault(name, []).append(
                prefix
                + _("Ensure this value has at most %(limit)d characters (it has %(length)d).")
                % {"limit": limit, "length": len(value.strip())}
            )


# --- Choices --------------------------------------------------------------------------
# A value that is not one of a field's choices (a filter's ``state=bogus``) is answered
# with the values that are: the caller learns the vocabulary from the 400 itself. Longer
# lists are left to their own messages; the 38 municipalities have theirs (by code).

MAX_LISTED_CHOICES = 100


def choice_values(choices: Any) -> list[str] | None:
    """The values of a field's choices (groups flattened, the empty one left out), or None
    when there are more than ``MAX_LISTED_CHOICES`` to list."""
    values: list[str] = []
    for key, label in choices:
        if isinstance(label, list | tuple):  # an option group
            values.extend(str(k) for k, _label in label)
        else:
            values.append(str(key))
    values = [value for value in values if value != ""]
    return values if len(values) <= MAX_LISTED_CHOICES else None


def not_a_choice_message(values: list[str], placeholder: str) -> str:
    """``“bogus” is not one of: a, b, c.``, with ``placeholder`` where the given value goes
    (``%(value)s`` for Django's forms, ``{input}`` for DRF's fields)."""
    listed = ", ".join(values).replace("%", "%%").replace("{", "{{").replace("}", "}}")
    return _("“%(value)s” is not one of: %(choices)s.") % {
        "value": placeholder,
        "choices": listed,
    }


# --- JSON -------------------------------------------------------------------------------

MAX_JSON_DEPTH = 32


class JSONTooDeep(ValueError):
    """JSON nested more deeply than ``MAX_JSON_DEPTH``; the message says so."""

    def __init__(self) -> None:
        super().__init__(
            _("The JSON is nested too deeply: at most %(depth)d levels of arrays and objects.")
            % {"depth": MAX_JSON_DEPTH}
        )


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def json_loads(text: str | bytes, **kwargs: Any) -> Any:
    """``json.loads`` that refuses nesting deeper than ``MAX_JSON_DEPTH`` (``JSONTooDeep``)
    instead of running out of stack; other malformed JSON raises ``ValueError`` as usual.
    Every JSON a request carries is read through it."""
    try:
        data = json.loads(text, **kwargs)
    except RecursionError:
        raise JSONTooDeep() from None
    if json_depth(data) > MAX_JSON_DEPTH:
        raise JSONTooDeep()
    return data


def json_strings(value: Any) -> Iterator[str]:
    """Every string in decoded JSON, object keys included, without recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


# --- Characters -------------------------------------------------------------------------
# Control characters have no place in an address, a query or a typed value (PostgreSQL
# cannot even store NUL); tab, line feed and carriage return are text in a submitted value
# (a textarea sends CR LF). A lone surrogate is not a character at all: it cannot be
# encoded, stored or printed.

_IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_IN_VALUE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def forbidden_character(text: str, *, value: bool = False) -> str | None:
    """The first character ``text`` may not contain, or None. ``value=True`` for a submitted
    value (tab and line breaks allowed), else for a path or a query string."""
    match = (_IN_VALUE if value else _IN_ADDRESS).search(text)
    return match.group() if match else None


def character_name(char: str) -> str:
    """``U+0000`` for a character that cannot be shown."""
    return f"U+{ord(char):04X}"


# --- Pages ------------------------------------------------------------------------------
# One rule for every list, pages and API: ``page`` is a whole number from 1 (anything
# else, 0 and negative numbers included, is a 400 saying so); a page past the last is not
# an error: the API answers it with an empty ``results`` list, a page shows the last page.


def page_message() -> str:
    return _("Give the page as a whole number from 1.")


def page_number(value: str | None) -> int:
    """The page a query asks for (1 when it names none); ``ValidationError`` under
    ``page`` when it is not a whole number from 1 to ``MAX_INTEGER``."""
    if value is None or value == "":
        return 1
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_INTEGER:
        raise ValidationError({"page": [page_message()]}, code="page")
    return int(text)
