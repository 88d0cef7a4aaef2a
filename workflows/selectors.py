"""Reads of tasks: the inbox, the municipality's queue, the home page's work lists and a
case's process history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casefiles.models import Case, Statement, StatementStatus
from mcsc.models import Role, RoleAssignment
from mcsc.permissions import ROLE_ACTIONS, Action, user_scope
from workflows.flows import CaseFlow, CaseTask
from workflows.services import OPEN_TASK_STATUSES
from workflows.translations import STATEMENT_LANGUAGE_CODES, STATEMENT_LANGUAGE_NAMES


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
    # False when the user is the only one who holds the role the task needs in the case's
    # municipality: the step page just works and the task is theirs once the step is done.
    claim_needed: bool = False

    @property
    def yours(self) -> bool:
        """The task is the user's to do now: claimed by them, or nobody else could."""
        return self.mine or not self.claim_needed


def task_actions() -> frozenset[Action]:
    """The rights that some human task needs."""
    return frozenset(node.action for node in human_nodes())


def _holders(municipality_ids: set[int], actions: set[Action]) -> dict[tuple[int, Action], int]:
    """How many active people may do each action in each municipality (one query): those
    with a role there, and those with a role held everywhere."""
    if not municipality_ids or not actions:
        return {}
    roles = [role for role, allowed in ROLE_ACTIONS.items() if allowed & actions]
    assignments = RoleAssignment.objects.filter(
        Q(municipality_id__in=municipality_ids) | Q(municipality__isnull=True, region__isnull=True),
        user__is_active=True,
        role__in=roles,
    ).values_list("user_id", "role", "municipality_id")
    people: dict[tuple[int | None, Action], set[int]] = defaultdict(set)
    for user_id, role, municipality_id in assignments:
        for action in ROLE_ACTIONS[role] & actions:
            people[municipality_id, action].add(user_id)
    return {
        (municipality_id, action): len(people[municipality_id, action] | people[None, action])
        for municipality_id in municipality_ids
        for action in actions
    }


def task_url(task: Task) -> str:
    """The page where the task's step is done."""
    node = task.flow_task
    case = task.process.caseprocess.case
    if node.language:
        return reverse("casefiles:translation", args=[case.reference, node.language])
    return reverse("casefiles:step", args=[case.reference, node.transitions[0]])


def inbox(*, user: Any) -> list[InboxRow]:
    """Every open task the user may do (theirs and unclaimed), overdue first, then the one
    due soonest. A fixed number of queries whatever the number of tasks."""
    now = timezone.now()
    tasks = list(open_tasks_for_user(user=user))
    holders = _holders(
        {task.process.caseprocess.case.municipality_id for task in tasks},
        {task.flow_task.action for task in tasks},
    )
    rows = []
    for task in tasks:
        case = task.process.caseprocess.case
        rows.append(
            InboxRow(
                task=task,
                case=case,
                title=str(task.flow_task.task_title),
                mine=task.owner_id == user.pk,
                overdue=bool(case.due_at and case.due_at < now),
                url=task_url(task),
                claim_needed=task.owner_id is None
                and holders.get((case.municipality_id, task.flow_task.action), 0) > 1,
            )
        )
    return rows


@dataclass
class ApprovalRow:
    """A statement awaiting the user's approval, with the task that waits for it."""

    row: InboxRow
    statement: Statement


@dataclass
class HomeTasks:
    """The user's open tasks as the home page lists them."""

    steps: list[InboxRow]  # everything but approvals and translations
    approvals: list[ApprovalRow]
    translations: list[tuple[str, list[InboxRow]]]  # (language name, rows), in sort order

    @property
    def yours(self) -> list[InboxRow]:
        return [row for row in self.steps if row.yours]

    @property
    def claimable(self) -> list[InboxRow]:
        return [row for row in self.steps if not row.yours]


def home_tasks(*, user: Any) -> HomeTasks:
    """The user's work: steps to do, statements to approve (never one they drafted: four
    eyes) and translations by language. A fixed number of queries."""
    rows = inbox(user=user)
    steps, reviews, by_language = [], [], defaultdict(list)
    for row in rows:
        node = row.task.flow_task
        if node.language:
            by_language[node.language].append(row)
        elif node.action == Action.STATEMENT_APPROVE:
            reviews.append(row)
        else:
            steps.append(row)
    pending = {
        statement.case_id: statement
        for statement in Statement.objects.select_related("drafted_by").filter(
            case_id__in=[row.case.pk for row in reviews], status=StatementStatus.PENDING
        )
    }
    approvals = [
        ApprovalRow(row=row, statement=pending[row.case.pk])
        for row in reviews
        if row.case.pk in pending and pending[row.case.pk].drafted_by_id != user.pk
    ]
    translations = [
        (str(STATEMENT_LANGUAGE_NAMES[code]), by_language[code])
        for code in STATEMENT_LANGUAGE_CODES
        if by_language[code]
    ]
    return HomeTasks(
        steps=steps,
        approvals=approvals,
        translations=translations,
    )


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
