"""The site's own pages, which belong to no one subsystem: the signed-in home page (it
gathers each role's work from the apps that own it: tasks, approvals, translations,
minutes, the next meeting, figures, overdue cases and events), the health check and the
answers to a request Django refused, to an unknown address and to a server error
(``handler400``, ``handler404``, ``handler500``: JSON under /api/).

Like ``config/urls.py`` it sits at the top of the import graph: it may import any app's
selectors; nothing imports it but the URL configuration. The language menu's view is here
too: it saves a signed-in user's choice in their profile.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from casefiles.api.exceptions import problem_response
from casefiles.audit.views import audit_newest_changes
from casefiles.compliance.periods import Period
from casefiles.compliance.report import compliance_report
from casefiles.models import AuditAction, AuditEvent
from casefiles.selectors import cases_to_reopen, overdue_cases
from mcsc.councils.selectors import minutes_awaiting_approval, next_meeting_for_user
from mcsc.models import Role
from mcsc.permissions import Action, roles_summary, scope_filter, user_can_anywhere, user_scope
from mcsc.profiles import LANGUAGE_CODES, SESSION_LANGUAGE, profile_language_set
from workflows.selectors import home_tasks, task_actions


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: the app answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Each list on the home page shows this many rows and says how many more there are.
HOME_ROWS = 10


def _first(rows: list) -> dict:
    return {"rows": rows[:HOME_ROWS], "more": max(len(rows) - HOME_ROWS, 0), "count": len(rows)}


def _first_of(queryset) -> dict:
    """The first rows of a queryset and the count of all: two queries, whatever the size."""
    count = queryset.count()
    rows = list(queryset[:HOME_ROWS]) if count else []
    return {"rows": rows, "more": max(count - HOME_ROWS, 0), "count": count}


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Each role's work as rows, one click from the page where it is done; sections that
    cannot apply to the user are left out."""
    user = request.user
    now = timezone.now()
    scope = user_scope(user)
    roles = scope.roles
    context: dict = {
        "roles": roles_summary(user),
        "several": scope.is_global or len(scope.municipality_ids) > 1,
    }
    may = {action for action in task_actions() if user_can_anywhere(user, action)}
    if may:
        tasks = home_tasks(user=user)
        context["tasks"] = tasks
        context["yours"] = _first(tasks.yours)
        context["claimable"] = _first(tasks.claimable)
        context["approvals"] = _first(tasks.approvals)
        context["translations"] = [
            (language, _first(rows)) for language, rows in tasks.translations
        ]
        # Leadership approves and translators translate: the steps list is for the others.
        context["show_steps"] = bool(tasks.steps) or bool(
            may - {Action.STATEMENT_APPROVE, Action.TRANSLATION_EDIT}
        )
        context["show_approvals"] = Action.STATEMENT_APPROVE in may
        context["show_translations"] = bool(tasks.translations) or Role.TRANSLATOR in roles
        context["show_reminders"] = True
        context["reminders"] = (
            scope_filter(user, AuditEvent.objects.filter(action=AuditAction.REMINDER_SEND))
            .filter(created_at__gte=now - timezone.timedelta(days=7))
            .select_related("case")
            .order_by("-sequence")[:5]
        )
    if user_can_anywhere(user, Action.MINUTES_APPROVE):
        context["minutes"] = _first_of(minutes_awaiting_approval(user=user, now=now))
    if user_can_anywhere(user, Action.CASE_REOPEN):
        context["reopen"] = _first_of(cases_to_reopen(user=user))
    if Role.MONITOR in roles:
        context["report"] = compliance_report(user=user, period=Period.parse(), now=now)
        context["overdue"] = _first_of(overdue_cases(user=user))
        context["events"] = audit_newest_changes(user=user)
        context["show_events"] = True
    if Role.MEMBER in roles:
        context["meeting"] = next_meeting_for_user(user=user, now=now)
        context["show_meeting"] = True
    return render(request, "home.html", context)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a request Django refused (a bad host, unreadable form data) in the
    product's error shape. The exception's text is for the log, not for the client."""
    message = _("The request could not be read.")
    if request.path_info.startswith("/api/"):
        return problem_response(message, 400)
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler404``: an address no URL pattern matches. Under /api/ in the API's error
    shape (a client reads JSON whatever the address), elsewhere the 404 page."""
    if request.path_info.startswith("/api/"):
        return problem_response(_("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: under /api/ in the API's error shape, elsewhere the 500 page."""
    if request.path_info.startswith("/api/"):
        return problem_response(_("A server error occurred."), 500)
    return defaults.server_error(request)


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language menu: Django's ``set_language`` (cookie, redirect back), and for a
    signed-in user also their profile, so pages and e-mails follow on every device."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in LANGUAGE_CODES:
        profile_language_set(user=request.user, language=language)
        request.session[SESSION_LANGUAGE] = language
    return response
