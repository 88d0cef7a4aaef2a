"""The site's own pages, which belong to no one subsystem: the signed-in home page (it
gathers the user's tasks, recent reminders and roles from every app), the health check and
the answer to a request Django refused (``handler400``).

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
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from casefiles.api.exceptions import problem_response
from casefiles.models import AuditAction, AuditEvent
from mcsc.permissions import roles_summary, scope_filter
from mcsc.profiles import LANGUAGE_CODES, SESSION_LANGUAGE, profile_language_set
from workflows.selectors import inbox


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: the app answers and its database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    rows = inbox(user=request.user)
    reminders = (
        scope_filter(request.user, AuditEvent.objects.filter(action=AuditAction.REMINDER_SEND))
        .filter(created_at__gte=timezone.now() - timezone.timedelta(days=7))
        .select_related("case")
        .order_by("-sequence")[:5]
    )
    return render(
        request,
        "home.html",
        {
            "roles": roles_summary(request.user),
            "mine": [row for row in rows if row.mine][:5],
            "queue_count": sum(1 for row in rows if not row.mine),
            "overdue_count": sum(1 for row in rows if row.overdue),
            "reminders": reminders,
        },
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """``handler400``: a request Django refused (a bad host, unreadable form data) in the
    product's error shape. The exception's text is for the log, not for the client."""
    message = _("The request could not be read.")
    if request.path_info.startswith("/api/"):
        return problem_response(message, 400)
    return render(request, "400.html", {"message": message}, status=400)


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
