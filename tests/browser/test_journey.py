"""A case from intake to closed through the pages only, as the people who do the work.

The secretary reports and verifies the incident, records the council meeting from the case,
drafts the statement; leadership rejects it once and approves the redraft; the translator
translates it into every required language and the secretary approves the translations;
the secretary publishes it, records the outreach, starts the follow-up and closes the case.
Each person works in a browser of their own, at desktop and at phone width. No step may
meet a 4xx or 5xx response or a Content-Security-Policy violation on the way, and the case
page never offers as a link a step that would be refused (publishing before every
translation is approved).
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.browser.support import (
    DESKTOP,
    PHONE,
    actions,
    done,
    follow,
    main,
    named,
    open_case,
    report_and_verify,
    sign_in,
    step,
)
from tests.casefiles.builders import council_members, team


def record_meeting_from_the_case(page, reference: str) -> None:
    """Issue 12: the case offers to record the meeting that discussed it (today by default,
    the case already on its agenda), then its attendance, then leads back to the case."""
    step(page, "Record the council meeting for this case")
    page.wait_for_url(re.compile(r"/council/meetings/new/\?case=" + re.escape(reference)))
    place = page.get_by_label("Place")
    if not place.input_value():
        place.fill("Municipal assembly hall")
    main(page).get_by_role("button", name=re.compile("^(Save|Record)")).first.click()
    page.wait_for_url(re.compile(r"/council/meetings/\d+/"))
    if "/attendance/" not in page.url:
        follow(page, "Record the attendance")
    page.get_by_role("button", name="Everyone was present").click()
    done(page, "Everyone was recorded as present")
    if f"/cases/{reference}/" not in page.url:
        # Back to the case: from the meeting page, its agenda item links the case.
        main(page).get_by_role("link", name=re.compile(re.escape(reference))).first.click()


def convene(page, reference: str) -> None:
    if "/steps/convene/" not in page.url:
        step(page, "Record the council meeting")
    # The meeting just recorded is the newest, offered first.
    page.get_by_role("group", name="Council meeting that discussed the case").get_by_role(
        "radio"
    ).first.check()
    page.get_by_role("button", name="Record this meeting").click()
    done(page, "The council meeting is recorded. Next: draft the statement.")


def draft(page, text: str) -> None:
    step(page, "Draft the statement")
    page.get_by_label("Title").fill("The municipality condemns the attack on the church")
    page.get_by_label("Statement text").fill(text)
    page.get_by_role("button", name="Submit for approval").click()
    done(page, "The statement is submitted for approval.")


def translate_every_language(translator, secretary, reference: str) -> list[str]:
    """The translator translates every missing language; the secretary approves each."""
    languages = []
    open_case(translator, reference)
    missing = main(translator).get_by_role("link", name=re.compile(r"^Translate — "))
    while missing.count():
        link = missing.first
        language = link.inner_text().split("—")[-1].strip()
        link.click()
        translator.get_by_label("Translated title").fill(f"Title in {language}")
        translator.get_by_label("Translated text").fill(f"The statement in {language}.")
        translator.get_by_role("button", name="Save the translation").click()
        done(translator, f"The {language} translation is saved and awaits review.")
        languages.append(language)
    assert languages, "the case page offers the translator nothing to translate"

    open_case(secretary, reference)
    for language in languages:
        follow(secretary, f"Review or correct — {language}")
        secretary.get_by_role("button", name=f"Approve the {language} translation").click()
        done(secretary, f"The {language} translation is approved.")
    return languages


def follow_up_and_close(page) -> None:
    step(page, "Record the outreach")
    page.get_by_label("Place").fill("Community centre, Prizren")
    page.get_by_label("Officials present").fill("Deputy mayor for communities")
    page.get_by_label("Participants: women").fill("6")
    page.get_by_label("Participants: men").fill("9")
    page.get_by_label("Concerns raised").fill("Safety of the church at night.")
    page.get_by_label("Commitments made").fill("Street lighting near the church.")
    page.get_by_role("button", name="Record the outreach").click()
    done(page, "The outreach is recorded. Next: follow-up.")

    step(page, "Start follow-up")
    first = page.get_by_role("group", name="Action 1")
    first.get_by_label("Action").fill("Install street lighting near the church")
    first.get_by_label("Owner").fill("Directorate of public services")
    first.get_by_label("Due date").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Start follow-up").click()
    done(page, "Follow-up has started.")

    main(page).get_by_role("button", name="Mark done — Install street lighting").click()
    # A done action can still be changed (reopened or dropped), no longer marked done.
    main(page).get_by_role("link", name="Change — Install street lighting").wait_for()

    step(page, "Close the case")
    page.get_by_label("Closing summary").fill("Lighting installed; the community feels safer.")
    page.get_by_role("group", name="Community's sense of safety before the response").get_by_label(
        "2 — unsafe"
    ).check()
    page.get_by_role("group", name="Community's sense of safety now").get_by_label(
        "4 — safe"
    ).check()
    page.get_by_role("button", name="Close the case").click()
    done(page, "The case is closed.")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_case_goes_from_intake_to_closed_through_the_pages_only(open_page, viewport):
    t = team()
    for user, username, first_name in (
        (t.secretary, "secretary.prizren", "Arta"),
        (t.leadership, "leadership.prizren", "Mehmet"),
        (t.translator, "translator.prizren", "Selma"),
    ):
        user.username, user.first_name = username, first_name
        user.save()
    council_members(t, count=5)
    secretary, leadership, translator = (open_page(viewport) for _ in range(3))
    pages = {"secretary": secretary, "leadership": leadership, "translator": translator}
    sign_in(secretary, "secretary.prizren")

    reference = report_and_verify(secretary)
    record_meeting_from_the_case(secretary, reference)
    convene(secretary, reference)
    draft(secretary, "The municipality condemns the graffiti.")

    sign_in(leadership, "leadership.prizren")
    open_case(leadership, reference)
    step(leadership, "Reject the statement")
    leadership.get_by_label("What must change").fill("Name the community and the church.")
    leadership.get_by_role("button", name="Reject and return to the secretary").click()
    done(leadership, "The statement is returned to the secretary with your comment.")

    open_case(secretary, reference)
    draft(secretary, "The municipality condemns the graffiti on the Serbian Orthodox church.")

    open_case(leadership, reference)
    step(leadership, "Approve the statement")
    leadership.get_by_role("button", name="Approve", exact=True).click()
    done(leadership, "The statement is approved.")

    # Publishing now would be refused: the step is shown, disabled, with what is missing.
    open_case(secretary, reference)
    offered = actions(secretary)
    assert not offered.get_by_role("link", name=named("Publish the statement")).count()
    blocked = offered.inner_text()
    assert "Publish the statement" in blocked, blocked

    sign_in(translator, "translator.prizren")
    languages = translate_every_language(translator, secretary, reference)
    assert any(language in blocked for language in languages), (languages, blocked)

    open_case(secretary, reference)
    step(secretary, "Publish the statement")
    secretary.get_by_label("Municipal website").check()
    secretary.get_by_role("button", name="Record the publication").click()
    done(secretary, "The statement is published.")

    follow_up_and_close(secretary)

    for role, page in pages.items():
        assert page.http_errors == [], (role, page.http_errors)
        assert page.csp_violations == [], (role, page.csp_violations)
