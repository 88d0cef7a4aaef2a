"""Keep each case's viewflow process in step with its state, and let people claim tasks.

``case_workflow_sync`` is registered as the casefiles services' workflow hook: it runs in
the transaction of every step, completes the task that matches the step (whoever did it
and however: task page, case page or API), lets the process route to the next task, and
restarts the process if it ever disagrees with the case (e.g. a withdrawn translation).

A step recorded for an earlier moment (``casefiles.clock.recording_at``: demo data, cases
first kept on paper) has its tasks and process carry that moment too, as the case's own
step fields do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS

from casefiles.clock import recorded_moment, step_time
from casefiles.models import Case, CaseState
from workflows.deadlines import case_due
from workflows.flows import CaseFlow, CaseTask
from workflows.models import CaseProcess
from workflows.translations import missing_translation_codes, translate_node_name

OPEN_TASK_STATUSES = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]

_STATE_NODE = {
    CaseState.REPORTED: "verify",
    CaseState.VERIFIED: "convene",
    CaseState.COUNCIL_CONVENED: "draft_statement",
    CaseState.STATEMENT_DRAFTED: "review",
    CaseState.STATEMENT_PUBLISHED: "record_outreach",
    CaseState.OUTREACH_CONDUCTED: "start_follow_up",
    CaseState.FOLLOW_UP: "close",
}


def expected_nodes(case: Case) -> set[str]:
    """The tasks a case in its current state should have open."""
    if case.state == CaseState.STATEMENT_APPROVED:
        missing = missing_translation_codes(case)
        return {translate_node_name(code) for code in missing} if missing else {"publish"}
    node = _STATE_NODE.get(case.state)
    return {node} if node else set()


def _open_tasks(process: CaseProcess) -> list[Task]:
    return [
        task
        for task in Task.objects.filter(process=process, status__in=OPEN_TASK_STATUSES)
        if isinstance(task.flow_task, CaseTask)
    ]


def _complete(task: Task, user: Any) -> None:
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(user)
    elif task.owner_id != getattr(user, "pk", None) and not task.flow_task.language:
        # Someone else did the step (e.g. through the API): the record shows who did it.
        # A translation task stays with its translator when a reviewer approves it.
        task.owner = user
    if task.status == STATUS.ASSIGNED:
        activation.start(None)
    activation.execute()


def _assign(task: Task, user: Any) -> None:
    """Someone takes the task before doing it; viewflow keeps no time of it, the case's
    timeline shows it (a task assigned only as it is completed keeps ``assigned`` empty)."""
    task.flow_task.activation_class(task).assign(user)
    task.assigned = timezone.now()
    Task.objects.filter(pk=task.pk).update(assigned=task.assigned)


def _start(case: Case) -> None:
    if expected_nodes(case):
        CaseFlow.start.run(case=case)


def _restart(process: CaseProcess, case: Case) -> None:
    now = step_time()
    Task.objects.filter(process=process, status__in=[*OPEN_TASK_STATUSES, STATUS.ERROR]).update(
        status=STATUS.CANCELED, finished=now
    )
    process.status, process.finished = PROCESS.CANCELED, now
    process.save(update_fields=["status", "finished"])
    _start(case)


def _update_due(case: Case) -> None:
    due = case_due(case)
    case.due_at = due.due_at if due else None
    Case.objects.filter(pk=case.pk).update(due_at=case.due_at)


_TASK_TIMES = ("created", "assigned", "started", "finished")
_PROCESS_TIMES = ("created", "finished")


def _stamp_recorded_moment(case: Case, moment: dt.datetime, written_from: dt.datetime) -> None:
    """Give the task and process times written by this step the moment it is recorded for.

    viewflow stamps them with the real clock, deep inside its nodes; every time from
    ``written_from`` on was written by this step (earlier ones are in the past, or are
    themselves recorded moments, which never lie in the future), so those become ``moment``.
    """
    tasks = Task.objects.filter(process__caseprocess__case=case)
    for field in _TASK_TIMES:
        tasks.filter(**{f"{field}__gte": written_from}).update(**{field: moment})
    processes = CaseProcess.objects.filter(case=case)
    for field in _PROCESS_TIMES:
        processes.filter(**{f"{field}__gte": written_from}).update(**{field: moment})


@transaction.atomic
def case_workflow_sync(case: Case, event: str, user: Any, *, language: str = "") -> None:
    """Move the case's process to match a step just made (``event``: a transition name,
    ``open`` or ``translation_approve``)."""
    moment = recorded_moment()
    written_from = timezone.now()
    _move(case, event, user, language=language)
    if moment is not None:
        _stamp_recorded_moment(case, moment, written_from)


def _move(case: Case, event: str, user: Any, *, language: str) -> None:
    _update_due(case)
    process = CaseProcess.objects.filter(case=case, status=PROCESS.NEW).order_by("-pk").first()
    if process is None:
        _start(case)
        return
    with CaseFlow.lock(process.pk):
        for task in _open_tasks(process):
            node = task.flow_task
            if event == "translation_save" and node.language == language:
                if task.status == STATUS.NEW:
                    _assign(task, user)
                continue
            matches = (
                node.language == language
                if event == "translation_approve"
                else event in node.transitions
            )
            if matches:
                _complete(task, user)
                break
        process.refresh_from_db()
        still_open = {task.flow_task.name for task in _open_tasks(process)}
        if process.status == PROCESS.NEW and still_open != expected_nodes(case):
            _restart(process, case)


@transaction.atomic
def task_claim(*, user: Any, task: Task) -> Task:
    """Take a task from the municipality's queue into your own inbox."""
    with CaseFlow.lock(task.process_id):
        task = Task.objects.select_related("process").get(pk=task.pk)
        node = task.flow_task
        if task.status not in OPEN_TASK_STATUSES:
            raise ValidationError(_("This task is already done."))
        if task.owner_id == user.pk:
            return task
        if task.owner_id is not None:
            raise ValidationError(
                _("%(name)s has already claimed this task.")
                % {"name": task.owner.get_full_name() or task.owner.get_username()}
            )
        if not node.can_assign(user, task):
            raise PermissionDenied(_("This task is for another role."))
        _assign(task, user)
    return task


@transaction.atomic
def task_release(*, user: Any, task: Task) -> Task:
    """Give a claimed task back to the queue."""
    with CaseFlow.lock(task.process_id):
        task = Task.objects.get(pk=task.pk)
        if task.owner_id != user.pk or task.status != STATUS.ASSIGNED:
            raise ValidationError(_("Only the person who claimed this task can release it."))
        task.flow_task.activation_class(task).unassign()
        Task.objects.filter(pk=task.pk).update(assigned=None)
        task.assigned = None
    return task
