"""The limits on input (``mcsc.inputs``) and the two bases that apply them to every form and
every API input serializer (``mcsc.forms.PageForm``, ``mcsc.api.inputs.InputSerializer``)."""

import datetime as dt
import io

import pytest
from django import forms
from rest_framework import serializers
from rest_framework.exceptions import ParseError

from mcsc.api.inputs import InputSerializer, LimitedJSONParser
from mcsc.forms import PageForm, date_field
from mcsc.inputs import (
    EARLIEST_DATE,
    MAX_INTEGER,
    MAX_JSON_DEPTH,
    JSONTooDeep,
    date_in_range,
    forbidden_character,
    json_depth,
    json_loads,
    json_strings,
    latest_date,
)

# --- mcsc.inputs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "depth"),
    [(1, 0), ("x", 0), ([], 1), ({}, 1), ([[1]], 2), ({"a": [{"b": []}]}, 4), ([1, [2, [3]]], 3)],
)
def test_json_depth_counts_nested_arrays_and_objects(value, depth):
    assert json_depth(value) == depth


def test_json_loads_refuses_nesting_beyond_the_limit_however_deep():
    assert json_loads("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH) is not None
    for levels in (MAX_JSON_DEPTH + 1, 1000, 100_000):  # the last exhausts the C decoder
        with pytest.raises(JSONTooDeep, match="nested too deeply"):
            json_loads("[" * levels + "]" * levels)
    with pytest.raises(ValueError) as error:
        json_loads("{")
    assert not isinstance(error.value, JSONTooDeep)


def test_json_strings_yields_keys_and_values_at_every_level():
    data = {"a": ["b", {"c": "d"}], "e": 1}
    assert sorted(json_strings(data)) == ["a", "b", "c", "d", "e"]


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f", "\ud800", "\udfff"])
def test_control_characters_and_lone_surrogates_are_forbidden_everywhere(char):
    assert forbidden_character(f"a{char}b") == char
    assert forbidden_character(f"a{char}b", value=True) == char


@pytest.mark.parametrize("char", ["\t", "\n", "\r"])
def test_tab_and_line_breaks_are_text_in_values_but_not_in_addresses(char):
    assert forbidden_character(f"a{char}b", value=True) is None
    assert forbidden_character(f"a{char}b") == char


def test_ordinary_text_in_every_script_is_allowed():
    assert forbidden_character("Gračanica/Graçanicë — Грачаница, İstanbul 😀", value=True) is None


def test_the_date_range_runs_from_1999_to_five_years_ahead():
    today = dt.date(2026, 3, 1)
    assert latest_date(today) == dt.date(2031, 3, 1)
    assert latest_date(dt.date(2028, 2, 29)) == dt.date(2033, 2, 28)
    assert date_in_range(EARLIEST_DATE, today) and not date_in_range(dt.date(1998, 12, 31), today)
    assert date_in_range(dt.date(2031, 3, 1), today)
    assert not date_in_range(dt.date(2031, 3, 2), today)
    assert not date_in_range(dt.datetime(1, 1, 1, tzinfo=dt.UTC), today)
    assert not date_in_range(dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC), today)


# --- The parser and the serializer base ------------------------------------------------------


def test_the_api_parser_answers_too_deep_json_with_a_parse_error():
    parser = LimitedJSONParser()
    assert parser.parse(io.BytesIO(b'{"a": [1]}')) == {"a": [1]}
    with pytest.raises(ParseError, match="nested too deeply"):
        parser.parse(io.BytesIO(b"[" * 5000 + b"]" * 5000))
    with pytest.raises(ParseError, match="JSON parse error"):
        parser.parse(io.BytesIO(b"{"))
    with pytest.raises(ParseError, match="JSON parse error"):
        parser.parse(io.BytesIO(b'{"a": NaN}'))


class Body(InputSerializer):
    name = serializers.CharField()
    day = serializers.DateField(required=False)
    moment = serializers.DateTimeField(required=False)
    count = serializers.IntegerField(required=False)
    small = serializers.IntegerField(required=False, min_value=0, max_value=5)
    days = serializers.ListField(child=serializers.DateField(), required=False)
    moments = serializers.ListField(child=serializers.DateTimeField(), required=False)


class Query(Body):
    allow_unknown_fields = True


def test_an_unknown_field_is_refused_naming_it():
    body = Body(data={"name": "x", "colour": "red", "size": 3})
    assert not body.is_valid()
    assert set(body.errors) == {"colour", "size"}
    assert "“colour”" in str(body.errors["colour"][0])
    assert body.errors["colour"][0].code == "unknown"


def test_unknown_fields_are_reported_with_the_other_errors():
    body = Body(data={"colour": "red", "count": "many"})
    assert not body.is_valid()
    assert set(body.errors) == {"name", "count", "colour"}


def test_a_query_serializer_allows_unknown_parameters():
    query = Query(data={"name": "x", "page": "2"})
    assert query.is_valid(), query.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("day", "0001-01-01"),
        ("day", "9999-12-31"),
        ("day", "1998-12-31"),
        ("moment", "0001-01-01T00:00:00Z"),
        ("moment", "9999-12-31T23:59:59Z"),
        ("moment", "0001-01-01"),  # naive: DRF's own time zone check overflowed (500)
        ("moment", "0001-01-01T00:30"),
        ("moment", "9999-12-31T23:59"),
        ("moments", ["2026-01-01T10:00", "0001-01-01"]),
        ("days", ["2026-01-01", "9999-12-31"]),
    ],
)
def test_dates_outside_the_range_are_refused_with_the_range(field, value):
    body = Body(data={"name": "x", field: value})
    assert not body.is_valid()
    assert "Choose a date between 1999-01-01 and" in str(body.errors[field])


@pytest.mark.parametrize(
    ("field", "value"),
    [("count", 2**31), ("count", -(2**31) - 1), ("count", 10**30), ("small", 6), ("small", -1)],
)
def test_whole_numbers_outside_the_range_are_refused(field, value):
    body = Body(data={"name": "x", field: value})
    assert not body.is_valid()
    assert field in body.errors


def test_values_inside_the_limits_are_accepted():
    body = Body(
        data={
            "name": "x",
            "day": "2026-01-01",
            "moment": "2026-01-01T10:00:00+01:00",
            "count": MAX_INTEGER,
            "small": 5,
        }
    )
    assert body.is_valid(), body.errors


# --- The page form base -------------------------------------------------------------------


class Filters(PageForm):
    day = date_field("Day", required=False)
    plain = forms.DateField(required=False)
    number = forms.IntegerField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.DateField(required=False)  # added after the base's init


@pytest.mark.parametrize("name", ["day", "plain", "later"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_every_date_of_a_page_form_keeps_to_the_range(name, value):
    form = Filters({name: value})
    assert not form.is_valid()
    assert "Choose a date between 1999-01-01 and" in form.errors[name][0]


def test_numbers_of_a_page_form_keep_to_the_range_and_inputs_say_it():
    form = Filters({"number": str(2**31)})
    assert not form.is_valid() and "number" in form.errors
    assert Filters({"number": str(MAX_INTEGER), "day": "2026-05-01"}).is_valid()
    html = str(Filters()["day"])
    assert 'min="1999-01-01"' in html and f'max="{latest_date().isoformat()}"' in html
