"""The browser for the tests of this package: Debian's Chromium (no downloaded browsers),
headless, one fresh context per page, with every Content-Security-Policy violation and every
4xx/5xx response the page meets recorded on it."""

import os
from pathlib import Path

import pytest

from tests.browser.support import CHROMIUM, DESKTOP

# The pages are read in every language: compile the catalogues first, once.
from tests.mcsc.conftest import _compiled_translations  # noqa: F401

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(
                pytest.mark.skipif(
                    not CHROMIUM.exists(),
                    reason="Debian's chromium is not installed "
                    "(make test installs it when run as root)",
                )
            )
            # The live server answers from another thread: the test's data must be committed.
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture
def browser(live_server):
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the test's own ORM calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with playwright_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM),
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def open_page(browser, live_server):
    """``open_page(viewport=DESKTOP)``: a page in a context of its own (its own session, so
    several users can work side by side). ``page.csp_violations`` and ``page.http_errors``
    collect what went wrong on the way."""

    def open_page(viewport: dict | None = None):
        context = browser.new_context(
            base_url=live_server.url, locale="en", viewport=viewport or DESKTOP
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.csp_violations = []
        page.http_errors = []
        # The browser reports every Content-Security-Policy violation on the console.
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and page.csp_violations.append(message.text)
            ),
        )
        page.on(
            "response",
            lambda response: (
                response.status >= 400
                and page.http_errors.append(
                    f"{response.status} {response.request.method} {response.url}"
                )
            ),
        )
        return page

    return open_page


@pytest.fixture
def page(open_page):
    return open_page()
