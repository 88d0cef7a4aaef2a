"""The API answers as its OpenAPI schema says: schemathesis against ``/api/schema/``.

Every operation of the schema, for a secretary, a leadership and a monitor token, driven in
process through the WSGI application with requests schemathesis generates from the schema:
valid ones (positive) and ones that break it (negative), their path parameters mostly real
(the cases, meetings and actions of a small dataset) so that the requests reach the views
rather than a 404. Each response must

- not be a server error (5xx),
- have a status code the operation documents,
- have a documented content type, and a body that conforms to the documented schema.

Each example's writes are rolled back afterwards (a savepoint of the test's transaction), so
every example meets the same dataset. Bounded: ``API_SCHEMA_EXAMPLES`` examples per
operation and role (default 20), derandomized, no example database, no shrinking (a failure
names its request as a curl command). A longer run: ``API_SCHEMA_EXAMPLES=300 make test``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken
from casefiles.models import CaseState
from mcsc.models import Community, Language, Municipality, Role
from tests.casefiles.builders import case_in, open_case, team
from tests.factories import api_token_key, user_with_role

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("API_SCHEMA_EXAMPLES", "20"))
ROLES = ["secretary", "leadership", "monitor"]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Rendering a draft PDF takes about a second: a few examples cover its answers.
SLOW = {"GET /api/v1/meetings/{id}/minutes/{version}/{language}.pdf": 5}

RUN = settings(
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure names its request
    suppress_health_check=list(HealthCheck),
)


def _operations() -> list[str]:
    """``METHOD /path`` of every operation, from the schema the API serves."""
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return [f"{method.upper()} {path}" for path, item in paths.items() for method in item]


OPERATIONS = _operations()


@cache
def served_schema() -> schemathesis.schemas.BaseSchema:
    """The schema as ``GET /api/schema/`` serves it, its operations called in process."""
    with django_in_process():
        return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@contextmanager
def django_in_process() -> Iterator[None]:
    """Requests through the WSGI handler inside the test's transaction: the handler's signals
    would close the test's database connection at each request (Django's test client
    disconnects them the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class World:
    tokens: dict[str, str]
    path_values: dict[str, Any]  # by name, and by path prefix, then name


@pytest.fixture
def world() -> World:
    """A municipality with a case in every state, a held meeting with its action item, and
    the three tokens; the path parameters are filled from these most of the time."""
    t = team("prizren")
    cases = [open_case(t)]
    cases += [
        case_in(t, state)
        for state in (
            CaseState.VERIFIED,
            CaseState.STATEMENT_DRAFTED,
            CaseState.STATEMENT_APPROVED,
            CaseState.STATEMENT_PUBLISHED,
            CaseState.FOLLOW_UP,
            CaseState.CLOSED,
            CaseState.DISMISSED,
        )
    ]
    follow_up = cases[-3]
    meeting = follow_up.convened_meeting
    users = {
        "secretary": t.secretary,
        "leadership": t.leadership,
        "monitor": user_with_role(Role.MONITOR),
    }
    tokens = {role: api_token_key(user) for role, user in users.items()}
    actions = list(follow_up.follow_up_actions.values_list("pk", flat=True))
    return World(
        tokens=tokens,
        path_values={
            "reference": [c.reference for c in cases],
            "language_code": ["sq", "sr-Cyrl", "tr", "rom", "bs"],
            "language": ["sq", "sr-Cyrl", "tr"],
            "version": [1, 2],
            "action_id": actions,
            "id": [meeting.pk],
            "/api/v1/auth/tokens/": {"id": list(ApiToken.objects.values_list("pk", flat=True))},
            "/api/v1/languages/": {"code": codes(Language)},
            "/api/v1/communities/": {"code": codes(Community)},
            "/api/v1/municipalities/": {"code": codes(Municipality)},
        },
    )


def codes(model) -> list[str]:
    return list(model.objects.order_by("code").values_list("code", flat=True))


def real_values(operation, world: World) -> dict[str, list]:
    """Real values of the operation's path parameters, by name (one of the same name may
    mean another object under another path)."""
    values = dict(world.path_values)
    for prefix, specific in world.path_values.items():
        if prefix.startswith("/") and operation.path.startswith(prefix):
            values.update(specific)
    return {p.name: values.get(p.name) for p in operation.path_parameters}


def cases_for(operation, world: World) -> st.SearchStrategy:
    """Generated requests, positive and negative, mostly with real path parameters."""
    values = real_values(operation, world)
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    generated = [operation.as_strategy(generation_mode=mode) for mode in modes]
    if not values or not all(values.values()):
        return st.one_of(generated)
    real = st.fixed_dictionaries({name: st.sampled_from(v) for name, v in values.items()})
    realistic = [
        real.flatmap(lambda values, mode=mode: operation.as_strategy(mode, path_parameters=values))
        for mode in modes
    ]
    return st.one_of(*realistic, *realistic, *realistic, *generated)


def check_operation(label: str, world: World, role: str) -> str | None:
    """Run one operation's examples; the failure report, or None."""
    method, path = label.split(" ", 1)
    operation = served_schema()[path][method]
    headers = {"Authorization": f"Token {world.tokens[role]}"}

    @settings(RUN, max_examples=min(EXAMPLES, SLOW.get(label, EXAMPLES)))
    @given(case=cases_for(operation, world))
    def answers_as_documented(case):
        with django_in_process(), transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        answers_as_documented()
    except Exception as exc:  # every operation is tried; the test reports them all
        return f"{role}: {label}\n{exc}"
    return None


# The dataset takes seconds to build: each test builds it once for one role and half of the
# operations (reads or writes), two halves that pytest-xdist can spread over two cores.
HALVES = {
    "reads": [label for label in OPERATIONS if label.startswith(("GET ", "HEAD "))],
    "writes": [label for label in OPERATIONS if not label.startswith(("GET ", "HEAD "))],
}


@pytest.mark.parametrize("half", sorted(HALVES))
@pytest.mark.parametrize("role", ROLES)
def test_every_answer_is_the_documented_one(world, role, half):
    failures = [
        failure
        for label in HALVES[half]
        if (failure := check_operation(label, world, role)) is not None
    ]
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)


def test_the_fuzzing_covers_every_operation_of_the_served_schema():
    served = {
        f"{result.ok().method.upper()} {result.ok().path}"
        for result in served_schema().get_all_operations()
    }
    assert served == set(OPERATIONS)
    assert len(OPERATIONS) > 40


# OPTIONS and HEAD are not in the schema (drf-spectacular documents neither), but every
# client may send them: DRF's metadata describes a view's input through its serializer and,
# before a PUT, its object, which a view with its own lookups must provide.
@pytest.mark.parametrize("role", ROLES)
def test_options_and_head_answer_every_address_without_a_server_error(world, role):
    schema = served_schema()
    headers = {"HTTP_AUTHORIZATION": f"Token {world.tokens[role]}"}
    client = Client(raise_request_exception=False)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        values = real_values(operation, world)
        path = operation.path.format(**{name: v[0] for name, v in values.items() if v})
        for method in ("options", "head"):
            response = getattr(client, method)(path, **headers)
            if response.status_code >= 500 or (
                method == "options" and response["Content-Type"] != "application/json"
            ):
                failures.append(f"{method.upper()} {path}: {response.status_code}")
            elif method == "options" and response.status_code == 200:
                assert response.json()["name"], path
    assert not failures, failures
