"""Reads of tasks: the inbox, the municipality's queue and a case's process history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task

from casefiles.models import Case
from mcsc.permissions import ROLE_ACTIONS, user_scope
from workflows.flows import CaseFlow, CaseTask
from workflows.services import OPEN_TASK_STATUSES


def human_nodes() -> list[CaseTask]:
    return [node for node in CaseFlow.instance.nodes() if isinstance(node, CaseTask)]


def _actionable(user: Any) -> Q:
    """Tasks of the municipalities where the user holds the role each task needs."""
    scope = user_scope(user)
    nodes_by_action = defaultdict(list)
    for node in human_nodes():
        nodes_by_action[node.action].append(node)
    condition = Q(pk__in=[])
    for action, nodes in nodes_by_action.items():
        if any(action in ROLE_ACTIONS[role] for role in scope.everywhere):
            condition |= Q(flow_task__in=nodes)
            continue
        municipality_ids = [m for m in scope.by_municipality if scope.allows(action, m)]
        if municipality_ids:
            condition |= Q(
                flow_task__in=nodes,
                process__caseprocess__case__municipality_id__in=municipality_ids,
            )
    return condition


def task_queryset() -> QuerySet[Task]:
    return Task.objects.select_related(
        "owner",
        "process__caseprocess__case__municipality",
        "process__caseprocess__case__affected_community",
    )


def open_tasks_for_user(*, user: Any) -> QuerySet[Task]:
    """Every open task the user may do, oldest due first (mine and unclaimed)."""
    return (
        task_queryset()
        .filter(_actionable(user), status__in=OPEN_TASK_STATUSES)
        .filter(Q(owner__isnull=True) | Q(owner=user))
        .order_by(F("process__caseprocess__case__due_at").asc(nulls_last=True), "created", "pk")
    )


def task_get_for_user(*, user: Any, task_id: int) -> Task:
    """An open or done task the user may act on; 404 otherwise (scope is a secret)."""
    from django.http import Http404

    task = task_queryset().filter(_actionable(user), pk=task_id).first()
    if task is None:
        raise Http404
    return task


@dataclass
class InboxRow:
    task: Task
    case: Case
    title: str
    mine: bool
    overdue: bool
    url: str = ""


def inbox(*, user: Any) -> list[InboxRow]:
    now = timezone.now()
    rows = []
    for task in open_tasks_for_user(user=user):
        case = task.process.caseprocess.case
        rows.append(
            InboxRow(
                task=task,
                case=case,
                title=str(task.flow_task.task_title),
                mine=task.owner_id == user.pk,
                overdue=bool(case.due_at and case.due_at < now),
            )
        )
    return rows


def case_process_history(*, case: Case) -> list[Task]:
    """Every human task of every run of the case's process, in order."""
    return [
        task
        for task in Task.objects.filter(process__caseprocess__case=case)
        .select_related("owner")
        .order_by("created", "pk")
        if isinstance(task.flow_task, CaseTask)
    ]
