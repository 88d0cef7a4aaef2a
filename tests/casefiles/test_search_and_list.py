"""Finding a case: the header's search box and the case list's columns, search and order."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casefiles.models import Case, CaseState
from tests.casefiles.builders import case_in, open_case, page_client, team
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("casefiles:search")
LIST = reverse("casefiles:list")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _rows(page: str) -> dict[str, str]:
    """Each row of the case table by its reference."""
    rows = re.findall(r"<tr[^>]*>\s*<th scope=\"row\".*?</tr>", page, re.S)
    return {re.search(r"[A-Z]+-\d{4}-\d{4}", row).group(0): row for row in rows}


def _cell(row: str, label: str) -> str:
    cell = re.search(rf'data-label="{label}"[^>]*>(.*?)</t[dh]>', row, re.S).group(1)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()


def test_the_header_offers_the_search_box_to_a_user_with_a_role_only():
    t = team()
    page = page_client(t.secretary).get(reverse("home")).content.decode()
    form = re.search(
        r'<form action="/cases/search/" method="get"[^>]*role="search".*?</form>', page, re.S
    )
    assert form, "the header has no search form"
    # A label the reader hears, tied to the field (not a placeholder alone).
    assert '<label for="header-search"' in form.group(0) and 'id="header-search"' in form.group(0)
    without_role = page_client(UserFactory()).get(reverse("home")).content.decode()
    assert "/cases/search/" not in without_role
    assert "/cases/search/" not in Client().get(reverse("login")).content.decode()


@pytest.mark.parametrize(
    "typed", ["{ref}", "{lower}", "  {lower}  ", "{spaced}", "{bare}", "{short}"]
)
def test_an_exact_reference_opens_the_case_however_it_is_typed(typed):
    t = team()
    case = open_case(t)
    prefix, year, number = case.reference.split("-")
    term = typed.format(
        ref=case.reference,
        lower=case.reference.lower(),
        spaced=f"{prefix} {year} {number}",
        bare=f"{prefix.lower()}{year}{number}",
        short=f"{prefix}-{year}-{int(number)}",
    )
    response = page_client(t.secretary).get(SEARCH, {"q": term})
    assert response.status_code == 302
    assert response.url == reverse("casefiles:detail", args=[case.reference])


def test_other_words_show_the_case_list_searched_with_the_search_in_view():
    t = team()
    wanted = open_case(t, settlement="Landovica", summary="Stones thrown at a bus.")
    other = open_case(t, settlement="Zhur", summary="Graffiti on a wall.")
    client = page_client(t.secretary)
    response = client.get(SEARCH, {"q": "landov"})
    assert response.status_code == 302 and response.url == f"{LIST}?q=landov"
    page = client.get(response.url).content.decode()
    assert wanted.reference in page and other.reference not in page
    # The search field carries the words and sits outside the folded filters.
    main = page[page.index("<main") :]
    field = re.search(r'<input type="search" name="q" value="landov"', main)
    assert field and field.start() < main.index("<details")
    assert re.search(r'<details class="filters">', main), "other filters fold while unused"
    # Summary words find a case too.
    page = client.get(client.get(SEARCH, {"q": "bus"}).url).content.decode()
    assert wanted.reference in page and other.reference not in page


def test_a_reference_outside_the_scope_finds_nothing_and_an_empty_search_lists_all():
    here, there = team("prizren"), team("gjilan")
    hidden = open_case(there)
    client = page_client(here.secretary)
    response = client.get(SEARCH, {"q": hidden.reference})
    assert response.status_code == 302 and response.url.startswith(f"{LIST}?q=")
    page = client.get(response.url).content.decode()
    assert _rows(page) == {} and "No case matches these filters." in page
    assert client.get(SEARCH, {"q": " "}).url == LIST
    assert client.get(SEARCH).url == LIST


def test_the_case_list_shows_next_step_due_date_and_overdue():
    t = team()
    waiting = open_case(t)
    verified = case_in(t, CaseState.VERIFIED)
    closed = case_in(t, CaseState.CLOSED)
    late = open_case(t)
    now = timezone.now()
    Case.objects.filter(pk=waiting.pk).update(due_at=now + dt.timedelta(days=5))
    Case.objects.filter(pk=late.pk).update(due_at=now - dt.timedelta(days=2))
    late.refresh_from_db()
    rows = _rows(page_client(t.secretary).get(LIST).content.decode())

    assert _cell(rows[waiting.reference], "Next step") == "Verify or dismiss the incident"
    assert _cell(rows[verified.reference], "Next step") == "Convene the council"
    assert _cell(rows[closed.reference], "Next step") == "—"
    waiting.refresh_from_db()
    assert _cell(rows[waiting.reference], "Due") == f"{waiting.due_at.day} {waiting.due_at:%b %Y}"
    assert _cell(rows[closed.reference], "Due") == "—"
    assert _cell(rows[late.reference], "Due").endswith("Overdue")
    assert "Overdue" not in _cell(rows[waiting.reference], "Due")
    assert 'class="row--overdue"' in rows[late.reference]
    assert 'class="ref"' in rows[waiting.reference]  # the reference never wraps


def test_the_case_list_orders_by_the_soonest_due_date_on_request():
    t = team()
    later, sooner, done = open_case(t), open_case(t), case_in(t, CaseState.CLOSED)
    now = timezone.now()
    Case.objects.filter(pk=later.pk).update(due_at=now + dt.timedelta(days=9))
    Case.objects.filter(pk=sooner.pk).update(due_at=now + dt.timedelta(days=1))
    client = page_client(t.secretary)

    newest_first = list(_rows(client.get(LIST).content.decode()))
    assert newest_first == [done.reference, sooner.reference, later.reference]
    by_due = list(_rows(client.get(LIST, {"sort": "due"}).content.decode()))
    assert by_due == [sooner.reference, later.reference, done.reference]
    assert client.get(LIST, {"sort": "sideways"}).status_code == 400
