"""Writes of the accounts layer: sign-in events, lockouts, passwords, the second factor
and API tokens.

Each function is keyword-only and records exactly one audit event through
``casefiles.audit.chain.audit_record``, except ``token_touch`` (last use of a token, on
every API call) and ``tokens_revoke_on_role_removal`` (its count goes into the
``role.remove`` event). Code checks (``mfa_verify``, ``mfa_enrol_confirm``,
``recovery_codes_regenerate``) are not one transaction as a whole: a refused code must stay
counted by django-otp's throttling (and audited) although the call then raises.
"""

from __future__ import annotations

import datetime as dt
import secrets
from base64 import b32encode
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, hash_key
from casefiles.audit.chain import audit_record
from casefiles.models import AuditAction, AuditEvent

TOTP = "totp"
RECOVERY_CODE = "recovery_code"
TOKEN_NAME_MAX = ApiToken._meta.get_field("name").max_length
# Recording a token's last use more often than this would write on every API call.
TOKEN_TOUCH_EVERY = dt.timedelta(minutes=1)


# --- Sign-in events ------------------------------------------------------------------


@transaction.atomic
def sign_in_record(*, user: Any, ip: str, second_factor: str = "") -> AuditEvent:
    """The session counts from now: after the password, and the second factor if needed."""
    return audit_record(
        actor=user,
        action=AuditAction.AUTH_SIGN_IN,
        obj=user,
        payload={"ip": ip, "second_factor": second_factor or None},
    )


@transaction.atomic
def sign_out_record(*, user: Any, ip: str, reason: str = "user") -> AuditEvent:
    """``reason``: ``user`` (signed out), ``idle`` or ``expired`` (session timeouts)."""
    return audit_record(
        actor=user,
        action=AuditAction.AUTH_SIGN_OUT,
        obj=user,
        payload={"ip": ip, "reason": reason},
    )


@transaction.atomic
def sign_in_failure_record(*, username: str, ip: str, reason: str, user: Any = None) -> AuditEvent:
    """``reason``: ``password`` (wrong username or password), ``locked_out`` (refused
    unchecked during a lockout) or ``second_factor`` (wrong code, ``user`` known)."""
    return audit_record(
        actor=user,
        action=AuditAction.AUTH_SIGN_IN_FAIL,
        obj=user,
        payload={"username": username or "", "ip": ip, "reason": reason},
    )


@transaction.atomic
def lockout_record(*, username: str, ip: str, failures: int) -> AuditEvent:
    cool_off = settings.AXES_COOLOFF_TIME
    return audit_record(
        actor=None,
        action=AuditAction.AUTH_LOCKOUT,
        payload={
            "username": username or "",
            "ip": ip,
            "failures": failures,
            "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
    )


@transaction.atomic
def lockout_lift(*, actor: Any, username: str = "", ip_address: str = "") -> int:
    """Forget the failed sign-ins of an account, an address, or an account at an address,
    ending their lockout before the cool-off does. Returns how many counters were removed."""
    if not username and not ip_address:
        raise ValidationError(_("Name an account, an address, or both."))
    removed = AxesProxyHandler.reset_attempts(
        username=username or None, ip_address=ip_address or None
    )
    audit_record(
        actor=actor,
        action=AuditAction.AUTH_UNLOCK,
        payload={"username": username, "ip": ip_address, "counters_removed": removed},
    )
    return removed


# --- Passwords -----------------------------------------------------------------------


def _revoke_all_tokens(user: Any) -> int:
    return ApiToken.objects.filter(user=user).unrevoked().update(revoked_at=timezone.now())


@transaction.atomic
def password_change(*, user: Any, password: str | None, actor: Any, ip: str = "") -> int:
    """Set a new password (``None``: no password at all) and revoke the user's API tokens.
    Returns how many tokens were revoked."""
    if password is not None:
        validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save(update_fields=["password"])
    revoked = _revoke_all_tokens(user)
    audit_record(
        actor=actor,
        action=AuditAction.AUTH_PASSWORD_CHANGE,
        obj=user,
        payload={
            "user": user.get_username(),
            "usable": password is not None,
            "tokens_revoked": revoked,
            "ip": ip,
        },
    )
    return revoked


# Requests for a reset link (by e-mail) answered with a mail within an hour, per address
# asked for and per client address; more are answered alike but send nothing.
PASSWORD_RESET_WINDOW = dt.timedelta(hours=1)
PASSWORD_RESET_PER_EMAIL = 3
PASSWORD_RESET_PER_IP = 10


def password_reset_throttled(*, email: str, ip: str) -> bool:
    """Too many reset requests lately for this e-mail address or from this client
    (counted from the audit trail, which every process shares)."""
    recent = AuditEvent.objects.filter(
        action=AuditAction.AUTH_PASSWORD_RESET_REQUEST,
        created_at__gte=timezone.now() - PASSWORD_RESET_WINDOW,
    )
    return (
        recent.filter(payload__email=email.strip().lower()).count() >= PASSWORD_RESET_PER_EMAIL
        or recent.filter(payload__ip=ip).count() >= PASSWORD_RESET_PER_IP
    )


@transaction.atomic
def password_reset_request_record(
    *, email: str, ip: str, users: list[Any], throttled: bool
) -> AuditEvent:
    """A reset link was asked for: to whom it went (nobody when no active account has the
    address, or when throttled). The requester is told the same in every case."""
    return audit_record(
        actor=users[0] if len(users) == 1 else None,
        action=AuditAction.AUTH_PASSWORD_RESET_REQUEST,
        obj=users[0] if len(users) == 1 else None,
        payload={
            "email": email.strip().lower(),
            "ip": ip,
            "sent_to": [] if throttled else sorted(u.get_username() for u in users),
            "throttled": throttled,
        },
    )


@transaction.atomic
def password_reset(*, user: Any, password: str, ip: str = "") -> int:
    """Set the password chosen through an e-mailed link and revoke the user's API tokens.
    The second factor stays: the next sign-in asks for it as before."""
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    revoked = _revoke_all_tokens(user)
    audit_record(
        actor=user,
        action=AuditAction.AUTH_PASSWORD_RESET,
        obj=user,
        payload={"user": user.get_username(), "tokens_revoked": revoked, "ip": ip},
    )
    return revoked


# --- Second factor -------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def format_recovery_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def _new_recovery_code() -> str:
    # 80 random bits, 16 base32 characters: the most otp_static's token column holds.
    return b32encode(secrets.token_bytes(10)).decode("ascii").lower()


def _replace_recovery_codes(user: Any) -> list[str]:
    devices = list(StaticDevice.objects.select_for_update().filter(user=user).order_by("pk"))
    device = devices[0] if devices else StaticDevice(user=user)
    for extra in devices[1:]:
        extra.delete()
    device.name = "Recovery codes"
    device.confirmed = True
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(settings.MCSC_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [format_recovery_code(code) for code in codes]


def _refused(locked_until: dt.datetime | None) -> ValidationError:
    if locked_until is not None:
        seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
        return ValidationError(
            _("Too many wrong codes. Wait %(seconds)d seconds, then try again."),
            code="throttled",
            params={"seconds": seconds},
        )
    return ValidationError(
        _("That code is not right. Check your authenticator app's clock and try again."),
        code="invalid",
    )


def _match(user: Any, code: str) -> tuple[Device | None, str, dt.datetime | None]:
    """Check ``code`` against the user's authenticator (6 digits) or recovery codes.

    Returns the device that accepted it (or ``None``), the kind of code, and until when
    django-otp refuses to check codes after repeated failures. Commits its own
    transaction so that failures stay counted."""
    code = normalise_code(code)
    kind = TOTP if code.isdigit() and len(code) in (6, 8) else RECOVERY_CODE
    model = TOTPDevice if kind == TOTP else StaticDevice
    with transaction.atomic():
        device = (
            model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk")
        ).first()
        if device is None or not code:
            return None, kind, None
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return None, kind, (info or {}).get("locked_until")
        if device.verify_token(code):
            return device, kind, None
    return None, kind, None


def mfa_verify(*, user: Any, code: str, ip: str, purpose: str = "sign_in") -> Device:
    """The second step of signing in (``purpose="sign_in"``: records the sign-in) or of
    getting an API token (``purpose="token"``: the token's event records it).

    Accepts the authenticator's current code or one unused recovery code (used up)."""
    device, kind, locked_until = _match(user, code)
    if device is None:
        sign_in_failure_record(
            username=user.get_username(), ip=ip, reason="second_factor", user=user
        )
        raise _refused(locked_until)
    if purpose == "sign_in":
        sign_in_record(user=user, ip=ip, second_factor=kind)
    return device


@transaction.atomic
def mfa_enrol_start(*, user: Any) -> TOTPDevice:
    """The authenticator being set up: a new secret, kept until it is confirmed."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Two-factor authentication is already set up."))
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def mfa_enrol_confirm(*, user: Any, code: str, ip: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with its current code; returns it and new recovery codes
    (shown once)."""
    code = normalise_code(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None or TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError(_("Start the set-up again."), code="stale")
        allowed, info = device.verify_is_allowed()
        accepted = allowed and code.isdigit() and device.verify_token(code)
    if not accepted:
        raise _refused(None if allowed else (info or {}).get("locked_until"))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _replace_recovery_codes(user)
        audit_record(
            actor=user,
            action=AuditAction.AUTH_MFA_ENROL,
            obj=device,
            payload={"user": user.get_username(), "ip": ip, "recovery_codes": len(codes)},
        )
    return device, codes


def recovery_codes_regenerate(*, user: Any, code: str, ip: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a current code."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Set up two-factor authentication first."))
    device, _kind, locked_until = _match(user, code)
    if device is None:
        raise _refused(locked_until)
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        audit_record(
            actor=user,
            action=AuditAction.AUTH_RECOVERY_CODES,
            obj=user,
            payload={"ip": ip, "recovery_codes": len(codes)},
        )
    return codes


@transaction.atomic
def mfa_reset(*, user: Any, actor: Any) -> int:
    """Remove a user's authenticator and recovery codes (lost phone). If their role needs
    a second factor, they set up a new one at their next sign-in."""
    totp = TOTPDevice.objects.filter(user=user)
    static = StaticDevice.objects.filter(user=user)
    if not totp.filter(confirmed=True).exists() and not static.exists():
        raise ValidationError(_("%(user)s has no second factor.") % {"user": user.get_username()})
    removed = totp.count() + static.count()
    totp.delete()
    static.delete()
    audit_record(
        actor=actor,
        action=AuditAction.AUTH_MFA_RESET,
        obj=user,
        payload={"user": user.get_username(), "devices_removed": removed},
    )
    return removed


# --- API tokens ----------------------------------------------------------------------


@transaction.atomic
def token_create(
    *,
    user: Any,
    name: str,
    days: int | None = None,
    actor: Any = None,
    ip: str = "",
    via: str,
    second_factor: str = "",
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its key, which is never stored or shown
    again. ``via``: ``api``, ``page`` or ``command``."""
    name = (name or "").strip()
    days = settings.MCSC_API_TOKEN_DAYS if days is None else days
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name, e.g. what uses it.")
    elif len(name) > TOKEN_NAME_MAX:
        errors["name"] = _("At most %(n)d characters.") % {"n": TOKEN_NAME_MAX}
    if not 1 <= days <= settings.MCSC_API_TOKEN_MAX_DAYS:
        errors["days"] = _("Between 1 and %(n)d days.") % {"n": settings.MCSC_API_TOKEN_MAX_DAYS}
    if not user.is_active:
        errors["user"] = _("This account is deactivated.")
    if errors:
        raise ValidationError(errors)
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_key(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action=AuditAction.TOKEN_CREATE,
        obj=token,
        payload={
            "user": user.get_username(),
            "name": name,
            "prefix": token.prefix,
            "expires_at": token.expires_at,
            "via": via,
            "ip": ip,
            "second_factor": second_factor or None,
        },
    )
    return token, key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Any, ip: str = "") -> ApiToken:
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("user").get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.TOKEN_REVOKE,
        obj=token,
        payload={
            "user": token.user.get_username(),
            "name": token.name,
            "prefix": token.prefix,
            "ip": ip,
        },
    )
    return token


def token_touch(*, token: ApiToken) -> None:
    """Record that the token was used (at most once a minute; not an audit event)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOKEN_TOUCH_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def tokens_revoke_on_role_removal(*, user: Any, **_ignored: Any) -> dict[str, int]:
    """``mcsc.services.role_remove``'s hook: a user whose roles change gets new tokens."""
    return {"tokens_revoked": _revoke_all_tokens(user)}
