"""Outreach commitments become follow-up actions with one click, each once."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from casefiles import services
from casefiles.models import (
    AuditAction,
    AuditEvent,
    CaseState,
    FollowUpAction,
    OutreachActivity,
    commitment_lines,
)
from mcsc.models import Language, Role
from tests.casefiles.builders import case_in, page_client, team
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

COMMITMENTS = """- Police patrols for one month.
- Street lighting on the main road.

3) Meet the families again in a month."""


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def add_outreach(t, case, commitments=COMMITMENTS) -> OutreachActivity:
    return services.outreach_add(
        user=t.secretary,
        case=case,
        held_on=timezone.localdate(),
        place="Mamushë school",
        officials_present="Mayor",
        participants_women=3,
        participants_men=4,
        participants_other=0,
        concerns_raised="Safety at night.",
        commitments_made=commitments,
        language=Language.objects.get(code="tr"),
    )


def outreach_url(case, activity) -> str:
    return reverse("casefiles:outreach_actions", args=[case.reference, activity.pk])


def detail(client, case) -> str:
    return client.get(reverse("casefiles:detail", args=[case.reference])).content.decode()


def test_commitment_lines_drop_list_marks_blank_lines_and_repeats():
    assert commitment_lines(COMMITMENTS + "\n* Police patrols for one month.") == [
        "Police patrols for one month.",
        "Street lighting on the main road.",
        "Meet the families again in a month.",
    ]


def test_the_service_adds_one_action_and_one_audit_event_per_commitment_and_refuses_repeats():
    t = team("prizren")
    case = case_in(t, CaseState.FOLLOW_UP)
    activity = add_outreach(t, case)
    before = AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_ACTION_ADD).count()

    created = services.follow_up_actions_from_outreach(
        user=t.secretary,
        case=case,
        outreach=activity,
        actions=[
            {
                "commitment": "Police patrols for one month.",
                "description": "Police patrols every night for one month",
                "owner": "Police station commander",
                "due_on": in_a_month(),
            },
            {
                "commitment": "Street lighting on the main road.",
                "description": "Street lighting on the main road.",
                "owner": "Directorate of public services",
                "due_on": in_a_month(),
            },
        ],
    )

    assert [a.source_commitment for a in created] == [
        "Police patrols for one month.",
        "Street lighting on the main road.",
    ]
    assert created[0].description == "Police patrols every night for one month"
    events = AuditEvent.objects.filter(action=AuditAction.FOLLOW_UP_ACTION_ADD)
    assert events.count() == before + 2
    assert events.order_by("-sequence").first().payload == {"outreach": activity.pk}
    assert services.commitments_taken(activity) == {
        "Police patrols for one month.",
        "Street lighting on the main road.",
    }

    with pytest.raises(ValidationError) as caught:
        services.follow_up_actions_from_outreach(
            user=t.secretary,
            case=case,
            outreach=activity,
            actions=[
                {
                    "commitment": "Meet the families again in a month.",
                    "description": "Meet the families",
                    "owner": "Deputy mayor for communities",
                    "due_on": in_a_month(),
                },
                {
                    "commitment": "Police patrols for one month.",
                    "description": "Patrols again",
                    "owner": "Police",
                    "due_on": in_a_month(),
                },
            ],
        )
    assert list(caught.value.message_dict) == ["actions.2.commitment"]
    # All or none: the valid first action was not kept either.
    assert FollowUpAction.objects.filter(source_outreach=activity).count() == 2


def test_the_rules_of_a_follow_up_action_apply_row_by_row():
    t = team("prizren")
    case = case_in(t, CaseState.FOLLOW_UP)
    activity = add_outreach(t, case)
    with pytest.raises(ValidationError) as caught:
        services.follow_up_actions_from_outreach(
            user=t.secretary,
            case=case,
            outreach=activity,
            actions=[
                {"commitment": "Police patrols for one month.", "description": "Patrols"},
                {"commitment": "Not said at the meeting", "description": "x", "owner": "y"},
            ],
        )
    assert set(caught.value.message_dict) == {
        "actions.1.owner",
        "actions.1.due_on",
        "actions.2.commitment",
    }
    assert not FollowUpAction.objects.filter(source_outreach=activity).exists()


def test_from_the_case_page_one_click_opens_the_prefilled_form_and_marks_what_was_added():
    t = team("prizren")
    case = case_in(t, CaseState.FOLLOW_UP)
    activity = add_outreach(t, case)
    client = page_client(t.secretary)

    page = detail(client, case)
    assert outreach_url(case, activity) in page and "Add as follow-up actions" in page

    form = client.get(outreach_url(case, activity)).content.decode()
    for line in commitment_lines(COMMITMENTS):
        assert f"{line}</textarea>" in form
    due = in_a_month().isoformat()
    response = client.post(
        outreach_url(case, activity),
        {
            "c1_take": "on",
            "c1_description": "Police patrols for one month.",
            "c1_owner": "Police station commander",
            "c1_due_on": due,
            # The second is not ticked: it is left for later.
            "c2_description": "Street lighting on the main road.",
            "c3_take": "on",
            "c3_description": "Meet the families again in a month.",
            "c3_owner": "",
            "c3_due_on": due,
        },
    )
    assert response.status_code == 400  # the third has no owner: nothing is added
    assert 'id="id_c3_owner_error"' in response.content.decode()
    assert not FollowUpAction.objects.filter(source_outreach=activity).exists()

    response = client.post(
        outreach_url(case, activity),
        {
            "c1_take": "on",
            "c1_description": "Police patrols for one month.",
            "c1_owner": "Police station commander",
            "c1_due_on": due,
            "c3_take": "on",
            "c3_description": "Meet the families again in a month.",
            "c3_owner": "Deputy mayor for communities",
            "c3_due_on": due,
        },
    )
    assert response.status_code == 302
    assert services.commitments_taken(activity) == {
        "Police patrols for one month.",
        "Meet the families again in a month.",
    }

    page = detail(client, case)
    marked = re.findall(r"<li>([^<]*) <span class=\"badge badge--action-done\">", page)
    assert marked == ["Police patrols for one month.", "Meet the families again in a month."]
    # One commitment is still open: the button stays, and the form offers only it.
    assert outreach_url(case, activity) in page
    form = client.get(outreach_url(case, activity)).content.decode()
    assert 'name="c2_description"' in form and 'name="c1_description"' not in form

    client.post(
        outreach_url(case, activity),
        {"c2_take": "on", "c2_description": "Lighting", "c2_owner": "Utilities", "c2_due_on": due},
    )
    assert outreach_url(case, activity) not in detail(client, case)


def test_only_who_may_manage_follow_up_and_only_in_follow_up_sees_the_button():
    t = team("prizren")
    case = case_in(t, CaseState.FOLLOW_UP)
    activity = add_outreach(t, case)
    monitor = page_client(user_with_role(Role.MONITOR))
    assert outreach_url(case, activity) not in detail(monitor, case)
    assert monitor.get(outreach_url(case, activity)).status_code == 403

    closed = case_in(t, CaseState.CLOSED)
    assert "Police patrols for one month." in detail(page_client(t.secretary), closed)
    assert "Add as follow-up actions" not in detail(page_client(t.secretary), closed)


def test_the_start_of_follow_up_is_prefilled_with_the_commitments_and_marks_them():
    t = team("prizren")
    case = case_in(t, CaseState.OUTREACH_CONDUCTED)
    first = case.outreach.get()
    second = add_outreach(t, case)  # three more commitments: four rows in all
    client = page_client(t.secretary)
    url = reverse("casefiles:step", args=[case.reference, "start_follow_up"])

    form = client.get(url).content.decode()
    assert "Police patrols for one month.</textarea>" in form
    assert 'name="action_4_description"' in form and 'name="action_5_description"' not in form
    sources = dict(re.findall(r'name="(action_\d_source)" value="([^"]*)"', form))
    assert sources["action_1_source"] == f"{first.pk}:1"

    due = in_a_month().isoformat()
    response = client.post(
        url,
        {
            "action_1_description": "Police patrols for one month.",
            "action_1_owner": "Police",
            "action_1_due_on": due,
            "action_1_source": sources["action_1_source"],
            "action_2_description": "Police patrols for one month.",
            "action_2_owner": "Police",
            "action_2_due_on": due,
            "action_2_source": sources["action_2_source"],
            # Rows 3 and 4 emptied: not wanted now.
            "action_3_source": sources["action_3_source"],
            "action_4_source": sources["action_4_source"],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.FOLLOW_UP
    assert services.commitments_taken(first) == {"Police patrols for one month."}
    assert services.commitments_taken(second) == {"Police patrols for one month."}
    page = detail(client, case)
    assert outreach_url(case, first) not in page  # its one commitment is taken
    assert outreach_url(case, second) in page


def test_a_source_from_another_case_is_ignored_by_the_form_and_refused_by_the_service():
    t = team("prizren")
    case = case_in(t, CaseState.OUTREACH_CONDUCTED)
    other = case_in(t, CaseState.FOLLOW_UP)
    foreign = other.outreach.get()
    client = page_client(t.secretary)
    url = reverse("casefiles:step", args=[case.reference, "start_follow_up"])
    response = client.post(
        url,
        {
            "action_1_description": "Patrols",
            "action_1_owner": "Police",
            "action_1_due_on": in_a_month().isoformat(),
            "action_1_source": f"{foreign.pk}:1",
        },
    )
    assert response.status_code == 302
    assert not FollowUpAction.objects.filter(source_outreach=foreign).exists()

    with pytest.raises(ValidationError):
        services.follow_up_action_add(
            user=t.secretary,
            case=case,
            description="Patrols",
            owner="Police",
            due_on=in_a_month(),
            source_outreach=foreign,
            source_commitment="Police patrols for one month.",
        )
