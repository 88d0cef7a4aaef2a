"""What the browser tests share: the browser, the screen sizes, signing in."""

from pathlib import Path

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
