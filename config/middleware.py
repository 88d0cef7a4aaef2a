"""Request-wide middleware: a request id for the audit trail, login everywhere, and the
security headers that Django and django-csp do not set."""

import re
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.utils.cache import add_never_cache_headers, patch_vary_headers

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

# A client may pass its own id so that its logs and our audit trail line up; anything
# else is replaced, so the audit trail never stores arbitrary header content.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Every page needs a login unless its view is marked ``@login_not_required``.

    The API authenticates inside DRF (tokens are not seen by this middleware) and answers
    401/403 itself, so it is left to DRF's permission classes.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class SecurityHeadersMiddleware:
    """``Permissions-Policy`` on every response, and ``Cache-Control: no-store`` on every
    response for a signed-in user or an API token, since such pages and API answers can
    carry personal data and must not stay in a shared or browser cache.

    Responses that set their own ``Cache-Control`` keep it (the public pages and feeds are
    meant to be cached); the sign-in pages are never cached either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        personal = (
            (user is not None and user.is_authenticated)
            or "Authorization" in request.headers
            or request.path_info.startswith(("/accounts/", "/admin/"))
        )
        if personal:
            if "no-store" not in response.get("Cache-Control", ""):
                add_never_cache_headers(response)
            patch_vary_headers(response, ("Cookie", "Authorization"))
        return response
