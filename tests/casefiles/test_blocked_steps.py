"""A step that would be refused is shown as such, with why and the way forward.

For each reason a step can be blocked: the case page shows the step disabled (not a link)
with the reason and the links that put it right, the step page says the same instead of a
form, and the API lists the step in ``transitions`` with ``blocked_by`` and leaves it out
of ``available_transitions``.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefiles import services
from casefiles.models import Case, CaseState, Statement, StatementStatus
from mcsc.councils.services import meeting_create
from mcsc.models import Language, Meeting, Role
from mcsc.permissions import forget_scope
from mcsc.services import role_assign
from tests.casefiles.builders import (
    Team,
    api_client,
    case_in,
    held_meeting,
    page_client,
    team,
    translate_all,
)
from tests.factories import municipality, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Blocked:
    """A case whose ``step`` is blocked for the user ``make`` returns, and what they are told."""

    code: str
    step: str
    make: Callable[[Team], tuple[Case, object]]
    message: Callable[[Case], list[str]]  # fragments of the reason
    links: Callable[[Case], list[str]]  # the ways forward (paths)

    def __str__(self) -> str:
        return self.code


def _not_held_meeting(t: Team):
    case = case_in(t, CaseState.VERIFIED)
    meeting_create(
        user=t.secretary,
        municipality=case.municipality,
        kind="regular",
        starts_at=timezone.now() + dt.timedelta(days=7),
        place="Municipal assembly hall",
        agenda=[{"case": case}],
    )
    return case, t.secretary


def _meeting_paths(case: Case) -> list[str]:
    new = reverse("mcsc:meeting-new")
    (meeting,) = Meeting.objects.filter(municipality=case.municipality)
    return [
        reverse("mcsc:meeting", args=[meeting.pk]),
        f"{new}?case={case.reference}",
        f"{new}?case={case.reference}&schedule=1",
    ]


def _no_statement(t: Team):
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    # The version was reviewed meanwhile (a concurrent review, a repair by hand).
    Statement.objects.filter(case=case).update(status=StatementStatus.APPROVED)
    return case, t.leadership


def _own_draft(t: Team):
    drafter = user_with_role(Role.SECRETARY, t.slug)
    role_assign(user=drafter, role=Role.LEADERSHIP, municipality=municipality(t.slug))
    forget_scope(drafter)
    case = case_in(t, CaseState.COUNCIL_CONVENED)
    services.statement_draft(
        user=drafter,
        case=case,
        language=Language.objects.get(code="sq"),
        title="Komuna dënon sulmin",
        text="Komuna dënon sulmin.",
    )
    return case, drafter


def _translations_missing(t: Team):
    case = case_in(t, CaseState.STATEMENT_APPROVED)
    services.translation_save(
        user=t.translator,
        case=case,
        language=Language.objects.get(code="tr"),
        title="Başlık",
        text="Metin",
    )
    return case, t.secretary


def _translation_paths(case: Case) -> list[str]:
    return [
        reverse("casefiles:translation", args=[case.reference, code])
        for code in ("sr-Cyrl", "tr", "bs", "rom")
    ]


BLOCKED = [
    Blocked(
        "no_qualifying_meeting",
        "convene",
        _not_held_meeting,
        lambda case: [
            "No recorded council meeting can count for this case",
            "The meeting has not taken place yet.",
            "The meeting&#x27;s attendance has not been recorded.",
        ],
        _meeting_paths,
    ),
    Blocked(
        "no_statement",
        "approve",
        _no_statement,
        lambda case: ["No statement awaits approval."],
        lambda case: [],
    ),
    Blocked(
        "four_eyes",
        "approve",
        _own_draft,
        lambda case: ["You drafted this statement; another member of the leadership"],
        lambda case: [],
    ),
    Blocked(
        "translations_missing",
        "publish",
        _translations_missing,
        # Named in the interface language, in the municipality's order.
        lambda case: [
            "An approved translation is missing for: Serbian (Cyrillic), Turkish, Bosnian, Romani."
        ],
        _translation_paths,
    ),
    Blocked(
        "follow_up_actions_open",
        "close",
        lambda t: (case_in(t, CaseState.FOLLOW_UP), t.secretary),
        lambda case: ["Mark each action done or dropped", "Install street lighting"],
        lambda case: [reverse("casefiles:detail", args=[case.reference]) + "#follow-up"],
    ),
]


def step_url(case: Case, name: str) -> str:
    return reverse("casefiles:step", args=[case.reference, name])


def blocked_item(page: str, name: str) -> str:
    """The case page's list item of the blocked step ``name``."""
    found = re.search(
        r'<li class="step-actions__item step-actions__item--blocked">\s*<button[^>]*'
        rf'aria-describedby="blocked-{name}".*?</ul>\s*</div>\s*</li>',
        page,
        re.S,
    )
    assert found, f"{name} is not shown blocked"
    return found.group(0)


@pytest.mark.parametrize("blocked", BLOCKED, ids=str)
def test_the_case_page_shows_a_blocked_step_disabled_with_why_and_the_way_forward(blocked):
    case, user = blocked.make(team("prizren"))

    page = page_client(user).get(reverse("casefiles:detail", args=[case.reference]))

    assert page.status_code == 200
    html = page.content.decode()
    assert step_url(case, blocked.step) not in html  # not a link
    item = blocked_item(html, blocked.step)
    assert 'aria-disabled="true"' in item and 'type="button"' in item
    assert f'<span class="visually-hidden"> — {case.reference}</span>' in item
    assert f'id="blocked-{blocked.step}"' in item and f'data-code="{blocked.code}"' in item
    for fragment in blocked.message(case):
        assert fragment in item
    for path in blocked.links(case):
        assert f'href="{path.replace("&", "&amp;")}"' in item


@pytest.mark.parametrize("blocked", BLOCKED, ids=str)
def test_the_step_page_of_a_blocked_step_says_why_instead_of_a_form(blocked):
    case, user = blocked.make(team("prizren"))

    page = page_client(user).get(step_url(case, blocked.step))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="form step-form"' not in html
    if blocked.step == "convene":
        # The convene page says it meeting by meeting (tests/casefiles/test_convene_from_case.py)
        # and offers the same ways out.
        assert "Record the council meeting for this case" in html
    else:
        assert "This step is not possible yet" in html
        for fragment in blocked.message(case):
            assert fragment in html
    for path in blocked.links(case):
        assert f'href="{path.replace("&", "&amp;")}"' in html


@pytest.mark.parametrize("blocked", BLOCKED, ids=str)
def test_the_api_lists_a_blocked_step_with_its_reasons_and_links(blocked):
    case, user = blocked.make(team("prizren"))

    response = api_client(user).get(f"/api/v1/cases/{case.reference}/")

    assert response.status_code == 200
    body = response.json()
    assert blocked.step not in body["available_transitions"]
    step = next(s for s in body["transitions"] if s["name"] == blocked.step)
    assert step["available"] is False
    assert [b["code"] for b in step["blocked_by"]] == [blocked.code]
    (reason,) = step["blocked_by"]
    for fragment in blocked.message(case):
        assert unescape(fragment) in reason["message"]
    assert [link["url"] for link in reason["links"]] == [
        f"http://testserver{path}" for path in blocked.links(case)
    ]
    assert all(link["label"] for link in reason["links"])


def test_every_way_forward_opens_for_the_user_it_is_offered_to():
    """No dead end: each link of each blocker answers 200 to the user it is shown to."""
    for blocked in BLOCKED:
        case, user = blocked.make(team("prizren"))
        body = api_client(user).get(f"/api/v1/cases/{case.reference}/").json()
        client = page_client(user)
        for step in body["transitions"]:
            for reason in step["blocked_by"]:
                for link in reason["links"]:
                    path = link["url"].removeprefix("http://testserver")
                    assert client.get(path).status_code == 200, (blocked.code, path)


def test_an_available_step_is_listed_available_in_both_fields():
    t = team("prizren")
    case = case_in(t, CaseState.STATEMENT_APPROVED)
    translate_all(t, case)

    body = api_client(t.secretary).get(f"/api/v1/cases/{case.reference}/").json()

    assert body["available_transitions"] == ["publish"]
    assert body["transitions"] == [{"name": "publish", "available": True, "blocked_by": []}]
    page = page_client(t.secretary).get(reverse("casefiles:detail", args=[case.reference]))
    html = page.content.decode()
    assert re.search(
        rf'<a class="button" href="{step_url(case, "publish")}">Publish the statement'
        rf'<span class="visually-hidden"> — {case.reference}</span></a>',
        html,
    )
    assert "step-actions__item--blocked" not in html


def queries_of(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_blockers_take_the_same_number_of_queries_whatever_the_number_of_meetings():
    t = team("prizren")
    few, many = case_in(t, CaseState.VERIFIED), case_in(t, CaseState.VERIFIED)
    # One meeting on the agenda of the first case; three and a held one without quorum on
    # the agenda of the second.
    for case, days in ((few, [7]), (many, [7, 14, 21])):
        for starts in days:
            meeting_create(
                user=t.secretary,
                municipality=case.municipality,
                kind="regular",
                starts_at=timezone.now() + dt.timedelta(days=starts),
                place="Hall",
                agenda=[{"case": case}],
            )
    held_meeting(t, many, present=1, members=4)
    client, api = page_client(t.secretary), api_client(t.secretary)

    for name, path in (
        ("case page", lambda case: reverse("casefiles:detail", args=[case.reference])),
        ("step page", lambda case: step_url(case, "convene")),
        ("API", lambda case: f"/api/v1/cases/{case.reference}/"),
    ):
        user_client = api if name == "API" else client
        assert queries_of(user_client, path(few)) == queries_of(user_client, path(many)), name


def test_the_pages_of_a_case_awaiting_its_council_stay_within_their_query_pins(
    django_assert_max_num_queries,
):
    """Only while the council may be convened are the meetings read: the meetings with the
    case on their agenda, their agenda items, attendance and council members: four queries,
    within the case page's pin, above the API's, which is measured on a case in follow-up
    (a secretary's read: with the people and its audit event)."""
    from tests.casefiles.test_api import DETAIL_QUERIES_WITH_PEOPLE as API_DETAIL_QUERIES
    from tests.casefiles.test_api import token_client
    from tests.casefiles.test_pages import DETAIL_QUERIES as PAGE_DETAIL_QUERIES

    t = team("prizren")
    case = case_in(t, CaseState.VERIFIED)
    held_meeting(t, case, present=1, members=4)
    client, api = page_client(t.secretary), token_client(t.secretary)
    api.get(f"/api/v1/cases/{case.reference}/")  # the token's first use is written once

    with django_assert_max_num_queries(PAGE_DETAIL_QUERIES):
        assert client.get(reverse("casefiles:detail", args=[case.reference])).status_code == 200
    with django_assert_max_num_queries(API_DETAIL_QUERIES + 4):
        assert api.get(f"/api/v1/cases/{case.reference}/").status_code == 200
