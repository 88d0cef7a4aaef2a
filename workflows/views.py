from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from workflows.selectors import (
    inbox,
    task_actors,
    task_get_for_user,
    task_get_for_viewer,
    task_url,
    user_can_act,
)
from workflows.services import OPEN_TASK_STATUSES, task_claim, task_release


@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    rows = inbox(user=request.user)
    return render(
        request,
        "workflows/inbox.html",
        {
            "mine": [row for row in rows if row.yours],
            "queue": [row for row in rows if not row.yours],
            "several": len({row.case.municipality_id for row in rows}) > 1,
        },
    )


@require_POST
def claim(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_get_for_user(user=request.user, task_id=task_id)
    try:
        task = task_claim(user=request.user, task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("workflows:inbox")
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("workflows:inbox")
    messages.success(request, _("The task is yours now."))
    return redirect(task_url(task))


@require_POST
def release(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_get_for_user(user=request.user, task_id=task_id)
    try:
        task_release(user=request.user, task=task)
        messages.success(request, _("The task is back in the queue."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("workflows:inbox")


@require_GET
def open_task(request: HttpRequest, task_id: int) -> HttpResponse:
    """The step to do, for who can do it; for anyone else who sees the case, the step
    read-only: who can act, who claimed it, when it is due (404 outside the user's scope)."""
    task = task_get_for_viewer(user=request.user, task_id=task_id)
    case = task.process.caseprocess.case
    if user_can_act(user=request.user, task=task):
        if task.status not in OPEN_TASK_STATUSES:
            messages.info(request, _("This task is already done."))
            return redirect("casefiles:detail", case.reference)
        return redirect(task_url(task))
    return render(
        request,
        "workflows/task_detail.html",
        {
            "task": task,
            "case": case,
            "is_open": task.status in OPEN_TASK_STATUSES,
            "actors": task_actors(user=request.user, tasks=[task]).get(task.pk),
        },
    )
