"""One chronological timeline per case, and the compact chart of its deadlines.

The case page used to tell the same story three times (a deadline chart, the process's task
table and the audit history). ``timeline_entries`` merges them into one list: the audit
lines the case page built (``casefiles.views._history``: sentences and changes, only for
users with the audit right), the human tasks of the case's process (created, claimed, done,
cancelled) and the deadline of each step (met or missed). What happened in one step is one
entry: a task done and the transition that did it, the tasks that transition opened, the
deadline it met. ``timeline_chart`` lays out the SVG of the steps against their deadlines.

Everything here is pure computation on rows already read: no query.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casefiles.models import AuditAction, CaseState
from workflows.deadlines import StepTiming
from workflows.flows import CaseTask

# Rows written in one transaction (a step, its audit event, the task it closes and the tasks
# it opens) lie milliseconds apart; two things a person did lie further apart than this.
SAME_MOMENT = dt.timedelta(seconds=2)

# The transition each audit action records (the task it completes names the same one).
ACTION_TRANSITION = {
    AuditAction.CASE_VERIFY: "verify",
    AuditAction.CASE_DISMISS: "dismiss",
    AuditAction.CASE_CONVENE: "convene",
    AuditAction.STATEMENT_DRAFT: "draft_statement",
    AuditAction.STATEMENT_APPROVE: "approve",
    AuditAction.STATEMENT_REJECT: "reject",
    AuditAction.STATEMENT_PUBLISH: "publish",
    AuditAction.OUTREACH_RECORD: "record_outreach",
    AuditAction.FOLLOW_UP_START: "start_follow_up",
    AuditAction.CASE_CLOSE: "close",
}

# What each kind of entry is about, for its marker on the page.
ACTION_KIND = {
    AuditAction.CASE_UPDATE: "edit",
    AuditAction.PERSON_ADD: "edit",
    AuditAction.TRANSLATION_SAVE: "translation",
    AuditAction.TRANSLATION_APPROVE: "translation",
    AuditAction.CASE_CONVENE: "meeting",
    AuditAction.OUTREACH_RECORD: "outreach",
    AuditAction.OUTREACH_ADD: "outreach",
    AuditAction.FOLLOW_UP_START: "follow-up",
    AuditAction.FOLLOW_UP_ACTION_ADD: "follow-up",
    AuditAction.FOLLOW_UP_ACTION_UPDATE: "follow-up",
}


@dataclass
class Entry:
    when: dt.datetime
    text: str
    kind: str = "step"  # step, task, deadline, edit, translation, meeting, outreach, follow-up
    changes: list[dict] = field(default_factory=list)
    to_state: str = ""
    step: bool = False  # a transition of the case (or the task that made one)
    notes: list[str] = field(default_factory=list)
    next_tasks: list[str] = field(default_factory=list)
    deadline: dict | None = None  # {"status": on_time|late|missed, "due": datetime}
    action: str = ""
    language: str = ""
    order: int = 0
    done_task: Any = None

    @property
    def short_changes(self) -> bool:
        """Few, short changes are shown as they are; longer ones fold away."""
        text = sum(len(str(c["old"])) + len(str(c["new"])) for c in self.changes)
        return len(self.changes) <= 2 and text <= 120


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def _title(task: Any) -> str:
    return str(task.flow_task.task_title)


def _day(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j M Y H:i")


def _nearest(entries: list[Entry], moment: dt.datetime) -> Entry | None:
    """The entry written at the same moment as ``moment``, if any."""
    best, distance = None, SAME_MOMENT
    for entry in entries:
        if abs(moment - entry.when) <= distance:
            best, distance = entry, abs(moment - entry.when)
    return best


def _cause(entries: list[Entry], moment: dt.datetime) -> Entry | None:
    """The latest entry written just before ``moment``: the step that opened a task."""
    before = [e for e in entries if e.when <= moment and moment - e.when <= SAME_MOMENT]
    return max(before, key=lambda e: (e.when, e.order), default=None)


def _completes(entry: Entry, task: Any) -> bool:
    node = task.flow_task
    if node.language:
        return entry.action == AuditAction.TRANSLATION_APPROVE and entry.language == node.language
    return ACTION_TRANSITION.get(entry.action) in node.transitions


def timeline_entries(
    *, history: list[dict], tasks: list[Any], rows: list[StepTiming]
) -> list[Entry]:
    """The case's story, oldest first, each moment once (see the module's docstring)."""
    entries = [
        Entry(
            when=line["when"],
            text=line["text"],
            kind=ACTION_KIND.get(line.get("action", ""), "step" if line["transition"] else "edit"),
            changes=line["changes"],
            to_state=line["to_state"],
            step=line["transition"],
            action=line.get("action", ""),
            language=line.get("language", ""),
            order=index,
        )
        for index, line in enumerate(history)
    ]
    tasks = [task for task in tasks if isinstance(task.flow_task, CaseTask)]

    def add(entry: Entry) -> Entry:
        entry.order = len(entries)
        entries.append(entry)
        return entry

    # A task done and the audit event of the step that did it are one entry.
    done = sorted((t for t in tasks if t.status == "DONE" and t.finished), key=lambda t: t.finished)
    for task in done:
        candidates = [
            e
            for e in entries
            if e.done_task is None and _completes(e, task) and e.when >= task.created - SAME_MOMENT
        ]
        match = min(candidates, key=lambda e: abs(e.when - task.finished), default=None)
        if match is not None:
            match.done_task = task
            if task.owner is not None and not match.text.startswith(_name(task.owner)):
                match.notes.append(
                    _("Task “%(task)s” done, assigned to %(name)s")
                    % {"task": _title(task), "name": _name(task.owner)}
                )
            continue
        text = (
            _("%(name)s completed the task “%(task)s”")
            % {"name": _name(task.owner), "task": _title(task)}
            if task.owner is not None
            else _("The task “%(task)s” was completed") % {"task": _title(task)}
        )
        add(Entry(when=task.finished, text=text, kind="task", step=True, done_task=task))

    # Claims, cancellations and new tasks join the entry of the same moment.
    for task in tasks:
        if task.assigned and task.owner is not None:
            note = _("%(name)s claimed the task “%(task)s”") % {
                "name": _name(task.owner),
                "task": _title(task),
            }
            entry = _nearest(entries, task.assigned)
            if entry is not None and entry.done_task is not task:
                entry.notes.append(note)
            elif entry is None:
                add(Entry(when=task.assigned, text=note, kind="task"))
        if task.status == "CANCELED" and task.finished:
            note = _("The task “%(task)s” was cancelled") % {"task": _title(task)}
            entry = _nearest(entries, task.finished)
            if entry is not None:
                entry.notes.append(note)
            else:
                add(Entry(when=task.finished, text=note, kind="task"))
    for task in sorted(tasks, key=lambda t: (t.created, t.pk)):
        entry = _cause(entries, task.created)
        if entry is None:
            entry = add(Entry(when=task.created, text=_("New tasks"), kind="task"))
        entry.next_tasks.append(_title(task))

    # Each deadline: met or missed on the entry of the step that ended it; a deadline
    # passing with the step still open is an entry of its own.
    for row in rows:
        if row.due_at is None:
            continue
        if row.done_at is not None:
            steps = [e for e in entries if e.step]
            entry = _nearest(steps, row.done_at)
            if entry is None:
                entry = add(
                    Entry(
                        when=row.done_at,
                        text=_("Step done: %(step)s") % {"step": row.label},
                        kind="step",
                        step=True,
                    )
                )
            entry.deadline = {"status": "late" if row.late else "on_time", "due": row.due_at}
        elif row.status == "overdue":
            add(
                Entry(
                    when=row.due_at,
                    text=_("Deadline missed: “%(step)s” was due on %(due)s")
                    % {"step": row.label, "due": _day(row.due_at)},
                    kind="deadline",
                    deadline={"status": "missed", "due": row.due_at},
                )
            )
    entries.sort(key=lambda e: (e.when, e.order))
    return entries


# --- The chart --------------------------------------------------------------------------------

WIDTH = 760
LEFT = 200  # the steps' names
RIGHT = 720  # room for the last date under the axis
ROW = 22
BAR = 12
TICK_DAYS = [1, 2, 7, 14, 28, 56, 91, 182, 365, 730]
MAX_TICKS = 7


def _local_midnight(moment: dt.datetime) -> dt.datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def timeline_chart(*, case: Any, rows: list[StepTiming], now: dt.datetime) -> dict:
    """The geometry of the deadline chart: bars, due marks, date ticks and, while the case is
    open, today's line. Coordinates are plain numbers (the template prints them unlocalised)."""
    finished = case.state in (CaseState.CLOSED, CaseState.DISMISSED)
    points = [t for r in rows for t in (r.started_at, r.due_at, r.done_at) if t]
    if not finished:
        points.append(now)
    first = _local_midnight(min(points, default=now))
    last = max(points, default=now)
    days = max(math.ceil((last - first).total_seconds() / 86400), 1)
    step = next((d for d in TICK_DAYS if days / d <= MAX_TICKS - 1), TICK_DAYS[-1])
    count = max(math.ceil(days / step), 1)
    end = first + dt.timedelta(days=step * count)
    span = (end - first).total_seconds()
    top = 20 if not finished else 6

    def x(moment: dt.datetime) -> float:
        return round(LEFT + (moment - first).total_seconds() / span * (RIGHT - LEFT), 1)

    bars = []
    for index, row in enumerate(rows):
        y = top + index * ROW
        bar: dict[str, Any] = {"row": row, "y": y, "text_y": y + BAR - 1, "mid_y": y + BAR // 2}
        if row.started_at:
            stop = row.done_at or (now if not finished else row.started_at)
            bar["x"] = x(row.started_at)
            bar["width"] = max(round(x(stop) - bar["x"], 1), 3)
        if row.due_at:
            bar["due_x"] = x(row.due_at)
        bars.append(bar)
    axis_y = top + len(rows) * ROW
    with_year = first.year != timezone.localtime(end).year
    ticks = [
        {
            "x": x(first + dt.timedelta(days=step * i)),
            "label": formats.date_format(
                first + dt.timedelta(days=step * i), "j M Y" if with_year else "j M"
            ),
        }
        for i in range(count + 1)
    ]
    now_x = None if finished else min(max(x(now), LEFT), RIGHT)
    return {
        "bars": bars,
        "rows": rows,
        "ticks": ticks,
        "width": WIDTH,
        "height": axis_y + 20,
        "axis_y": axis_y,
        "tick_label_y": axis_y + 15,
        "now_x": now_x,
        "now_label_x": None if now_x is None else min(max(now_x, LEFT + 16), RIGHT - 16),
        "left": LEFT,
        "right": RIGHT,
        "bar_height": BAR,
        "finished": finished,
    }
