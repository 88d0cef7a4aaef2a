"""Fuzzing with hypothesis: no input answers 5xx, on SQLite and on PostgreSQL.

- ``test_no_address_answers_a_server_error``: every URL pattern of ``get_resolver()``
  (pages, API, public pages, admin), its path converters filled with real values and with
  hypothesis text and numbers (NUL and other control characters, any script, huge
  numbers), with hypothesis query parameters (the filters' names with dates at the ends of
  the calendar, huge numbers, malformed codes); every form the answer contains is then
  posted back with hypothesis values.
- ``test_no_api_body_answers_a_server_error``: every API operation that takes a body,
  driven with bodies generated from its OpenAPI schema (drf-spectacular): each field's
  type and values beyond it, unknown fields, deep and odd JSON.

Each runs for an anonymous visitor and for each role. Bounded for the normal suite: a fixed
number of examples, derandomized (the same on every run, no example database) and without
shrinking; a failure names the request, so it is reproducible by hand.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from html import unescape
from typing import Any
from urllib.parse import quote

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from casefiles.models import Case, CaseState
from casefiles.selectors import TRANSITION_ACTIONS
from mcsc.models import Role
from mcsc.permissions import ROLE_ACTIONS
from tests.casefiles.builders import case_in, open_case, team
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "secretary", "leadership", "member", "translator", "monitor", "admin"]

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure names its request
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,  # one example visits every address
    ],
)

# --- Values ---------------------------------------------------------------------------------

# Characters from every corner: control characters (NUL first), Latin, Cyrillic, Albanian
# and Turkish letters, symbols, emoji, the characters of URLs and of SQL.
CHARS = st.one_of(
    st.sampled_from(["\x00", "\x01", "\x1b", "\x7f", "\t", "\n", "\r", " "]),
    st.sampled_from(list("/?#%&=+.;'\"<>\\*_-:")),
    st.sampled_from(list("ëçČćđšžЖжğıİş€😀\u200b\ufeff\uffff")),
    st.characters(exclude_categories=["Cs"]),
)
TEXT = st.one_of(
    st.text(CHARS, min_size=1, max_size=12),
    st.sampled_from(
        ["\x00", "a\x00b", "", " ", "0", "-1", "null", "../..", "%00", "a" * 300, "٣", "1e309"]
    ),
)
NUMBER = st.one_of(
    st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**30, 10**100]),
    st.integers(min_value=0, max_value=10**40),
)
HUGE = st.sampled_from([2**31, 2**40, 2**63, 2**70, 10**30, -(2**63) - 1, 10**100])
DATES = st.sampled_from(
    [
        "0001-01-01",
        "9999-12-31",
        "1999-12-31",
        "1998-12-31",  # the day before the first date accepted
        "0955-01-01",
        "2026-02-30",
        "2026-13-01",
        "2026-01-01",
        "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59+14:00",
        "2026-03-29T02:30",  # a time that does not exist in Kosovo (DST)
        "2026-Q5",
        "2026",
        "20260101",
    ]
)
VALUE = st.one_of(TEXT, DATES, NUMBER.map(str))

# Query parameters the pages and the API read, each with the values most likely to break
# it (and anything else), plus parameters nobody reads.
EDGE_DATES = st.sampled_from(
    ["0001-01-01", "9999-12-31", "1998-12-31", "1999-01-01", "0955-01-01", "2026-02-30"]
)
DATE_VALUE = st.one_of(EDGE_DATES, DATES, VALUE)
CODE_VALUE = st.one_of(
    st.sampled_from(["20", "04", "99", "abc", "12345", "prizren", "gjilan", "atlantis"]), VALUE
)
PARAMS: dict[str, st.SearchStrategy] = {
    "municipality": CODE_VALUE,
    "region": CODE_VALUE,
    "date_from": DATE_VALUE,
    "date_to": DATE_VALUE,
    "from": DATE_VALUE,
    "to": DATE_VALUE,
    "period": st.one_of(st.sampled_from(["1999", "9999", "2026-Q9", "2026-Q1"]), VALUE),
    "page": st.one_of(
        NUMBER.map(str), st.sampled_from(["last", "0", "-1", "1.5", "٣", str(2**70)]), VALUE
    ),
    "year": st.one_of(st.sampled_from(["1", "9999", "0", str(2**70)]), VALUE),
    "state": VALUE,
    "category": VALUE,
    "community": st.one_of(st.sampled_from(["turk", "roma", "nobody"]), VALUE),
    "q": VALUE,
    "search": VALUE,
    "overdue": st.one_of(st.sampled_from(["1", "true", "on", "maybe"]), VALUE),
    "figure": VALUE,
    "case": VALUE,
    "actor": VALUE,
    "action": VALUE,
    "language": st.one_of(st.sampled_from(["sq", "tr", "rom", "xx"]), VALUE),
    "format": st.one_of(st.sampled_from(["csv", "xlsx", "json", "api"]), VALUE),
    "kind": VALUE,
    "item": VALUE,
    "next": VALUE,
}
KEYED = st.sampled_from(sorted(PARAMS)).flatmap(lambda key: st.tuples(st.just(key), PARAMS[key]))
QUERY = st.lists(st.one_of(KEYED, KEYED, KEYED, st.tuples(TEXT, VALUE)), max_size=3).map(dict)


# --- The world the requests see --------------------------------------------------------


@dataclass
class World:
    users: dict[str, Any]
    reals: dict[str, list[str]]  # real values by converter kind
    meetings: list[int]
    path_values: dict[str, list[str]]  # real values of the API's path parameters
    team: Any


@pytest.fixture
def world() -> World:
    t = team("prizren")
    reported = open_case(t)
    drafted = case_in(t, CaseState.STATEMENT_DRAFTED)
    follow_up = case_in(t, CaseState.FOLLOW_UP)
    meeting = follow_up.convened_meeting
    users = {
        "anonymous": None,
        "secretary": t.secretary,
        "leadership": t.leadership,
        "member": user_with_role(Role.MEMBER, "prizren"),
        "translator": t.translator,
        "monitor": user_with_role(Role.MONITOR),
        "admin": user_with_role(Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
    }
    ids = [meeting.pk, 1, 2026]
    ids += list(follow_up.follow_up_actions.values_list("pk", flat=True))
    ids += list(meeting.council.members.values_list("pk", flat=True)[:1])
    ids += list(meeting.action_items.values_list("pk", flat=True)[:1])
    words = [c.reference for c in (reported, drafted, follow_up)]
    words += ["prizren", "gjilan", "20", "sq", "tr", "sr-Cyrl", "rom", "verify", "publish"]
    words += ["close", "csv", "casefiles", "mcsc", "auth", "case", "1"]
    return World(
        users=users,
        reals={"int": [str(i) for i in ids], "text": words},
        meetings=[meeting.pk],
        team=t,
        path_values={
            "reference": [c.reference for c in (reported, drafted, follow_up)],
            "language_code": ["sq", "tr", "sr-Cyrl", "rom"],
            "action_id": [str(a) for a in follow_up.follow_up_actions.values_list("pk", flat=True)],
        },
    )


def client_as(world: World, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def body_of(response) -> bytes:
    """The whole body; a streamed one (the CSV exports) is read to its end, where an error
    would break the download half-way."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def isolated(send, *args, **kwargs):
    """One request whose writes are rolled back afterwards (a savepoint of the test's
    transaction): every example meets the same world, and the cases stay in the states
    their steps need. Returns the response and its whole body."""
    with transaction.atomic():
        response = send(*args, **kwargs)
        body = body_of(response)
        transaction.set_rollback(True)
    return response, body


def failure(role: str, method: str, path: str, data: Any, response, body: bytes) -> str:
    return f"{role}: {method} {path} {data!r} answered {response.status_code}: {body[:2000]!r}"


# --- Every URL pattern ----------------------------------------------------------------------

_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")


@dataclass(frozen=True)
class Address:
    template: str  # with {0}, {1}, ... for the converters
    kinds: tuple[str, ...]  # "int" or "text" for each
    name: str
    slow: bool  # renders a PDF or the whole OpenAPI schema: fuzzed values only, once


def _route(pattern) -> tuple[str, list[str]] | None:
    if isinstance(pattern, RoutePattern):
        text, kinds = str(pattern), []
        for match in _CONVERTER.finditer(str(pattern)):
            kinds.append("int" if match["kind"] == "int" else "text")
        count = iter(range(100))
        return _CONVERTER.sub(lambda _m: f"{{{next(count)}}}", text), kinds
    if isinstance(pattern, RegexPattern):
        text = str(pattern).removeprefix("^").removesuffix("$")
        kinds, count = [], iter(range(100))

        def group(_m):
            kinds.append("text")
            return f"{{{next(count)}}}"

        text = _GROUP.sub(group, text).replace("\\.", ".")
        if re.search(r"[\\()\[\]*+?|^$]", text):
            return None  # not a plain address after its groups: nothing to fill
        return text, kinds
    return None


def _renumber(text: str, offset: int) -> str:
    return re.sub(r"\{(\d+)\}", lambda m: f"{{{int(m[1]) + offset}}}", text)


def addresses() -> list[Address]:
    found: list[Address] = []

    def walk(patterns, prefix: str, kinds: list[str]) -> None:
        for entry in patterns:
            route = _route(entry.pattern)
            if route is None:
                continue
            text, more = route
            text = _renumber(text, len(kinds))
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + text, kinds + more)
            elif isinstance(entry, URLPattern):
                template = "/" + prefix + text
                slow = template.endswith(".pdf") or entry.name in ("api-schema", "api-docs")
                found.append(Address(template, tuple(kinds + more), entry.name or "", slow))

    walk(get_resolver().url_patterns, "", [])
    return found


ADDRESSES = addresses()


def test_the_fuzz_reaches_every_kind_of_address():
    names = {a.name for a in ADDRESSES}
    assert len(ADDRESSES) > 150
    for name in ("detail", "step", "statistics", "meeting", "api-case-detail", "api-token"):
        assert name in names, name
    assert any(a.template.startswith("/admin/") for a in ADDRESSES)
    assert any("{" in a.template for a in ADDRESSES if a.template.startswith("/api/v1/"))


def fill(data, world: World, address: Address) -> str:
    values = []
    for kind in address.kinds:
        fuzz = NUMBER.map(str) if kind == "int" else TEXT
        real = world.reals[kind]
        strategy = fuzz if address.slow else st.one_of(st.sampled_from(real), fuzz)
        values.append(quote(data.draw(strategy), safe=""))
    return address.template.format(*values)


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_ATTR = re.compile(r'\b(\w+)="([^"]*)"')
_FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)
SKIPPED_FORMS = ("/accounts/logout/", "/i18n/setlang/", "/delete/")


FORM_VALUES = st.lists(st.tuples(st.booleans(), VALUE), min_size=24, max_size=24)


def post_forms(values: list, client, role: str, path: str, html: str) -> None:
    """Post every form of the page back, its fields filled (or left out) with ``values``:
    drawn before the page was seen, so that what hypothesis draws never depends on it."""
    for attrs, body in _FORM.findall(html):
        attr = dict(_ATTR.findall(attrs))
        if attr.get("method", "get").lower() != "post":
            continue
        action = unescape(attr.get("action") or path)
        if any(skip in action for skip in SKIPPED_FORMS) or not action.startswith("/"):
            continue
        names = sorted(set(_FIELD.findall(body)) - {"csrfmiddlewaretoken"})
        form = {name: value for name, (sent, value) in zip(names, values, strict=False) if sent}
        response, answer = isolated(client.post, action, form)
        assert response.status_code < 500, failure(role, "POST", action, form, response, answer)


def visit(client, role: str, path: str, query: dict, values: list, slow: bool) -> None:
    response, body = isolated(client.get, path, query)
    assert response.status_code < 500, failure(role, "GET", path, query, response, body)
    html = body.decode(errors="replace")
    if response.status_code == 200 and 'method="post"' in html and not slow:
        post_forms(values, client, role, path, html)


# A sweep over every address draws its values from a pool, so that one example stays
# within what hypothesis can generate; the pool itself is hypothesis' choice each time.
# Besides, every address without path parameters (the lists, dashboards and exports, where
# the filters are) is asked once with each of these: every filter of a kind at once.
PROFILES = st.tuples(
    st.fixed_dictionaries(dict.fromkeys(("date_from", "date_to", "from", "to"), EDGE_DATES)),
    st.fixed_dictionaries({"municipality": CODE_VALUE, "region": CODE_VALUE}),
    st.fixed_dictionaries({"period": PARAMS["period"], "page": PARAMS["page"]}),
    st.fixed_dictionaries(
        {key: PARAMS[key] for key in sorted(PARAMS) if key not in ("period", "page")},
    ),
)
POOL = st.fixed_dictionaries(
    {
        "text": st.lists(TEXT, min_size=16, max_size=16),
        "int": st.lists(NUMBER.map(str), min_size=8, max_size=8),
        "query": st.lists(QUERY, min_size=8, max_size=8),
        "form": FORM_VALUES,
        "profiles": PROFILES,
    }
)


def fill_from_pool(pool: dict, world: World, address: Address, index: int) -> str:
    values = []
    for position, kind in enumerate(address.kinds):
        n = index + position
        real = world.reals[kind]
        value = real[n % len(real)] if n % 2 == 0 and not address.slow else None
        values.append(quote(value or pool[kind][n % len(pool[kind])], safe=""))
    return address.template.format(*values)


def addresses_for(role: str) -> list[Address]:
    """The admin's addresses are for staff (everyone else is sent to its login), and the
    slow ones (PDFs, the whole schema) are asked for by two roles only."""
    if role in ("anonymous", "admin"):
        return ADDRESSES
    return [a for a in ADDRESSES if not (a.slow or a.template.startswith("/admin/"))]


@pytest.mark.parametrize("role", ROLES)
@settings(FUZZ, max_examples=2)
@given(data=st.data())
def test_every_address_answers_without_a_server_error(world, role, data):
    """Every address, each example with values, queries and form values from a pool; the
    addresses without parameters also with every filter of a kind at once."""
    client = client_as(world, role)
    pool = data.draw(POOL)
    for index, address in enumerate(addresses_for(role)):
        path = fill_from_pool(pool, world, address, index)
        query = pool["query"][index % len(pool["query"])]
        visit(client, role, path, query, pool["form"], address.slow)
        if not address.kinds and not address.slow:
            for profile in pool["profiles"]:
                response, body = isolated(client.get, path, profile)
                assert response.status_code < 500, failure(
                    role, "GET", path, profile, response, body
                )


@pytest.mark.parametrize("role", ROLES)
@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_no_address_answers_a_server_error(world, role, data):
    """Many examples, each one address of hypothesis' choice, its values and query."""
    client = client_as(world, role)
    address = data.draw(st.sampled_from(addresses_for(role)))
    path = fill(data, world, address)
    visit(client, role, path, data.draw(QUERY), data.draw(FORM_VALUES), address.slow)


# --- Every API field ----------------------------------------------------------------------


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


SCHEMA = _schema()
COMPONENTS = SCHEMA["components"]["schemas"]
OPERATIONS = sorted(
    (method, path, operation["requestBody"]["content"]["application/json"]["schema"])
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if method in ("post", "put", "patch") and "requestBody" in operation
)

JSON_SCALAR = st.one_of(st.none(), st.booleans(), NUMBER, st.floats(allow_nan=False), TEXT)
ANY_JSON = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8,
)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        merged: dict = {}
        for part in schema["allOf"]:
            merged.update(_resolve(part))
        return merged
    return schema


# Plausible values by field name, so that a body gets past the serializer to the service
# often enough for the one field that is fuzzed to reach the rules and the database.
HINTS: dict[str, list[Any]] = {
    "affected_community": ["turk", "roma", "serb"],
    "language": ["sq", "tr", "sr-Cyrl", "rom"],
    "municipality": ["20", "04"],
    "role": ["victim", "witness", "reporter"],
    "latitude": ["42.2", "41.5"],
    "longitude": ["20.7", "21.1"],
}


def _writable(schema: dict) -> dict[str, dict]:
    return {n: p for n, p in schema.get("properties", {}).items() if not p.get("readOnly")}


def _today(days: int = 0) -> str:
    from django.utils import timezone

    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


def _now(days: int = 0) -> str:
    from django.utils import timezone

    return (timezone.now() - dt.timedelta(days=days)).isoformat()


def plausible(
    schema: dict, hints: dict, name: str = "", depth: int = 0, *, complete: bool = False
) -> st.SearchStrategy:
    """A value the field would accept, as a client that means well would send it
    (``complete``: with every optional field too)."""
    schema = _resolve(schema)
    if name in hints:
        return st.sampled_from(hints[name])
    if "oneOf" in schema or "anyOf" in schema:
        return plausible((schema.get("oneOf") or schema.get("anyOf"))[0], hints, name, depth)
    if "enum" in schema:
        return st.sampled_from([v for v in schema["enum"] if v not in (None, "")] or [""])
    kind = schema.get("type")
    if kind == "object" and depth < 3:
        properties = _writable(schema)
        required = set(schema.get("required", []))
        values = {
            n: plausible(p, hints, n, depth + 1, complete=complete) for n, p in properties.items()
        }
        if complete:
            return st.fixed_dictionaries(values)
        return st.fixed_dictionaries(
            {n: v for n, v in values.items() if n in required},
            optional={n: v for n, v in values.items() if n not in required},
        )
    if kind == "array" and depth < 3:
        items = plausible(schema.get("items", {}), hints, name, depth + 1, complete=complete)
        return st.lists(items, min_size=1, max_size=2)
    if kind == "integer":
        return st.integers(min_value=1, max_value=5)
    if kind == "boolean":
        return st.booleans()
    if schema.get("format") == "date":
        return st.builds(_today, st.integers(0, 3))
    if schema.get("format") == "date-time":
        return st.builds(_now, st.integers(1, 3))
    return st.sampled_from(["Windows broken at night.", "Mamushë", "Ahmet Kaya", "Office"])


def hostile(schema: dict) -> st.SearchStrategy:
    """A value of the field's type at or beyond its edges, or of another type."""
    schema = _resolve(schema)
    kind = schema.get("type")
    if kind == "integer":
        typed = st.one_of(HUGE, NUMBER, NUMBER.map(lambda n: -n), st.integers(-5, 5))
    elif kind == "number":
        typed = st.one_of(NUMBER, st.floats(allow_nan=False))
    elif kind == "array":
        typed = st.lists(st.one_of(hostile(schema.get("items", {})), ANY_JSON), max_size=4)
    elif kind == "object":
        typed = st.dictionaries(TEXT, ANY_JSON, max_size=3)
    elif schema.get("format") in ("date", "date-time"):
        typed = st.one_of(EDGE_DATES, DATES, TEXT)
    else:
        typed = TEXT
    return st.one_of(typed, typed, typed, JSON_SCALAR, ANY_JSON)


@st.composite
def from_schema(draw, schema: dict, hints: dict) -> Any:
    """A plausible body with one field (sometimes two, sometimes none) made hostile, or an
    unknown one added; nested objects (people, follow-up actions) get the same treatment."""
    schema = _resolve(schema)
    body = draw(plausible(schema, hints))
    properties = _writable(schema)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 0]))):
        name = draw(st.sampled_from([*sorted(properties), "unknown_field"]))
        spec = _resolve(properties.get(name, {}))
        if spec.get("type") == "array" and _resolve(spec.get("items", {})).get("type") == "object":
            body[name] = [draw(from_schema(spec["items"], hints))]
        else:
            body[name] = draw(hostile(spec))
    return body


def api_client_as(world: World, role: str) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if world.users[role] is not None:
        client.force_authenticate(world.users[role])
    return client


def test_the_fuzz_drives_every_write_operation_of_the_api():
    paths = {path for _method, path, _schema in OPERATIONS}
    assert "/api/v1/cases/" in paths and "/api/v1/cases/{reference}/transitions/verify/" in paths
    assert len(OPERATIONS) >= 18
    assert {name for name, _sources in TRANSITION_SOURCES.items()} == set(TRANSITION_ACTIONS)


# Who can take a body past the view's checks to the service, on which case: the transition's
# source states (django-fsm) and the roles that hold its right; for the other operations,
# the role and the states where they are allowed. The fuzz asks them most of the time, so
# that the one hostile field of a plausible body reaches the rules and the database.
TRANSITION_SOURCES: dict[str, set[str]] = {}
for _transition in Case._meta.get_field("state").get_all_transitions(Case):
    TRANSITION_SOURCES.setdefault(_transition.name, set()).add(_transition.source)
ROLE = {
    "secretary": Role.SECRETARY,
    "leadership": Role.LEADERSHIP,
    "member": Role.MEMBER,
    "translator": Role.TRANSLATOR,
    "monitor": Role.MONITOR,
    "admin": Role.ADMINISTRATOR,
}
OTHER_OPERATIONS: dict[str, tuple[str, set[str] | None]] = {
    "/api/v1/cases/": ("secretary", None),
    "/api/v1/cases/{reference}/": ("secretary", None),
    "/api/v1/cases/{reference}/people/": ("secretary", None),
    "/api/v1/cases/{reference}/outreach/": ("secretary", {CaseState.FOLLOW_UP}),
    "/api/v1/cases/{reference}/follow-up-actions/": ("secretary", {CaseState.FOLLOW_UP}),
    "/api/v1/cases/{reference}/follow-up-actions/{action_id}/": (
        "secretary",
        {CaseState.FOLLOW_UP},
    ),
    "/api/v1/cases/{reference}/translations/{language_code}/": (
        "translator",
        {CaseState.STATEMENT_DRAFTED, CaseState.STATEMENT_APPROVED},
    ),
    "/api/v1/auth/token/": ("anonymous", None),
}


def suitable(path: str) -> tuple[list[str], set[str] | None]:
    """The roles and case states that get a body of ``path`` to its service."""
    if "/transitions/" in path:
        name = path.rstrip("/").rsplit("/", 1)[-1]
        action = TRANSITION_ACTIONS[name]
        roles = [r for r in ROLES if r != "anonymous" and action in ROLE_ACTIONS[ROLE[r]]]
        return roles, TRANSITION_SOURCES[name]
    role, states = OTHER_OPERATIONS[path]
    return [role], states


LIFECYCLE = [
    CaseState.REPORTED,
    CaseState.VERIFIED,
    CaseState.COUNCIL_CONVENED,
    CaseState.STATEMENT_DRAFTED,
    CaseState.STATEMENT_APPROVED,
    CaseState.STATEMENT_PUBLISHED,
    CaseState.OUTREACH_CONDUCTED,
    CaseState.FOLLOW_UP,
    CaseState.CLOSED,
    CaseState.DISMISSED,
]


@pytest.fixture
def cases_in_every_state(world) -> dict[str, list[str]]:
    """The reference of a case in each state of the lifecycle. Requests are rolled back
    (``isolated``), so a step taken by one example leaves the case as it was."""
    by_state: dict[str, list[str]] = {}
    for state in LIFECYCLE:
        case = case_in(world.team, state)
        by_state[state] = [case.reference]
        actions = case.follow_up_actions.values_list("pk", flat=True)
        world.path_values["action_id"] += [str(pk) for pk in actions]
    return by_state


@settings(FUZZ, max_examples=300)
@given(data=st.data())
def test_no_api_body_answers_a_server_error(world, cases_in_every_state, data):
    """Each example: an operation, a role and a case (mostly ones that reach the service),
    and a body: plausible with hostile fields, any JSON, deep JSON, or not JSON at all."""
    method, path, schema = data.draw(st.sampled_from(OPERATIONS))
    roles, states = suitable(path)
    everyone = sorted({r for refs in cases_in_every_state.values() for r in refs})
    fitting = sorted(
        r
        for state, refs in cases_in_every_state.items()
        for r in refs
        if states is None or state in states
    )
    if data.draw(st.integers(0, 3)):  # three times in four, who and what reach the service
        role = data.draw(st.sampled_from(roles))
        reference = data.draw(st.sampled_from(fitting))
    else:
        role = data.draw(st.sampled_from(ROLES))
        reference = data.draw(st.one_of(st.sampled_from(everyone), TEXT))
    for name in re.findall(r"\{(\w+)\}", path):
        if name == "reference":
            value = reference
        else:
            real = st.sampled_from(world.path_values[name])
            value = data.draw(st.one_of(real, real, real, TEXT, NUMBER.map(str)))
        path = path.replace(f"{{{name}}}", quote(value, safe=""))
    shape = data.draw(st.sampled_from(["schema"] * 6 + ["json", "deep", "raw"]))
    if shape == "schema":
        hints = {**HINTS, "meeting": world.meetings}
        body = json.dumps(data.draw(from_schema(schema, hints)))
    elif shape == "json":
        body = json.dumps(data.draw(ANY_JSON))
    elif shape == "deep":
        levels = data.draw(st.sampled_from([33, 1000, 100_000]))
        body = "[" * levels + "]" * levels
    else:
        body = data.draw(st.sampled_from(["{", "", "null", "[]", '{"a": NaN}', '"\\ud800"']))
    client = api_client_as(world, role)
    send = getattr(client, method)
    response, answer = isolated(send, path, body, content_type="application/json")
    assert response.status_code < 500, failure(role, method.upper(), path, body, response, answer)


# --- Every field of every write operation ---------------------------------------------------


def fields_of(schema: dict) -> list[tuple[str, ...]]:
    """The writable fields of a body: ``(name,)``, or ``(name, field)`` inside the objects of
    a list (people, follow-up actions); and one field that does not exist."""
    paths: list[tuple[str, ...]] = []
    for name, spec in _writable(_resolve(schema)).items():
        paths.append((name,))
        items = _resolve(_resolve(spec).get("items", {}))
        if items.get("type") == "object":
            paths += [(name, field) for field in _writable(items)]
    return [*paths, ("unknown_field",)]


def _kind(spec: dict) -> str:
    spec = _resolve(spec)
    if spec.get("type") in ("integer", "number"):
        return "integer"
    if spec.get("format") in ("date", "date-time"):
        return "date"
    if spec.get("type") in ("array", "object"):
        return spec["type"]
    return "string"


HOSTILE_POOL = st.fixed_dictionaries(
    {
        kind: st.lists(hostile(schema), min_size=6, max_size=6)
        for kind, schema in {
            "integer": {"type": "integer"},
            "date": {"type": "string", "format": "date"},
            "string": {"type": "string"},
            "array": {"type": "array", "items": {}},
            "object": {"type": "object"},
        }.items()
    }
)


@settings(FUZZ, max_examples=3)
@given(data=st.data())
def test_every_api_field_answers_without_a_server_error(world, cases_in_every_state, data):
    """Every field of every write operation, one at a time: a complete plausible body with
    that one field hostile, sent by a role and for a case that take it to the service."""
    hints = {**HINTS, "meeting": world.meetings}
    pool = data.draw(HOSTILE_POOL)
    index = 0
    for method, template, schema in OPERATIONS:
        base = data.draw(plausible(schema, hints, complete=True))
        roles, states = suitable(template)
        fitting = [
            ref
            for state, refs in sorted(cases_in_every_state.items())
            if states is None or state in states
            for ref in refs
        ]
        client = api_client_as(world, roles[0])
        for field in fields_of(schema):
            index += 1
            body = json.loads(json.dumps(base))
            properties = _writable(_resolve(schema))
            if len(field) == 1:
                spec = properties.get(field[0], {})
                body[field[0]] = pool[_kind(spec)][index % 6]
            else:
                name, inner = field
                spec = _writable(_resolve(_resolve(properties[name])["items"]))[inner]
                body[name][0][inner] = pool[_kind(spec)][index % 6]
            path = template.replace("{reference}", fitting[index % len(fitting)])
            path = path.replace("{language_code}", "tr")
            path = path.replace("{action_id}", world.path_values["action_id"][0])
            text = json.dumps(body)
            send = getattr(client, method)
            response, answer = isolated(send, path, text, content_type="application/json")
            assert response.status_code < 500, failure(
                roles[0], method.upper(), path, text, response, answer
            )
