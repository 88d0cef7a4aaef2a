"""Session guards: the idle timeout and absolute lifetime, and the second-factor step.

``SessionTimeoutMiddleware`` sits before ``config.middleware.LoginRequiredMiddleware``, so
a session it ends is sent to the sign-in page like any other; ``SecondFactorMiddleware``
sits after it and sends a signed-in but unverified session of a user who needs a second
factor to the code step on every page (the API treats such a session as signed out).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import second_factor_needed

# Session keys.
TIMES = "mcsc_session"  # {"start": epoch seconds of sign-in, "seen": of the last request}
SECOND_FACTOR = "mcsc_second_factor"  # NEEDED or NOT_NEEDED, decided at sign-in
NEEDED = "needed"
NOT_NEEDED = "not_needed"
# Writing the session on every request would cost a database write per page.
SEEN_RESOLUTION = 60


def now_seconds() -> int:
    return int(timezone.now().timestamp())


def session_start(request, user) -> None:
    """Called at sign-in: the session's clock starts, and whether it needs a code."""
    now = now_seconds()
    request.session[TIMES] = {"start": now, "seen": now}
    request.session[SECOND_FACTOR] = NEEDED if second_factor_needed(user) else NOT_NEEDED


def second_factor_exempt(view):
    """Mark a view that an unverified session may open (the code step, sign-out)."""
    view.second_factor_exempt = True
    return view


def is_pending(request) -> bool:
    """Signed in with the password, but the second factor is still owed."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    state = request.session.get(SECOND_FACTOR)
    if state is None:  # a session from before this check existed
        state = NEEDED if second_factor_needed(user) else NOT_NEEDED
        request.session[SECOND_FACTOR] = state
    if state == NOT_NEEDED:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        now = now_seconds()
        times = request.session.get(TIMES)
        if not isinstance(times, dict):
            request.session[TIMES] = {"start": now, "seen": now}
            return
        idle = settings.MCSC_SESSION_IDLE_MINUTES * 60
        if now - times.get("start", now) > settings.SESSION_COOKIE_AGE:
            reason = "expired"
            message = _("Your session ended after %(hours)d hours. Please sign in again.") % {
                "hours": settings.SESSION_COOKIE_AGE // 3600
            }
        elif now - times.get("seen", now) > idle:
            reason = "idle"
            message = _(
                "You were signed out after %(minutes)d minutes without activity. "
                "Please sign in again."
            ) % {"minutes": settings.MCSC_SESSION_IDLE_MINUTES}
        else:
            if now - times.get("seen", now) >= SEEN_RESOLUTION:
                request.session[TIMES] = {**times, "seen": now}
            return
        request.mcsc_sign_out_reason = reason
        logout(request)
        messages.info(request, message)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_pending(request):
            return None
        if request.path_info.startswith("/api/"):
            # DRF's session authentication then sees nobody: 401/403, or a token.
            request.user = AnonymousUser()
            return None
        if getattr(view_func, "second_factor_exempt", False):
            return None
        if not getattr(view_func, "login_required", True):
            return None  # public pages
        return redirect_to_login(request.get_full_path(), reverse("accounts:verify"))
