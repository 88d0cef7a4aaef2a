"""No case page links a demo user to a page that refuses them.

Every demo login (each role in each demo municipality, both monitors, the administrator)
opens every demo case it may see and follows every link on the page, as a user clicking
through would. The test client stands in for the browser: same pages, same session, a
fraction of the time. It signs in with ``force_login``: outside production no role needs a
second factor (``MCSC_MFA_REQUIRED_ROLES``), and signing in has tests of its own.
"""

import io
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from casefiles import selectors
from mcsc.demo import DEMO_MUNICIPAL_ROLES, DEMO_MUNICIPALITIES
from tests.casefiles.builders import page_client

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = [
    *(f"{role.value}.{slug}" for slug in DEMO_MUNICIPALITIES for role in DEMO_MUNICIPAL_ROLES),
    "monitor.osce",
    "monitor.gjilan-region",
    "admin",
]

# Links a user follows but that are no page to check: signing out ends the session the
# rest of the crawl needs, and the language switch is a form, not a link.
NOT_FOLLOWED = ("/accounts/logout/", "/i18n/")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # A download is a file, not a page (the minutes' PDFs are checked in their own tests).
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.hrefs.append(attributes["href"])


def same_site_links(html: str, page_path: str) -> list[str]:
    """The page's links a user could follow to another page of the site, without fragment."""
    parser = _Links()
    parser.feed(html)
    links = []
    for href in parser.hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url:
            continue  # another site, mailto:/tel:, or a jump within the page
        if not url.startswith("/"):
            url = page_path.rsplit("/", 1)[0] + "/" + url
        if url.startswith(NOT_FOLLOWED):
            continue
        links.append(url)
    return links


def dead_links_from_case_pages() -> tuple[list[tuple[str, str, str, int]], dict[str, int]]:
    """(username, case page, link, status) for every link that answers 4xx or 5xx, and how
    many links each user followed."""
    dead = []
    followed: dict[str, int] = {}
    User = get_user_model()
    for user in User.objects.filter(username__in=DEMO_USERNAMES).order_by("username"):
        client = page_client(user)
        checked: dict[str, int] = {}
        references = selectors.case_list(user=user).order_by("reference")
        for reference in references.values_list("reference", flat=True):
            case_page = reverse("casefiles:detail", args=[reference])
            response = client.get(case_page)
            if response.status_code != 200:
                dead.append((user.username, case_page, case_page, response.status_code))
                continue
            for link in same_site_links(response.content.decode(), case_page):
                if link not in checked:
                    checked[link] = client.get(link, follow=True).status_code
                if checked[link] >= 400:
                    dead.append((user.username, case_page, link, checked[link]))
        followed[user.username] = len(checked)
    return dead, followed


def test_same_site_links_are_the_pages_a_user_can_open():
    html = """
      <a href="/cases/PZ-2026-0001/steps/verify/">Verify</a>
      <a href="#history">History</a>
      <a href="/tasks/7/#step">Waiting for</a>
      <a href="https://www.osce.org/">OSCE</a>
      <a href="mailto:secretary@example.org">Mail</a>
      <a href="/accounts/logout/">Sign out</a>
      <a href="/council/meetings/3/minutes/1/sq.pdf" download>Minutes</a>
      <a href="edit/">Edit</a>
      <a>No target</a>
    """
    assert same_site_links(html, "/cases/PZ-2026-0001/") == [
        "/cases/PZ-2026-0001/steps/verify/",
        "/tasks/7/",
        "/cases/PZ-2026-0001/edit/",
    ]


def test_no_link_on_a_case_page_refuses_any_demo_user():
    call_command("seed_demo", stdout=io.StringIO())

    dead, followed = dead_links_from_case_pages()

    # Every demo login saw case pages with links on them: an empty crawl proves nothing.
    assert sorted(followed) == sorted(DEMO_USERNAMES)
    assert min(followed.values()) >= 5, followed

    assert dead == [], f"{len(dead)} dead links from case pages:\n" + "\n".join(
        f"  {username:24} {case_page:28} -> {link} ({status})"
        for username, case_page, link, status in dead
    )
