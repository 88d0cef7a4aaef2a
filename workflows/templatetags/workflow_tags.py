from django import template
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from workflows.deadlines import case_timeline as deadline_rows
from workflows.selectors import case_process_history, task_actors
from workflows.services import OPEN_TASK_STATUSES
from workflows.timeline import timeline_chart, timeline_entries

register = template.Library()

RECENT_ENTRIES = 8

# viewflow's own labels of a task's status are not translated into the product's
# languages; these are, in the product's catalogues.
TASK_STATUS_LABELS = {
    "NEW": pgettext_lazy("task status", "Waiting"),
    "ASSIGNED": pgettext_lazy("task status", "Claimed"),
    "STARTED": pgettext_lazy("task status", "In progress"),
    "SCHEDULED": pgettext_lazy("task status", "Scheduled"),
    "DONE": pgettext_lazy("task status", "Done"),
    "CANCELED": pgettext_lazy("task status", "Cancelled"),
    "ERROR": pgettext_lazy("task status", "Failed"),
    "REVIVED": pgettext_lazy("task status", "Reopened"),
}


@register.filter
def task_status(task) -> str:
    """The task's status in the interface language."""
    return TASK_STATUS_LABELS.get(task.status, task.status)


def _process_history(case):
    """The case's human tasks, read once per page (both tags below use them)."""
    cached = getattr(case, "_process_history", None)
    if cached is None:
        cached = case._process_history = case_process_history(case=case)
    return cached


@register.inclusion_tag("workflows/case_tasks.html", takes_context=True)
def case_tasks(context, case):
    """What the case waits for now: each open task, the role and the people who can act."""
    request = context.get("request")
    open_tasks = [task for task in _process_history(case) if task.status in OPEN_TASK_STATUSES]
    actors = task_actors(user=request.user, tasks=open_tasks) if open_tasks else {}
    return {
        "case": case,
        "waiting": [{"task": task, "actors": actors.get(task.pk)} for task in open_tasks],
        "request": request,
    }


@register.inclusion_tag("workflows/timeline.html", takes_context=True)
def case_timeline(context, case, history, data_views, may_audit):
    """The case's one timeline: the deadline chart, then every step, task and change in order.

    ``history`` is the audit trail in words (empty for users without the audit right), from
    the case page's view; the tasks and deadlines are read here."""
    now = timezone.now()
    rows = deadline_rows(case, now=now)
    entries = timeline_entries(history=history, tasks=_process_history(case), rows=rows)
    # The latest entries show; the older ones fold away behind one summary (on the page,
    # one click away), so the case page stays short however long the case ran.
    fold = len(entries) - RECENT_ENTRIES if len(entries) > RECENT_ENTRIES + 2 else 0
    return {
        "case": case,
        "chart": timeline_chart(case=case, rows=rows, now=now),
        "earlier": entries[:fold],
        "entries": entries[fold:],
        "data_views": data_views,
        "may_audit": may_audit,
        "request": context.get("request"),
    }
