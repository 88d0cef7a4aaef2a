"""Public transparency pages (no login): published statements in every language they were
published in, Atom feeds per municipality and language, anonymised yearly statistics; and
nothing unpublished, dismissed or draft, in any state of a case."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefiles import services
from casefiles.models import (
    AuditAction,
    AuditEvent,
    Case,
    CaseState,
    Statement,
    StatementStatus,
    Translation,
    TranslationStatus,
)
from casefiles.public.statements import PUBLIC_STATES
from mcsc.models import Council, Language
from tests.casefiles.builders import advance, case_in, open_case, team, translate_all
from tests.factories import municipality

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 3339 date-time, as Atom requires.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

ALL_STATES = [
    CaseState.REPORTED,
    CaseState.VERIFIED,
    CaseState.DISMISSED,
    CaseState.COUNCIL_CONVENED,
    CaseState.STATEMENT_DRAFTED,
    CaseState.STATEMENT_APPROVED,
    CaseState.STATEMENT_PUBLISHED,
    CaseState.OUTREACH_CONDUCTED,
    CaseState.FOLLOW_UP,
    CaseState.CLOSED,
]
PRIZREN_LANGUAGES = ["sq", "sr-Cyrl", "tr", "bs", "rom"]  # official, in official use, Turk


@pytest.fixture(autouse=True)
def _quorum_of_three():
    """``held_meeting`` appoints new members for each meeting, with three present: a fixed
    quorum lets a test convene many cases of one municipality."""
    for slug in ("prizren", "gjilan"):
        Council.objects.update_or_create(
            municipality=municipality(slug), defaults={"quorum_minimum": 3}
        )


def distinct_title(case: Case) -> None:
    """Give the case's statement (all its languages) titles that name the case's state."""
    for statement in case.statements.all():
        Statement.objects.filter(pk=statement.pk).update(title=f"Title {case.reference} sq")
        for translation in statement.translations.select_related("language"):
            Translation.objects.filter(pk=translation.pk).update(
                title=f"Title {case.reference} {translation.language.code}",
                text=f"Text of {case.reference} in {translation.language.code}.",
            )


@pytest.fixture
def cases():
    """One Prizren case per state, plus a closed case reopened (back in follow-up), and an
    approved statement whose translations are approved too but which is not published."""
    t = team("prizren")
    by_state = {}
    for state in ALL_STATES:
        by_state[state] = case_in(t, state)
    reopened = case_in(t, CaseState.CLOSED)
    reopened = services.case_reopen(user=t.leadership, case=reopened, reason="New incident.")
    assert reopened.state == CaseState.FOLLOW_UP
    by_state["reopened"] = reopened
    translate_all(t, by_state[CaseState.STATEMENT_APPROVED])
    for case in by_state.values():
        distinct_title(case)
    return t, by_state


def public_cases(by_state):
    return [c for c in by_state.values() if c.state in PUBLIC_STATES]


def hidden_cases(by_state):
    return [c for c in by_state.values() if c.state not in PUBLIC_STATES]


def statement_url(case, code="sq"):
    return reverse("public:statement", args=[case.municipality.slug, case.reference, code])


def feed_url(slug="prizren", code="sq"):
    return reverse("public:feed", args=[slug, code])


def get(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


# --- What is public, in each state ----------------------------------------------------------


def test_only_published_statements_are_public_in_every_state(client, cases):
    _, by_state = cases
    shown, hidden = public_cases(by_state), hidden_cases(by_state)
    assert {c.state for c in shown} == {
        CaseState.STATEMENT_PUBLISHED,
        CaseState.OUTREACH_CONDUCTED,
        CaseState.FOLLOW_UP,
        CaseState.CLOSED,
    }
    assert len(shown) == 5  # the reopened case stays public

    listing = get(client, reverse("public:municipality", args=["prizren"]))
    feed = get(client, feed_url())
    for case in shown:
        assert case.reference in listing and case.reference in feed
        for code in PRIZREN_LANGUAGES:
            page = get(client, statement_url(case, code))
            assert f"Title {case.reference} {code}" in page
    for case in hidden:
        assert case.reference not in listing, case.state
        assert case.reference not in feed, case.state
        for code in PRIZREN_LANGUAGES:
            get(client, statement_url(case, code), status=404)
    # The approved-but-unpublished statement really has every text ready: still hidden.
    approved = by_state[CaseState.STATEMENT_APPROVED]
    assert approved.statements.get().translations.filter(status="approved").count() == 4

    index = get(client, reverse("public:index"))
    assert re.search(r'href="/public/prizren/">[^<]+</a></th>\s*<td[^>]*>5</td>', index)


def test_only_the_published_version_and_approved_translations_are_public(client):
    t = team("prizren")
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    services.statement_reject(user=t.leadership, case=case, comment="Name the community.")
    services.statement_draft(
        user=t.secretary,
        case=case,
        language=Language.objects.get(code="sq"),
        title="Version two title",
        text="Version two text.",
    )
    case = advance(t, Case.objects.get(pk=case.pk), CaseState.STATEMENT_PUBLISHED)
    statement = case.statements.get(status=StatementStatus.PUBLISHED)
    assert statement.version == 2
    # A translation that is not approved (only possible behind the services' back) is
    # never shown either.
    statement.translations.filter(language__code="rom").update(status=TranslationStatus.DRAFT)

    page = get(client, statement_url(case, "sq"))
    assert "Version two title" in page and "Komuna dënon sulmin" not in page
    assert 'hreflang="tr"' in page and 'hreflang="rom"' not in page
    get(client, statement_url(case, "rom"), status=404)
    get(client, statement_url(case, "en"), status=404)
    assert "Komuna dënon sulmin" not in get(
        client, reverse("public:municipality", args=["prizren"])
    )
    assert case.reference not in get(client, feed_url(code="rom"))


def test_a_statement_page_has_a_language_switcher_and_lang_attributes(client):
    t = team("prizren")
    case = case_in(t, CaseState.STATEMENT_PUBLISHED)
    page = get(client, statement_url(case, "tr"))
    switcher = page[
        page.index('class="language-switcher"') : page.index(
            "</nav>", page.index('class="language-switcher"')
        )
    ]
    for code in PRIZREN_LANGUAGES:
        assert f'lang="{code}"' in switcher
    assert 'aria-current="true" lang="tr">Türkçe' in switcher
    for code in ["sq", "sr-Cyrl", "bs", "rom"]:
        assert f'href="{statement_url(case, code)}" lang="{code}" hreflang="{code}"' in switcher
    assert '<article class="public-statement-text" lang="tr"' in page
    assert "Title in tr" in page and "Statement text in tr." in page
    assert f'<link rel="alternate" hreflang="sq" href="{statement_url(case, "sq")}">' in page
    assert 'type="application/atom+xml"' in page
    # The source language's page shows the statement as drafted.
    page = get(client, statement_url(case, "sq"))
    assert "Komuna e Prizrenit dënon ashpër sulmin" in page
    assert '<article class="public-statement-text" lang="sq"' in page


def test_nothing_personal_or_locating_is_public(client):
    t = team("prizren")
    case = case_in(
        t,
        CaseState.CLOSED,
        settlement="Landovica",
        location="Behind the old mill",
        summary="A very specific summary.",
        people=[{"role": "victim", "name": "Ahmet Kaya", "contact": "+383 44 000 000"}],
    )
    year = timezone.localtime(case.occurred_at).year
    pages = [
        get(client, reverse("public:index")),
        get(client, reverse("public:municipality", args=["prizren"])),
        get(client, statement_url(case, "sq")),
        get(client, feed_url()),
        get(client, reverse("public:statistics", args=["prizren", year])),
    ]
    for page in pages:
        for secret in (
            "Landovica",
            "Behind the old mill",
            "A very specific summary",
            "Ahmet",
            "+383",
            "community centre",  # the outreach place
            t.secretary.username,
        ):
            assert secret not in page


def test_public_pages_need_no_login_and_the_rest_still_does(client):
    case = case_in(team("prizren"), CaseState.STATEMENT_PUBLISHED)
    year = timezone.localtime(case.occurred_at).year
    for url in (
        reverse("public:index"),
        reverse("public:municipality", args=["prizren"]),
        statement_url(case),
        feed_url(),
        reverse("public:statistics", args=["prizren", year]),
    ):
        assert client.get(url).status_code == 200, url
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("casefiles:list")).status_code == 302
    # The footer links here; a visitor may switch the interface language.
    assert 'href="/public/"' in get(client, reverse("public:index"))
    response = client.post(reverse("set_language"), {"language": "sq", "next": "/public/"})
    assert response.status_code == 302 and response["Location"] == "/public/"


def test_unknown_municipalities_languages_and_cases_are_404(client):
    case = case_in(team("prizren"), CaseState.STATEMENT_PUBLISHED)
    get(client, reverse("public:municipality", args=["atlantis"]), status=404)
    get(client, feed_url("atlantis"), status=404)
    get(client, feed_url(code="xx"), status=404)
    get(client, statement_url(case, "xx"), status=404)
    get(client, reverse("public:statement", args=["gjilan", case.reference, "sq"]), status=404)
    get(client, reverse("public:statement", args=["prizren", "PZ-2000-0001", "sq"]), status=404)


def test_the_municipality_page_shows_titles_in_the_chosen_language(client):
    t = team("prizren")
    case = case_in(t, CaseState.STATEMENT_PUBLISHED)
    page = get(client, reverse("public:municipality", args=["prizren"]) + "?language=tr")
    assert f'<a href="{statement_url(case, "tr")}" lang="tr" hreflang="tr">Title in tr</a>' in page
    page = get(client, reverse("public:municipality", args=["prizren"]) + "?language=sq")
    assert 'lang="sq" hreflang="sq">Komuna dënon sulmin</a>' in page
    for code in PRIZREN_LANGUAGES:
        assert f'href="{feed_url(code=code)}"' in page
    # The switcher names the languages the statements can be read in, the chosen one current.
    switcher = page[page.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert 'href="?language=sq" lang="sq" hreflang="sq" aria-current="true">Shqip</a>' in switcher
    assert 'href="?language=tr" lang="tr" hreflang="tr">Türkçe</a>' in switcher
    assert switcher.count("<li>") == len(PRIZREN_LANGUAGES)


# --- The Atom feed --------------------------------------------------------------------------


def parse_feed(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test


def assert_rfc3339(value: str) -> dt.datetime:
    assert RFC3339.match(value), value
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.tzinfo is not None
    return parsed


def test_the_atom_feed_validates_as_atom(client):
    t = team("prizren")
    first = case_in(t, CaseState.STATEMENT_PUBLISHED)
    second = case_in(t, CaseState.CLOSED)
    hidden = case_in(t, CaseState.STATEMENT_APPROVED)

    root = parse_feed(client, feed_url(code="tr"))
    assert root.tag == f"{ATOM}feed"
    assert root.get(XML_LANG) == "tr"
    # Required feed elements (RFC 4287 4.1.1): id, title, updated; author (no entry has one).
    feed_id = root.findtext(f"{ATOM}id")
    assert feed_id and feed_id.startswith("http://testserver/public/prizren/")
    assert root.findtext(f"{ATOM}title")
    assert_rfc3339(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}author/{ATOM}name").text
    self_link = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link and self_link[0].get("href") == f"http://testserver{feed_url(code='tr')}"

    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(set(ids)) == 2 and all(ids)
    for entry, case in zip(entries, [second, first], strict=True):  # newest first
        assert entry.findtext(f"{ATOM}title") == "Title in tr"
        updated = assert_rfc3339(entry.findtext(f"{ATOM}updated"))
        assert_rfc3339(entry.findtext(f"{ATOM}published"))
        assert abs(updated - Case.objects.get(pk=case.pk).published_at) < dt.timedelta(seconds=1)
        link = entry.find(f"{ATOM}link")
        assert link.get("href") == f"http://testserver{statement_url(case, 'tr')}"
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "text"
        assert content.text == "Statement text in tr."  # the Turkish text, not the source
    assert hidden.reference not in ET.tostring(root, encoding="unicode")

    # The source-language feed carries the source text; ids differ from the Turkish feed's.
    root = parse_feed(client, feed_url(code="sq"))
    assert root.get(XML_LANG) == "sq"
    contents = [e.findtext(f"{ATOM}content") for e in root.findall(f"{ATOM}entry")]
    assert contents == ["Komuna e Prizrenit dënon ashpër sulmin ndaj shtëpisë së familjes."] * 2
    assert not {e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")} & set(ids)


def test_a_feed_without_statements_is_still_valid_atom(client):
    root = parse_feed(client, feed_url("gjilan", "sr-Cyrl"))
    assert root.tag == f"{ATOM}feed" and root.findall(f"{ATOM}entry") == []
    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}title")
    assert_rfc3339(root.findtext(f"{ATOM}updated"))


# --- Statistics -----------------------------------------------------------------------------


def stats_rows(html: str) -> dict[str, list[str]]:
    rows = {}
    for label, cells in re.findall(
        r'<th scope="row" data-label="Category">([^<]+)</th>\s*((?:<td[^>]*>[^<]*</td>)+)', html
    ):
        rows[label] = re.findall(r"<td[^>]*>([^<]*)</td>", cells)
    return rows


def test_statistics_count_verified_incidents_by_category_and_step(client, cases):
    t, by_state = cases
    case_in(t, CaseState.STATEMENT_PUBLISHED, category="site_graffiti")
    open_case(t, category="person_verbal")  # reported, not verified: not counted
    case_in(t, CaseState.DISMISSED, category="person_verbal")  # dismissed: not counted
    year = timezone.localtime(by_state[CaseState.CLOSED].occurred_at).year

    html = get(client, reverse("public:statistics", args=["prizren", year]))
    rows = stats_rows(html)
    few, hidden = "fewer than 3", "not shown"
    # property damage: verified .. closed and the reopened one = 9 verified incidents;
    # convened 8; published 5 (published, outreach, follow-up, closed, reopened);
    # outreach 4; closed 1. The one graffiti incident went as far as publication: with the
    # totals 10, 9 and 6 shown, property damage's 9, 8 and 5 would give it away, so they
    # are not shown either.
    assert rows["Attack on private property: damage"] == [hidden, hidden, hidden, "4", few]
    assert rows["Attack on a cultural or religious site: graffiti"] == [few, few, few, "0", "0"]
    assert rows["Attack on persons: verbal or threat"] == ["0", "0", "0", "0", "0"]
    assert rows["All categories"] == ["10", "9", "6", "4", few]
    assert len(rows) == 10  # nine categories and the total
    assert "Counts of 1 or 2" in html and "worked out from the totals" in html


def test_statistics_exist_for_past_years_only(client):
    this_year = timezone.localdate().year
    assert client.get(reverse("public:statistics", args=["prizren", this_year])).status_code == 200
    assert client.get(reverse("public:statistics", args=["prizren", 2001])).status_code == 200
    for year in (this_year + 1, 1999):
        assert client.get(reverse("public:statistics", args=["prizren", year])).status_code == 404


# --- Reads and queries ----------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_public_pages_take_a_fixed_number_of_queries_and_write_nothing(client):
    t = team("prizren")
    case = case_in(t, CaseState.STATEMENT_PUBLISHED)
    urls = [
        reverse("public:index"),
        reverse("public:municipality", args=["prizren"]),
        statement_url(case, "tr"),
        feed_url(code="tr"),
        reverse("public:statistics", args=["prizren", timezone.localdate().year]),
    ]
    few = [count_queries(client, url) for url in urls]
    for _ in range(2):
        case_in(t, CaseState.STATEMENT_PUBLISHED)
    events = AuditEvent.objects.count()
    assert [count_queries(client, url) for url in urls] == few
    # index: municipalities with counts; municipality page: municipality, its languages,
    # count, page, translations, statistics years; statement: municipality, statement,
    # translations; feed: municipality, language, statements, translations; statistics:
    # municipality, counts, years.
    assert few == [1, 6, 3, 4, 3]
    assert AuditEvent.objects.count() == events
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_MONITOR_VIEW).exists()
