"""A secretary in a real browser: sign in, report an incident, verify it, see the next task."""

from mcsc.models import Role
from tests.browser.support import report_and_verify, sign_in
from tests.factories import user_with_role


def test_secretary_reports_and_verifies_an_incident_then_sees_the_next_task(page):
    user_with_role(Role.SECRETARY, "prizren", username="secretary.prizren", first_name="Arta")

    sign_in(page, "secretary.prizren")
    page.get_by_text("Welcome, Arta").wait_for()
    reference = report_and_verify(page)

    page.goto("/tasks/")
    row = page.get_by_role("row").filter(has_text=reference)
    row.get_by_role("cell", name="Convene the council", exact=True).wait_for()
    assert "Verify or dismiss" not in page.content()

    page.goto("/compliance/")  # the one page with a script of its own
    page.get_by_role("heading", level=1).wait_for()
    page.goto("/api/docs/")
    page.get_by_text("MCSC Case Engine API").first.wait_for()
    assert page.csp_violations == []


def test_a_secretary_switches_the_language_in_the_header_and_works_in_it(page):
    """One step in Albanian, one in Serbian Cyrillic, with the labels the reader sees."""
    from django.utils import translation

    from casefiles.models import CaseState
    from tests.casefiles.builders import case_in, team

    t = team()
    t.secretary.username = "secretary.prizren"
    t.secretary.save()
    reported = case_in(t, CaseState.REPORTED)
    unfounded = case_in(t, CaseState.REPORTED)

    def say(language, text):
        with translation.override(language):
            return translation.gettext(text)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("secretary.prizren")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_label("Language").select_option("sq")
    page.get_by_role("button", name="Change").click()
    page.goto(f"/cases/{reported.reference}/steps/verify/")
    assert page.locator("html").get_attribute("lang") == "sq"
    page.get_by_label(say("sq", "Verified through")).select_option("police")
    page.get_by_label(say("sq", "Verification reference")).fill("PZ-2026-4412")
    page.get_by_role("button", name=say("sq", "Verify the incident")).click()
    page.get_by_text(say("sq", "The incident is verified. Next: convene the council.")).wait_for()

    page.get_by_label(say("sq", "Language")).select_option("sr")
    page.get_by_role("button", name=say("sq", "Change")).click()
    page.goto(f"/cases/{unfounded.reference}/steps/dismiss/")
    assert page.locator("html").get_attribute("lang") == "sr"
    page.get_by_label(say("sr", "Reason for dismissal")).fill("Пријава није потврђена.")
    page.get_by_role("button", name=say("sr", "Dismiss the incident")).click()
    page.get_by_text(say("sr", "The case is dismissed.")).wait_for()
    assert "Dismiss" not in page.locator("main").inner_text()
