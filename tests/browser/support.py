"""What the browser tests share: the browser, the screen sizes, signing in."""

import datetime as dt
import re
from pathlib import Path

from django.utils import timezone

CHROMIUM = Path("/usr/bin/chromium")
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def menu(page):
    """The site's header menu, opened first where it is collapsed (on a phone)."""
    banner = page.get_by_role("banner")
    navigation = banner.get_by_role("navigation", name="Main")
    if not navigation.is_visible():
        # A disclosure: a <details> summary or a button that says it is collapsed.
        banner.locator("summary, [aria-expanded='false']").first.click()
        navigation.wait_for()
    return banner


def main(page):
    return page.get_by_role("main")


def open_case(page, reference: str) -> None:
    """The case page, as a user reaches it from the case list."""
    menu(page).get_by_role("link", name="Cases", exact=True).click()
    main(page).get_by_role("link", name=reference, exact=True).first.click()
    page.get_by_role("heading", level=1, name=re.compile(re.escape(reference))).wait_for()


def named(label: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(label)}( — \S+)?$")


def actions(page):
    """The case page's "What you can do now"."""
    return page.get_by_role("region", name="What you can do now")


def step(page, link: str) -> None:
    """Take a step the case page offers under "What you can do now"."""
    # A step's accessible name ends in the case's reference ("Verify — PZ-2026-0001").
    actions(page).get_by_role("link", name=named(link)).click()


def follow(page, link: str, *, exact: bool = True) -> None:
    main(page).get_by_role("link", name=link, exact=exact).click()


def done(page, message: str) -> None:
    """The step succeeded, and nothing on the way answered an error or broke the CSP."""
    page.get_by_text(message).wait_for()
    assert page.http_errors == [], page.http_errors
    assert page.csp_violations == [], page.csp_violations


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def report_and_verify(page) -> str:
    main(page).get_by_role("link", name="Report a new incident").first.click()
    now = timezone.now()
    page.get_by_label("Incident date and time").fill(local(now - dt.timedelta(days=2)))
    page.get_by_label("Reported date and time").fill(local(now - dt.timedelta(days=1)))
    page.get_by_label("Category").select_option("site_graffiti")
    page.get_by_label("Affected community").select_option(label="Serb")
    page.get_by_label("Source of the report").select_option("police")
    page.get_by_label("Settlement").fill("Prizren")
    page.get_by_label("What happened").fill("Graffiti on the wall of an Orthodox church.")
    page.get_by_role("button", name="Open the case").click()
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    reference = heading.inner_text().split()[0]
    assert reference.startswith("PZ-"), reference

    step(page, "Verify")
    page.get_by_label("Verified through").select_option("police")
    page.get_by_label("Verification reference").fill("PZ-2026-4411")
    page.get_by_role("button", name="Verify the incident").click()
    done(page, "The incident is verified")
    return reference
