"""The case page's one timeline, its deadline chart, who acts on a waiting step, and the
read-only task page for everyone who sees the case but cannot act."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from casefiles import services
from casefiles.models import CaseState
from mcsc.models import Role
from tests.casefiles.builders import case_in, open_case, team
from tests.factories import user_with_role
from workflows.services import OPEN_TASK_STATUSES

pytestmark = pytest.mark.django_db


def page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("casefiles:detail", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def timeline(html: str) -> str:
    [section] = re.findall(r'<section id="timeline".*?</section>', html, re.S)
    return section


def entries(html: str) -> list[str]:
    items = re.findall(
        r'<li class="tl__item.*?</li>\s*(?=<li class="tl__item|</ol>)', timeline(html), re.S
    )
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


def svg(html: str) -> ET.Element:
    [text] = re.findall(r"<svg viewBox=.*?</svg>", html, re.S)
    return ET.fromstring(text)  # noqa: S314 - our own page


def test_the_case_page_has_one_history_in_order_with_each_step_once(client):
    t = team()
    case = case_in(t, CaseState.STATEMENT_APPROVED)
    html = page(client, t.secretary, case)
    assert "Tasks and process history" not in html and ">History<" not in html
    assert html.count('id="timeline"') == 1
    lines = entries(html)
    opened = next(i for i, line in enumerate(lines) if "opened the case" in line)
    verified = next(i for i, line in enumerate(lines) if "verified the case" in line)
    approved = next(i for i, line in enumerate(lines) if "approved statement version 1" in line)
    assert opened < verified < approved
    # The verify task done and the verification are one entry; it names the task it opened
    # and the deadline it met.
    assert sum("verified the case" in line for line in lines) == 1
    assert not any("completed the task" in line for line in lines)
    assert "Next: Convene the council" in lines[verified]
    assert (
        "late (due" in lines[verified] and "now: Verified" in lines[verified]
    )  # reported 3 days ago
    assert "Next: Translate the statement into" in lines[approved]
    # The edit made on verification keeps its changes list.
    assert "Verification reference:" in lines[verified]


def test_users_without_the_audit_right_see_steps_and_tasks_but_no_audit_details(client):
    t = team()
    case = case_in(t, CaseState.VERIFIED)
    member = user_with_role(Role.MEMBER, "prizren", first_name="Besa", last_name="Morina")
    lines = entries(page(client, member, case))
    assert any("completed the task “Verify or dismiss the incident”" in line for line in lines)
    assert not any("verified the case" in line or "opened the case" in line for line in lines)
    assert not any("Verification reference" in line for line in lines)


def test_a_missed_deadline_is_an_entry_and_the_chart_says_overdue(client):
    t = team()
    case = open_case(t, days_ago=10)
    lines = entries(page(client, t.secretary, case))
    missed = [line for line in lines if "Deadline missed" in line]
    assert len(missed) == 1 and "Verify the incident" in missed[0]
    bars = [e for e in svg(page(client, t.secretary, case)).iter() if e.tag.endswith("rect")]
    assert [b.get("class") for b in bars] == ["chart__bar chart__bar--overdue"]


def geometry_inside(root: ET.Element) -> None:
    _x, _y, width, height = (float(v) for v in root.get("viewBox").split())
    for element in root.iter():
        for name in ("x", "x1", "x2"):
            if name in element.attrib:
                assert 0 <= float(element.get(name)) <= width, (element.tag, element.attrib)
        for name in ("y", "y1", "y2"):
            if name in element.attrib:
                assert 0 <= float(element.get(name)) <= height, (element.tag, element.attrib)
        if element.tag.endswith("rect"):
            assert float(element.get("x")) + float(element.get("width")) <= width
        if element.tag.endswith("text") and element.get("text-anchor") == "middle":
            # A date label is at most ~45 units wide at the chart's font size.
            assert 25 <= float(element.get("x")) <= width - 25, element.text


def test_the_chart_has_a_legend_and_a_dated_axis_and_no_today_on_a_closed_case(client):
    t = team()
    case = case_in(t, CaseState.CLOSED)
    html = page(client, t.secretary, case)
    root = svg(html)
    geometry_inside(root)
    ticks = [e.text for e in root.iter() if e.get("class") == "chart__tick"]
    assert len(ticks) >= 2
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}( \d{4})?", tick) for tick in ticks), ticks
    reported = timezone.localtime(case.reported_at)
    # The axis starts on the report's day (with its year when the axis runs into the next).
    assert ticks[0] in (f"{reported.day} {reported:%b}", f"{reported.day} {reported:%b %Y}")
    assert not [e for e in root.iter() if e.get("class") == "chart__now"]
    assert "today" not in [e.text for e in root.iter()]
    legend = re.search(r'<ul class="chart__legend">.*?</ul>', html, re.S).group(0)
    for text in ("done on time", "in progress", "Late or overdue", "Due date"):
        assert text in legend
    assert "Today" not in legend
    # The same dates as a table, for screen readers.
    assert "<caption" in timeline(html) and 'scope="row"' in timeline(html)


def test_an_open_case_shows_today_on_the_chart(client):
    t = team()
    root = svg(page(client, t.secretary, case_in(t, CaseState.VERIFIED)))
    geometry_inside(root)
    assert [e for e in root.iter() if e.get("class") == "chart__now"]


def test_a_dismissed_case_shows_no_today(client):
    t = team()
    case = case_in(t, CaseState.DISMISSED)
    root = svg(page(client, t.secretary, case))
    assert not [e for e in root.iter() if e.get("class") == "chart__now"]


def open_task(case):
    return next(
        task
        for task in Task.objects.filter(
            process__caseprocess__case=case, status__in=OPEN_TASK_STATUSES
        )
        if task.flow_task_type == "HUMAN"
    )


def test_a_waiting_step_names_the_role_and_the_people_and_who_claimed_it(client):
    t = team()
    t.leadership.first_name, t.leadership.last_name = "Mehmet", "Yılmaz"
    t.leadership.save()
    user_with_role(Role.LEADERSHIP, "gjilan", first_name="Other", last_name="Mayor")
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    html = page(client, t.secretary, case)
    [waiting] = re.findall(r'<section aria-labelledby="waiting-heading".*?</section>', html, re.S)
    assert "Approve or reject the statement" in waiting
    assert "Municipal leadership" in waiting and "Mehmet Yılmaz" in waiting
    assert "Other Mayor" not in waiting
    from workflows.services import task_claim

    task_claim(user=t.leadership, task=open_task(case))
    html = page(client, t.secretary, case)
    assert "claimed by Mehmet Yılmaz" in html
    assert any("Mehmet Yılmaz claimed the task" in line for line in entries(html))


@pytest.mark.parametrize("role", [Role.MEMBER, Role.TRANSLATOR, Role.SECRETARY, Role.MONITOR])
def test_who_cannot_act_sees_the_step_read_only(client, role):
    t = team()
    t.leadership.first_name, t.leadership.last_name = "Mehmet", "Yılmaz"
    t.leadership.save()
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    task = open_task(case)
    viewer = (
        t.secretary
        if role == Role.SECRETARY
        else user_with_role(role, None if role == Role.MONITOR else "prizren")
    )
    client.force_login(viewer)
    response = client.get(f"/tasks/{task.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html and "Approve or reject the statement" in html
    assert "Municipal leadership" in html and "Mehmet Yılmaz" in html
    assert reverse("casefiles:detail", args=[case.reference]) in html


def test_who_can_act_is_sent_to_the_step_and_outside_the_scope_it_is_a_404(client):
    t = team()
    case = case_in(t, CaseState.STATEMENT_DRAFTED)
    task = open_task(case)
    client.force_login(t.leadership)
    response = client.get(f"/tasks/{task.pk}/")
    assert response.status_code == 302
    assert response.url == reverse("casefiles:step", args=[case.reference, "approve"])
    for outsider in (
        user_with_role(Role.LEADERSHIP, "gjilan"),
        user_with_role(Role.MONITOR, region_code="gjilan"),
    ):
        client.force_login(outsider)
        assert client.get(f"/tasks/{task.pk}/").status_code == 404


def test_the_case_page_takes_the_same_queries_for_5_and_60_events(
    client, django_assert_max_num_queries
):
    t = team()
    case = case_in(t, CaseState.FOLLOW_UP)
    action = case.follow_up_actions.first()
    client.force_login(t.secretary)
    url = reverse("casefiles:detail", args=[case.reference])
    measured = []
    for more in (5, 60):
        for _ in range(more):
            status = "open" if action.status == "done" else "done"
            action = services.follow_up_action_update(
                user=t.secretary, action=action, status=status
            )
        with django_assert_max_num_queries(24) as captured:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("updated the follow-up action") >= 5
        measured.append(len(captured))
    assert measured[0] == measured[1]
