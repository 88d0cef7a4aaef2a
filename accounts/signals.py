"""Receivers of Django's sign-in signals, which library code sends (``login``,
``logout``, ``authenticate``, with django-axes' lockout decided in between). Each hands
over to a service.

A sign-in is recorded when the session counts: at once for users without a second
factor, after the code step (``accounts.views.verify``) for the others.
"""

from __future__ import annotations

import axes.signals  # noqa: F401  (connects axes' receivers before the ones below)
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import services
from accounts.middleware import NEEDED, SECOND_FACTOR, session_start
from accounts.net import client_ip


@receiver(user_logged_in, dispatch_uid="accounts.sign_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    session_start(request, user)
    if request.session.get(SECOND_FACTOR) != NEEDED:
        services.sign_in_record(user=user, ip=client_ip(request))


@receiver(user_logged_out, dispatch_uid="accounts.sign_out")
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    reason = getattr(request, "mcsc_sign_out_reason", "user")
    services.sign_out_record(user=user, ip=client_ip(request), reason=reason)


@receiver(user_login_failed, dispatch_uid="accounts.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # axes' receiver has run already (this module imports axes.signals, which connects it,
    # before connecting this one): it marks the request locked out, and works out the
    # failure count only when it checked the password, so the failure that starts a lockout
    # has a count and a sign-in refused unchecked during one has none.
    locked = bool(getattr(request, "axes_locked_out", False))
    failures = getattr(request, "axes_failures_since_start", None)
    username = str((credentials or {}).get("username") or "")
    ip = client_ip(request)
    services.sign_in_failure_record(
        username=username,
        ip=ip,
        reason="locked_out" if locked and failures is None else "password",
    )
    if locked and failures is not None:
        services.lockout_record(username=username, ip=ip, failures=failures)
