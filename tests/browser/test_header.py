"""The header in a real browser: folded into a menu on a phone, as it was on a desktop."""

import re

import pytest

from casefiles.models import CaseState
from tests.browser.support import DESKTOP, PHONE
from tests.casefiles.builders import case_in, team


@pytest.fixture
def page(open_page):
    return open_page(DESKTOP)


def _sign_in(tab, user):
    tab.goto("/accounts/login/")
    tab.get_by_label("Username").fill(user.username)
    tab.get_by_label("Password").fill("correct horse battery staple")
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_role("heading", level=1).wait_for()


def _header_height(tab) -> float:
    return tab.locator("header.site-header").bounding_box()["height"]


def test_on_a_phone_the_header_folds_into_a_menu_that_holds_every_link(page):
    t = team()
    case = case_in(t, CaseState.VERIFIED)
    page.set_viewport_size(PHONE)
    _sign_in(page, t.secretary)

    assert _header_height(page) <= 0.2 * PHONE["height"]
    toggle = page.get_by_role("button", name="Menu")
    assert toggle.get_attribute("aria-expanded") == "false"
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.is_visible()

    toggle.focus()
    page.keyboard.press("Enter")  # the keyboard opens it
    assert toggle.get_attribute("aria-expanded") == "true"
    for name in ("Home", "Cases", "Council", "Tasks", "Audit trail", "API"):
        assert nav.get_by_role("link", name=name, exact=True).is_visible(), name
    assert page.get_by_role("link", name="Security").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert page.get_by_label("Language").is_visible()
    search = page.get_by_role("searchbox", name="Find a case")
    assert search.is_visible()
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.keyboard.press("Escape")  # and Escape folds it, back on the button
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.className") == "site-menu__toggle"

    toggle.click()
    search.fill(case.reference.lower().replace("-", " "))
    search.press("Enter")
    page.wait_for_url(re.compile(rf"/cases/{case.reference}/$"))
    # Wide tables scroll inside their box, their visually hidden names included.
    page.goto("/compliance/")
    page.get_by_role("heading", level=1).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.csp_violations == []


def test_on_a_desktop_the_header_shows_everything_without_a_menu(page):
    t = team()
    page.set_viewport_size(DESKTOP)
    _sign_in(page, t.secretary)

    assert not page.get_by_role("button", name="Menu").is_visible()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Cases", exact=True).is_visible()
    assert page.get_by_role("searchbox", name="Find a case").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    # Two rows: the brand and the navigation, then search and the tools.
    assert _header_height(page) <= 0.12 * DESKTOP["height"]
    page.get_by_role("searchbox", name="Find a case").fill("Mamush")
    page.get_by_role("button", name="Search cases").click()
    page.wait_for_url(re.compile(r"/cases/\?q=Mamush$"))
    assert page.get_by_role("searchbox", name="Search").input_value() == "Mamush"
    assert page.csp_violations == []
