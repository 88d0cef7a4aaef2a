"""The accounts pages: the code step after the password, authenticator set-up, the
Security page (second factor, recovery codes, API tokens), password change, and the
lockout page django-axes shows (``AXES_LOCKOUT_CALLABLE``).

Views validate the input and call one service; codes and keys that are shown once are
rendered in the response to the POST that made them, never stored for a later page.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import selectors, services
from accounts.forms import (
    CodeForm,
    EnrolForm,
    PasswordResetRequestForm,
    RecoveryCodesForm,
    TokenCreateForm,
)
from accounts.middleware import (
    NEEDED,
    NOT_NEEDED,
    SECOND_FACTOR,
    is_pending,
    second_factor_exempt,
)
from accounts.net import client_ip
from mcsc.inputs import page_number


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed sign-ins from this address. Try again in %(minutes)d minutes, "
        "or ask an administrator to lift the lockout."
    ) % {"minutes": minutes}


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path of this site: "next=0" is no view name to look up (it answered 500).
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _session_verified(request: HttpRequest, device) -> None:
    """The second factor is done: a new session key, and the device on the session."""
    request.session.cycle_key()
    otp_login(request, device)
    request.session[SECOND_FACTOR] = NEEDED


@never_cache
@second_factor_exempt
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the authenticator's code or a recovery code."""
    next_url = _next_url(request)
    if not is_pending(request):
        return redirect(next_url)
    user = request.user
    if selectors.totp_device_for(user) is None:
        if selectors.mfa_required_for(user):
            return redirect(_with_next(reverse("accounts:enrol"), next_url))
        # The authenticator was removed meanwhile and the role does not require one.
        request.session[SECOND_FACTOR] = NOT_NEEDED
        services.sign_in_record(user=user, ip=client_ip(request))
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.mfa_verify(
                user=user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _session_verified(request, device)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(left)d are left. Make new "
                        "ones on the Security page if you are running out."
                    )
                    % {"left": left},
                )
            return redirect(next_url)
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


def _qr_svg(uri: str) -> SafeString:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10, border=4)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace(
        "<svg ",
        '<svg role="img" aria-labelledby="qr-title" class="qr-code" ',
        1,
    )
    title = format_html('<title id="qr-title">{}</title>', _("QR code of the set-up key"))
    head, _sep, rest = svg.partition(">")
    # qrcode builds the SVG from numbers only; the title is escaped by format_html.
    return mark_safe(f"{head}>{title}{rest}")  # noqa: S308


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@second_factor_exempt
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: the secret as QR code and text, then a code from the
    app; then the recovery codes, once."""
    next_url = _next_url(request)
    user = request.user
    if selectors.totp_device_for(user) is not None:
        target = "accounts:verify" if is_pending(request) else "accounts:security"
        return redirect(_with_next(reverse(target), next_url))
    device = services.mfa_enrol_start(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.mfa_enrol_confirm(
                user=user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            _session_verified(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": next_url, "enrolled": True},
            )
    secret = b32encode(device.bin_key).decode("ascii")
    uri = device.config_url
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": next_url,
            "secret": _grouped(secret),
            "uri": uri,
            "qr": _qr_svg(uri),
            "required": selectors.mfa_required_for(user),
        },
    )


def _security_context(request: HttpRequest, **extra) -> dict:
    tokens = Paginator(selectors.tokens_for_user(user=request.user), 20)
    return {
        "status": selectors.mfa_status(user=request.user),
        "page_obj": tokens.get_page(page_number(request.GET.get("page"))),
        "idle_minutes": settings.MCSC_SESSION_IDLE_MINUTES,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "recovery_form": RecoveryCodesForm(),
        "token_form": TokenCreateForm(),
        **extra,
    }


@never_cache
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    """The user's Security page: second factor, recovery codes, API tokens, sessions."""
    return render(request, "accounts/security.html", _security_context(request))


@never_cache
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    form = RecoveryCodesForm(request.POST)
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(
                user=request.user, code=form.cleaned_data["code"], ip=client_ip(request)
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": reverse("accounts:security"), "enrolled": False},
            )
    return render(
        request,
        "accounts/security.html",
        _security_context(request, recovery_form=form),
        status=400,
    )


@never_cache
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
                actor=request.user,
                ip=client_ip(request),
                via="page",
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return render(request, "accounts/token_created.html", {"token": token, "key": key})
    return render(
        request,
        "accounts/security.html",
        _security_context(request, token_form=form),
        status=400,
    )


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.token_get_for_user(user=request.user, pk=pk)
    services.token_revoke(token=token, actor=request.user, ip=client_ip(request))
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:security")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, saving through ``password_change`` (audited; revokes API tokens)."""

    def form_valid(self, form):
        try:
            services.password_change(
                user=self.request.user,
                password=form.cleaned_data["new_password1"],
                actor=self.request.user,
                ip=client_ip(self.request),
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, self.request.user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page asking for a reset link. Whether an account has the address is never
    shown (the same answer every time); requests are throttled and audited."""

    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        ip = client_ip(self.request)
        users = list(form.get_users(email))
        throttled = services.password_reset_throttled(email=email, ip=ip)
        services.password_reset_request_record(email=email, ip=ip, users=users, throttled=throttled)
        if throttled:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page behind the e-mailed link, saving through ``password_reset`` (audited;
    revokes API tokens). It does not sign the user in: signing in, with the second factor
    if the account has one, stays the only way in."""

    post_reset_login = False

    def form_valid(self, form):
        try:
            services.password_reset(
                user=form.user,
                password=form.cleaned_data["new_password1"],
                ip=client_ip(self.request),
            )
        except ValidationError as error:
            form.add_error("new_password1", error)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What django-axes answers to a locked-out sign-in: the API's 429 as the token view
    made it, or a page in the product's shell."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path_info.startswith("/api/"):
        if response is not None and response.status_code == 429:
            return response
        answer = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        answer = render(
            request,
            "accounts/locked_out.html",
            {"minutes": minutes, "limit": settings.AXES_FAILURE_LIMIT},
            status=429,
        )
    answer["Retry-After"] = str(minutes * 60)
    return answer
