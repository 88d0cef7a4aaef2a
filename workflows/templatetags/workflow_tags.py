from django import template
from django.utils.translation import pgettext_lazy

from workflows.selectors import case_process_history
from workflows.services import OPEN_TASK_STATUSES

register = template.Library()

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


@register.inclusion_tag("workflows/case_tasks.html", takes_context=True)
def case_tasks(context, case):
    """The case's open tasks and the history of its process, for the case page."""
    history = case_process_history(case=case)
    return {
        "case": case,
        "open_tasks": [task for task in history if task.status in OPEN_TASK_STATUSES],
        "history": history,
        "request": context.get("request"),
    }


@register.inclusion_tag("workflows/timeline.html")
def case_timeline_chart(case):
    """The steps of a case against their deadlines, as an SVG with a table alternative."""
    from django.utils import timezone

    from workflows.deadlines import case_timeline

    now = timezone.now()
    rows = case_timeline(case, now=now)
    points = [t for r in rows for t in (r.started_at, r.due_at, r.done_at) if t]
    start = min(points, default=now)
    end = max([*points, now])
    span = max((end - start).total_seconds(), 1)
    left, width, row_height = 170, 560, 34

    def x(moment):
        return round(left + (moment - start).total_seconds() / span * width, 1)

    bars = []
    for index, row in enumerate(rows):
        y = 30 + index * row_height
        bar = {"row": row, "y": y, "text_y": y + 16}
        if row.started_at:
            finish = row.done_at or now
            bar["x"] = x(row.started_at)
            bar["width"] = max(x(finish) - bar["x"], 3)
        if row.due_at:
            bar["due_x"] = x(row.due_at)
        bars.append(bar)
    return {
        "bars": bars,
        "rows": rows,
        "height": 40 + len(rows) * row_height,
        "now_x": x(now),
        "start": start,
        "end": end,
        "axis_y": 30 + len(rows) * row_height,
        "left": left,
        "right": left + width,
    }
