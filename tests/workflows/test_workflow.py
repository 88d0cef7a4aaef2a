"""The viewflow process mirrors the case: every step, however it is made, moves it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casefiles import services
from casefiles.clock import recording_at
from casefiles.models import Case, CaseState
from mcsc.models import Language, Role
from tests.casefiles.builders import advance, open_case, team, translate_all
from tests.factories import api_token_key, user_with_role
from workflows.models import CaseProcess, DeadlinePolicy
from workflows.selectors import case_process_history, inbox, task_get_for_user
from workflows.services import OPEN_TASK_STATUSES, task_claim, task_release

pytestmark = pytest.mark.django_db


def open_nodes(case):
    """The human tasks open on the case (gateways such as the translations join excluded)."""
    return sorted(
        t.flow_task.name
        for t in Task.objects.filter(process__caseprocess__case=case, status__in=OPEN_TASK_STATUSES)
        if t.flow_task_type == "HUMAN"
    )


def inbox_refs(user):
    return [(row.title, row.case.reference) for row in inbox(user=user)]


def test_a_new_case_puts_a_verify_task_in_the_secretarys_inbox_only():
    t = team()
    case = open_case(t)
    assert open_nodes(case) == ["verify"]
    assert inbox_refs(t.secretary) == [("Verify or dismiss the incident", case.reference)]
    assert inbox(user=t.leadership) == []
    assert inbox(user=t.translator) == []
    assert inbox(user=user_with_role(Role.SECRETARY, "gjilan")) == []
    assert inbox(user=user_with_role(Role.MONITOR)) == []


def test_each_step_leaves_exactly_the_task_the_new_state_needs():
    t = team()
    case = open_case(t)
    expected = {
        CaseState.VERIFIED: ["convene"],
        CaseState.COUNCIL_CONVENED: ["draft_statement"],
        CaseState.STATEMENT_DRAFTED: ["review"],
        CaseState.STATEMENT_APPROVED: [
            "translate_bs",
            "translate_rom",
            "translate_sr_cyrl",
            "translate_tr",
        ],
        CaseState.STATEMENT_PUBLISHED: ["record_outreach"],
        CaseState.OUTREACH_CONDUCTED: ["start_follow_up"],
        CaseState.FOLLOW_UP: ["close"],
        CaseState.CLOSED: [],
    }
    for state, nodes in expected.items():
        case = advance(t, case, state)
        assert open_nodes(case) == nodes, state
    process = CaseProcess.objects.get(case=case)
    assert process.status == PROCESS.DONE


def test_a_transition_through_the_api_completes_the_matching_task(api_client):
    t = team()
    case = open_case(t)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_key(t.secretary)}")
    response = api_client.post(
        f"/api/v1/cases/{case.reference}/transitions/verify/",
        {
            "verification_source": "police",
            "verification_reference": "PZ-77",
            "category": "property_damage",
            "affected_community": "turk",
            "settlement": "Prizren",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    verify = Task.objects.get(
        process__caseprocess__case=case, flow_task_type="HUMAN", status=STATUS.DONE
    )
    assert verify.flow_task.name == "verify"
    assert verify.owner == t.secretary
    assert open_nodes(case) == ["convene"]


def test_dismissing_ends_the_process_and_reopening_starts_a_new_one():
    t = team()
    case = advance(t, open_case(t), CaseState.DISMISSED)
    assert open_nodes(case) == []
    assert CaseProcess.objects.get(case=case).status == PROCESS.DONE
    case = services.case_reopen(
        user=t.leadership, case=case, reason="New evidence from the police."
    )
    assert case.state == CaseState.REPORTED
    assert open_nodes(case) == ["verify"]
    assert CaseProcess.objects.filter(case=case).count() == 2
    titles = [task.flow_task.task_title for task in case_process_history(case=case)]
    assert titles == ["Verify or dismiss the incident", "Verify or dismiss the incident"]


def test_one_translation_task_per_missing_language_each_closed_by_its_approval():
    t = team()
    case = advance(t, open_case(t), CaseState.STATEMENT_APPROVED)
    assert len(inbox(user=t.translator)) == 4
    turkish = Language.objects.get(code="tr")
    services.translation_save(
        user=t.translator,
        case=case,
        language=turkish,
        title="Belediye saldırıyı kınıyor",
        text="Metin.",
    )
    claimed = [row for row in inbox(user=t.translator) if row.mine]
    assert [row.task.flow_task.name for row in claimed] == ["translate_tr"]
    services.translation_approve(user=t.secretary, case=case, language=turkish)
    assert open_nodes(case) == ["translate_bs", "translate_rom", "translate_sr_cyrl"]
    done = Task.objects.get(
        process__caseprocess__case=case,
        status=STATUS.DONE,
        flow_task_type="HUMAN",
        owner=t.translator,
    )
    assert done.flow_task.name == "translate_tr"
    translate_all(t, case)
    assert open_nodes(case) == ["publish"]


def test_a_withdrawn_translation_brings_its_task_back():
    t = team()
    case = advance(t, open_case(t), CaseState.STATEMENT_APPROVED)
    translate_all(t, case)
    assert open_nodes(case) == ["publish"]
    services.translation_save(
        user=t.translator,
        case=case,
        language=Language.objects.get(code="bs"),
        title="T",
        text="Ispravljeno.",
    )
    assert open_nodes(case) == ["translate_bs"]
    process_states = list(CaseProcess.objects.filter(case=case).values_list("status", flat=True))
    assert sorted(process_states) == [PROCESS.CANCELED, PROCESS.NEW]


def test_claiming_and_releasing_a_task():
    t = team()
    case = open_case(t)
    other = user_with_role(Role.SECRETARY, "prizren")
    task = inbox(user=t.secretary)[0].task
    task_claim(user=t.secretary, task=task)
    assert [row.mine for row in inbox(user=t.secretary)] == [True]
    assert inbox(user=other) == []
    with pytest.raises(ValidationError):
        task_claim(user=other, task=Task.objects.get(pk=task.pk))
    with pytest.raises(ValidationError):
        task_release(user=other, task=Task.objects.get(pk=task.pk))
    task_release(user=t.secretary, task=Task.objects.get(pk=task.pk))
    assert [row.mine for row in inbox(user=other)] == [False]
    with pytest.raises(PermissionDenied):
        task_claim(user=t.translator, task=Task.objects.get(pk=task.pk))
    with pytest.raises(Http404):
        task_get_for_user(user=user_with_role(Role.SECRETARY, "gjilan"), task_id=task.pk)
    assert case.state == CaseState.REPORTED


def test_the_inbox_lists_the_oldest_due_first_and_flags_overdue_cases():
    t = team()
    recent = open_case(t, days_ago=1)
    old = open_case(t, days_ago=5)
    rows = inbox(user=t.secretary)
    assert [row.case.reference for row in rows] == [old.reference, recent.reference]
    assert [row.overdue for row in rows] == [True, False]


def test_due_dates_follow_the_municipalitys_own_deadlines():
    t = team()
    case = advance(t, open_case(t), CaseState.VERIFIED)
    case = Case.objects.get(pk=case.pk)
    assert case.due_at == case.verified_at + dt.timedelta(days=3)
    DeadlinePolicy.objects.create(municipality=case.municipality, publish_days=5)
    case = advance(t, case, CaseState.COUNCIL_CONVENED)
    case = Case.objects.get(pk=case.pk)
    assert case.due_at == case.convened_at + dt.timedelta(days=5)
    case = advance(t, case, CaseState.CLOSED)
    assert Case.objects.get(pk=case.pk).due_at is None


@pytest.mark.parametrize("cases", [5, 40])
def test_the_inbox_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, cases
):
    t = team()
    for _ in range(cases):
        open_case(t)
    client.force_login(t.secretary)
    with django_assert_max_num_queries(10):
        response = client.get("/tasks/")
    assert response.status_code == 200
    assert response.content.decode().count("Verify or dismiss the incident") >= cases


def test_a_task_done_in_the_pages_moves_the_case_state(client):
    t = team()
    case = open_case(t)
    client.force_login(t.secretary)
    task = inbox(user=t.secretary)[0].task
    response = client.post(f"/tasks/{task.pk}/claim/")
    assert response.status_code == 302
    assert response.url == f"/cases/{case.reference}/steps/verify/"
    response = client.post(
        response.url,
        {
            "verification_source": "osce",
            "verification_reference": "OSCE field report 12",
            "category": case.category,
            "affected_community": case.affected_community_id,
            "settlement": case.settlement,
            "location": case.location,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Case.objects.get(pk=case.pk).state == CaseState.VERIFIED
    done = Task.objects.get(pk=task.pk)
    assert (done.status, done.owner) == (STATUS.DONE, t.secretary)
    assert open_nodes(case) == ["convene"]


def test_inbox_case_list_and_detail_pages_take_the_same_queries_for_5_and_200_cases(
    client, django_assert_max_num_queries
):
    t = team()
    cases = [open_case(t) for _ in range(5)]
    client.force_login(t.secretary)

    def counts():
        measured = {}
        for url in ["/tasks/", "/cases/", f"/cases/{cases[0].reference}/"]:
            with django_assert_max_num_queries(30) as captured:
                assert client.get(url).status_code == 200
            measured[url] = len(captured)
        return measured

    with_5 = counts()
    cases += [open_case(t) for _ in range(195)]
    with_200 = counts()
    assert with_200 == with_5
    assert len(inbox(user=t.secretary)) == 200


def _times(case):
    tasks = Task.objects.filter(process__caseprocess__case=case)
    return {
        (task.flow_task.name, field): getattr(task, field)
        for task in tasks
        for field in ("created", "started", "finished")
        if getattr(task, field) is not None
    }


def test_steps_recorded_earlier_stamp_their_tasks_and_process_with_that_moment():
    t = team()
    reported = timezone.now() - dt.timedelta(days=20)
    verified = reported + dt.timedelta(hours=5)
    with recording_at(reported):
        case = open_case(t, days_ago=20)
    with recording_at(verified):
        advance(t, case, CaseState.VERIFIED)
    process = CaseProcess.objects.get(case=case)
    assert process.created == reported
    times = _times(case)
    assert times[("verify", "created")] == reported
    assert times[("verify", "finished")] == verified
    assert times[("convene", "created")] == verified
    assert max(times.values()) == verified


def test_a_process_ended_by_a_step_recorded_earlier_ends_at_that_moment():
    t = team()
    dismissed = timezone.now() - dt.timedelta(days=5)
    with recording_at(dismissed - dt.timedelta(hours=3)):
        case = open_case(t, days_ago=6)
    with recording_at(dismissed):
        services.case_dismiss(user=t.secretary, case=case, reason="Duplicate of another report.")
    process = CaseProcess.objects.get(case=case)
    assert process.status == PROCESS.DONE
    assert process.finished == dismissed
    assert max(_times(case).values()) == dismissed


def test_live_steps_stamp_their_tasks_with_the_time_of_writing():
    t = team()
    with recording_at(timezone.now() - dt.timedelta(days=2)):
        case = open_case(t, days_ago=3)
    before = timezone.now()
    advance(t, case, CaseState.VERIFIED)
    times = _times(case)
    assert before <= times[("verify", "finished")] <= timezone.now()
    assert before <= times[("convene", "created")] <= timezone.now()
    assert times[("verify", "created")] < before
