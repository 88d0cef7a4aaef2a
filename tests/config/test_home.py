"""The home page lists each role's work as rows that lead, in one click, to the page where
the work is done; every link on it opens for the user; it runs a fixed number of queries."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from casefiles import services
from casefiles.models import CaseState
from casefiles.reads import case_monitor_view_record
from mcsc.councils.services import minutes_approve
from mcsc.models import Role
from mcsc.services import role_assign
from tests.casefiles.builders import advance, case_in, open_case, page_client, team
from tests.factories import municipality, user_with_role
from tests.mcsc.meeting_builders import meeting
from workflows.selectors import inbox
from workflows.translations import STATEMENT_LANGUAGE_NAMES, missing_translation_codes

pytestmark = pytest.mark.django_db


def home(user) -> str:
    response = page_client(user).get("/")
    assert response.status_code == 200
    return main(response.content.decode())


def main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section(page: str, heading_id: str) -> str:
    """The text of the home page's section titled by ``heading_id`` ("" if absent)."""
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, re.S)
    return match.group(0) if match else ""


def nav_labels(user) -> list[str]:
    page = page_client(user).get("/").content.decode()
    nav = page[: page.index("<main")]
    return [text(label) for label in re.findall(r"<li><a [^>]*>(.*?)</a>", nav, re.S)]


# --- Secretary ------------------------------------------------------------------------------


def test_a_secretary_sees_each_task_as_a_row_overdue_first_that_opens_the_step():
    t = team()
    recent = open_case(t, days_ago=1)
    overdue = open_case(t, days_ago=6)
    convened = case_in(t, CaseState.COUNCIL_CONVENED)
    page = home(t.secretary)
    tasks = section(page, "tasks-heading")
    references = re.findall(r"[A-Z]{2}-\d{4}-\d{4}", text(tasks))
    # Overdue first, then the one due soonest: verification is due 3 days after the report
    # (the recent case), a statement 3 days after convening.
    assert references[::2] == [overdue.reference, recent.reference, convened.reference]
    assert "Overdue" in text(tasks).split(recent.reference)[0]
    assert "Draft the public statement" in text(tasks)
    # The only secretary of the municipality need not claim: the row opens the step.
    assert f'href="/cases/{overdue.reference}/steps/verify/"' in tasks
    assert "Claim" not in tasks
    assert "wait to be claimed" not in page
    # One municipality: no municipality column.
    assert '<th scope="col">Municipality</th>' not in tasks


def test_the_only_holder_does_the_step_without_claiming_and_the_task_becomes_theirs(client):
    t = team()
    case = open_case(t)
    [row] = inbox(user=t.secretary)
    assert (row.mine, row.claim_needed, row.yours) == (False, False, True)
    client.force_login(t.secretary)
    response = client.post(
        row.url,
        {
            "verification_source": "osce",
            "verification_reference": "OSCE field report 12",
            "category": case.category,
            "affected_community": case.affected_community_id,
            "settlement": case.settlement,
            "location": case.location,
        },
    )
    assert response.status_code == 302
    row.task.refresh_from_db()
    assert row.task.owner == t.secretary


def test_with_two_secretaries_one_click_claims_and_opens_the_step():
    t = team()
    case = open_case(t)
    colleague = user_with_role(Role.SECRETARY, "prizren")
    tasks = section(home(t.secretary), "claim-heading")
    claim = reverse("workflows:claim", args=[inbox(user=t.secretary)[0].task.pk])
    assert f'action="{claim}"' in tasks
    # The button's accessible name says which case it claims.
    button = re.search(r"<button[^>]*>(.*?)</button>", tasks, re.S).group(1)
    assert text(button) == f"Claim and open Verify or dismiss the incident {case.reference}"
    client = page_client(t.secretary)
    response = client.post(claim, follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/{case.reference}/steps/verify/"
    assert response.status_code == 200
    # Claimed: the colleague no longer sees it, and it is in my tasks with an Open link.
    assert case.reference not in home(colleague)
    assert f'href="/cases/{case.reference}/steps/verify/"' in section(
        home(t.secretary), "tasks-heading"
    )


def test_a_role_held_in_another_municipality_does_not_make_claiming_needed():
    t = team()
    open_case(t)
    user_with_role(Role.SECRETARY, "gjilan")
    assert [row.claim_needed for row in inbox(user=t.secretary)] == [False]


# --- Leadership -----------------------------------------------------------------------------


def test_leadership_sees_the_statement_awaiting_their_approval_by_name():
    t = team()
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    approvals = section(home(t.leadership), "approvals-heading")
    assert f"Statement v1 on {case.reference} awaits your approval." in text(approvals)
    assert "tasks wait to be claimed" not in approvals
    # Two people of the leadership: one click claims and opens the review.
    claim = re.search(r'action="(/tasks/\d+/claim/)"', approvals).group(1)
    response = page_client(t.leadership).post(claim)
    assert response.url == f"/cases/{case.reference}/steps/approve/"
    # Claimed by the first, gone from the second's home.
    assert case.reference not in home(t.leadership2)


def test_the_sole_leader_opens_the_review_directly():
    t = team("gjilan")
    t.leadership2.role_assignments.all().delete()
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    approvals = section(home(t.leadership), "approvals-heading")
    assert f'href="/cases/{case.reference}/steps/approve/"' in approvals
    assert (
        page_client(t.leadership).get(f"/cases/{case.reference}/steps/approve/").status_code == 200
    )


def test_a_statement_one_drafted_oneself_is_not_offered_for_ones_approval():
    t = team()
    t.secretary = user_with_role(Role.SECRETARY, "prizren")
    role_assign(user=t.secretary, role=Role.LEADERSHIP, municipality=municipality("prizren"))
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    assert case.reference not in section(home(t.secretary), "approvals-heading")
    assert case.reference in section(home(t.leadership), "approvals-heading")


def test_leadership_sees_minutes_awaiting_approval_until_they_are_approved():
    t = team()
    case = case_in(t, CaseState.COUNCIL_CONVENED)
    held = case.convened_meeting
    upcoming = meeting(t.secretary, "prizren", days_ago=-5)
    minutes = section(home(t.leadership), "minutes-heading")
    approve = reverse("mcsc:minutes-approve", args=[held.pk])
    assert f'href="{approve}"' in minutes
    assert reverse("mcsc:minutes-approve", args=[upcoming.pk]) not in minutes
    assert page_client(t.leadership).get(approve).status_code == 200
    later = meeting(t.secretary, "prizren", days_ago=0.01)
    minutes_approve(user=t.leadership, meeting=held, approving_meeting=later)
    minutes = section(home(t.leadership), "minutes-heading")
    assert f'href="{approve}"' not in minutes
    # The later meeting's own minutes now wait in turn.
    assert reverse("mcsc:minutes-approve", args=[later.pk]) in minutes
    # The secretary cannot approve minutes: no such section.
    assert section(home(t.secretary), "minutes-heading") == ""


def test_leadership_may_reopen_a_recently_dismissed_case_from_home():
    t = team()
    dismissed = advance(t, open_case(t), CaseState.DISMISSED)
    reopen = section(home(t.leadership), "reopen-heading")
    assert f'href="/cases/{dismissed.reference}/steps/reopen/"' in reopen
    assert f"Reopen {dismissed.reference}" in text(reopen)
    assert "Not an ethnic incident." in text(reopen)
    services.case_reopen(user=t.leadership, case=dismissed, reason="New evidence.")
    assert section(home(t.leadership), "reopen-heading") == ""


# --- Translator, council member, monitor -------------------------------------------------


def test_a_translator_sees_the_translations_waiting_by_language():
    t = team()
    case = case_in(t, CaseState.STATEMENT_APPROVED)
    translations = section(home(t.translator), "translations-heading")
    languages = [text(h) for h in re.findall(r"<h3[^>]*>(.*?)</h3>", translations, re.S)]
    missing = missing_translation_codes(case)
    assert len(missing) > 1
    assert [name.rsplit(" ", 1)[0] for name in languages] == [
        str(STATEMENT_LANGUAGE_NAMES[code]) for code in missing
    ]
    assert translations.count("/tasks/") == len(missing)
    assert "Your tasks" not in home(t.translator)


def test_a_council_member_sees_the_next_meeting_and_its_agenda_and_no_tasks_menu():
    t = team()
    case = open_case(t)
    member = user_with_role(Role.MEMBER, "prizren")
    meeting(t.secretary, "prizren", days_ago=-20, place="Far future hall")
    meeting(
        t.secretary,
        "prizren",
        days_ago=-3,
        place="Community centre",
        agenda=[{"title": "Security situation"}, {"case": case}],
    )
    page = home(member)
    upcoming = text(section(page, "meeting-heading"))
    assert "Community centre" in upcoming and "Far future hall" not in upcoming
    assert "Security situation" in upcoming and case.reference in upcoming
    assert "Your tasks" not in page and "Notifications" not in page
    assert "Tasks" not in nav_labels(member)
    assert "Tasks" in nav_labels(t.translator)


def test_a_monitor_sees_figures_overdue_cases_and_the_newest_changes_not_reads():
    t = team()
    late = open_case(t, days_ago=6)
    on_time = open_case(t, days_ago=1)
    monitor = user_with_role(Role.MONITOR)
    case_monitor_view_record(user=monitor, case=late)
    page = home(monitor)
    figures = text(section(page, "figures-heading"))
    assert "Incidents 2" in figures
    overdue = section(page, "overdue-heading")
    assert late.reference in overdue and on_time.reference not in overdue
    changes = text(section(page, "events-heading"))
    assert "Case opened" in changes
    assert "Case read by a monitor" not in changes
    assert "Tasks" not in nav_labels(monitor)
    assert "Your tasks" not in page


# --- Every link opens; fixed number of queries ---------------------------------------------


def world(t, member, count: int):
    """``count`` cases waiting for each kind of work, and a meeting with ``count`` items."""
    for _ in range(count):
        open_case(t, days_ago=6)
        case_in(t, CaseState.STATEMENT_DRAFTED)
        case_in(t, CaseState.STATEMENT_APPROVED)
        advance(t, open_case(t), CaseState.DISMISSED)
    meeting(
        t.secretary,
        "prizren",
        days_ago=-3,
        agenda=[{"title": f"Item {i}"} for i in range(count)],
    )


def users(t, member, monitor):
    return {
        "secretary": t.secretary,
        "leadership": t.leadership,
        "translator": t.translator,
        "member": member,
        "monitor": monitor,
    }


def test_every_link_on_every_roles_home_page_opens():
    t = team()
    member = user_with_role(Role.MEMBER, "prizren")
    monitor = user_with_role(Role.MONITOR, region_code="prizren")
    user_with_role(Role.SECRETARY, "prizren")  # so that tasks wait to be claimed
    world(t, member, 1)
    pages = {}
    for role, user in users(t, member, monitor).items():
        client = Client(raise_request_exception=False)
        client.force_login(user)
        pages[role] = (client, main(client.get("/").content.decode()))
    for role, (client, page) in pages.items():
        links = set(re.findall(r'href="(/[^"#]*)"', page))
        assert links, role
        for link in links:
            status = client.get(html.unescape(link)).status_code
            assert status < 400, (role, link, status)
    claims = 0
    for role, (client, _before) in pages.items():
        # Fresh: a task claimed by the role before is no longer offered.
        page = main(client.get("/").content.decode())
        for claim in set(re.findall(r'action="(/tasks/\d+/claim/)"', page)):
            response = client.post(claim, follow=True)
            assert response.status_code == 200, (role, claim)
            assert b"The task is yours now." in response.content, (role, claim)
            claims += 1
    assert claims >= 3  # the secretary's, the leadership's and the translator's


def test_the_home_page_takes_the_same_queries_for_3_and_30_items_of_work(
    django_assert_max_num_queries,
):
    t = team()
    member = user_with_role(Role.MEMBER, "prizren")
    monitor = user_with_role(Role.MONITOR)
    accounts = users(t, member, monitor)

    def counts():
        # Signed in afresh each time: the session's idle clock is written at most once a
        # minute, and building the cases can take longer than that.
        measured = {}
        for role, user in accounts.items():
            client = page_client(user)
            with django_assert_max_num_queries(40) as captured:
                assert client.get("/").status_code == 200
            measured[role] = len(captured)
        return measured

    world(t, member, 3)
    with_3 = counts()
    world(t, member, 27)
    with_30 = counts()
    assert with_30 == with_3
    # The header and the first ten rows; "And 20 more tasks" links to the task list.
    assert section(home(t.secretary), "tasks-heading").count("<tr") == 11


@pytest.mark.parametrize("role", list(Role))
def test_the_tasks_menu_shows_exactly_for_the_roles_that_can_have_a_task(role):
    from mcsc.permissions import ROLE_ACTIONS
    from workflows.selectors import task_actions

    user = user_with_role(role, None if role in (Role.MONITOR, Role.ADMINISTRATOR) else "gjilan")
    assert ("Tasks" in nav_labels(user)) == bool(ROLE_ACTIONS[role] & task_actions())
