"""Reads of tasks: the inbox, the municipality's queue and a case's process history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casefiles.models import Case
from mcsc.models import Role, RoleAssignment
from mcsc.permissions import ROLE_ACTIONS, Action, user_scope
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


# --- Who acts on a task, and the read-only view of a task -------------------------------------


@dataclass(frozen=True)
class TaskActors:
    """Who may do a task: the roles that carry its right and the people holding them there."""

    roles: list[str]  # role labels, e.g. ["Translator", "MCSC secretary"]
    people: list[str]  # names of the active users holding one of those roles for the case
    claimed_by: str = ""  # the name of whoever claimed the open task


def roles_for(action: Action) -> list[Role]:
    """The roles whose rights include ``action``, in the order of ``Role``."""
    return [role for role in Role if action in ROLE_ACTIONS[role]]


def user_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def task_actors(*, user: Any, tasks: list[Task]) -> dict[int, TaskActors]:
    """For each task the user can see, who can act on it (two queries, whatever the number).

    A role held for the case's municipality counts, as does one held for all municipalities
    (and a monitor's region, should monitors ever get a task)."""
    tasks = [task for task in tasks if isinstance(task.flow_task, CaseTask)]
    if not tasks:
        return {}
    scope = user_scope(user)
    places = {
        pk: (municipality_id, region_id)
        for pk, municipality_id, region_id in Task.objects.filter(
            pk__in=[task.pk for task in tasks]
        ).values_list(
            "pk",
            "process__caseprocess__case__municipality_id",
            "process__caseprocess__case__municipality__region_id",
        )
        if scope.sees(municipality_id)
    }
    wanted = {role for task in tasks for role in roles_for(task.flow_task.action)}
    municipality_ids = {m for m, _r in places.values()}
    region_ids = {r for _m, r in places.values() if r is not None}
    assignments = (
        RoleAssignment.objects.filter(role__in=wanted, user__is_active=True)
        .filter(
            Q(municipality_id__in=municipality_ids)
            | Q(region_id__in=region_ids, municipality__isnull=True)
            | Q(municipality__isnull=True, region__isnull=True)
        )
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username", "pk")
    )
    held: list[tuple[Role, int | None, int | None, Any]] = [
        (Role(a.role), a.municipality_id, a.region_id, a.user) for a in assignments
    ]
    answer = {}
    for task in tasks:
        if task.pk not in places:
            continue
        municipality_id, region_id = places[task.pk]
        roles = roles_for(task.flow_task.action)
        people: dict[int, str] = {}
        for role, held_municipality, held_region, person in held:
            if role not in roles:
                continue
            if held_municipality is not None and held_municipality != municipality_id:
                continue
            if held_municipality is None and held_region not in (None, region_id):
                continue
            people.setdefault(person.pk, user_name(person))
        claimed = (
            user_name(task.owner)
            if task.owner_id and task.status in (STATUS.ASSIGNED, STATUS.STARTED)
            else ""
        )
        answer[task.pk] = TaskActors(
            roles=[str(role.label) for role in roles],
            people=list(people.values()),
            claimed_by=claimed,
        )
    return answer


def task_get_for_viewer(*, user: Any, task_id: int) -> Task:
    """A human task of a case the user may see; 404 otherwise (scope is a secret)."""
    from django.http import Http404

    task = (
        task_queryset()
        .filter(pk=task_id)
        .filter(user_scope(user).q("process__caseprocess__case__municipality"))
        .first()
    )
    if task is None or not isinstance(task.flow_task, CaseTask):
        raise Http404
    return task


def user_can_act(*, user: Any, task: Task) -> bool:
    """May the user do this task (the rule of the inbox, on one task already fetched)?"""
    case = task.process.caseprocess.case
    return user_scope(user).allows(task.flow_task.action, case.municipality_id)
