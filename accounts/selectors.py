"""Reads of the accounts layer: who needs a second factor, a user's second-factor status
and API tokens. Each takes the user whose data it reads; a token of another user is a
404 (``Http404``), never a 403."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import ApiToken, hash_key
from mcsc.permissions import user_scope

STAFF = "staff"


def mfa_required_for(user: Any) -> bool:
    """Whether ``user``'s roles (``MCSC_MFA_REQUIRED_ROLES``) demand a second factor."""
    if user is None or not user.is_authenticated:
        return False
    required = set(settings.MCSC_MFA_REQUIRED_ROLES)
    if not required:
        return False
    if STAFF in required and (user.is_staff or user.is_superuser):
        return True
    return any(role.value in required for role in user_scope(user).roles)


def totp_device_for(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_factor_needed(user: Any) -> bool:
    """A session of ``user`` counts only after the second factor: the role requires it, or
    the user has set one up."""
    if user is None or not user.is_authenticated:
        return False
    return mfa_required_for(user) or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@dataclass(frozen=True)
class MfaStatus:
    required: bool
    device: TOTPDevice | None
    recovery_codes_left: int

    @property
    def enabled(self) -> bool:
        return self.device is not None


def mfa_status(*, user: Any) -> MfaStatus:
    device = totp_device_for(user)
    left = (
        StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
        if device
        else 0
    )
    return MfaStatus(required=mfa_required_for(user), device=device, recovery_codes_left=left)


def tokens_for_user(*, user: Any) -> QuerySet[ApiToken]:
    """The user's tokens that are not revoked (expired ones included), newest first."""
    return ApiToken.objects.filter(user=user).unrevoked().order_by("-created_at", "-pk")


def token_get_for_user(*, user: Any, pk: int | str) -> ApiToken:
    """One of the user's unrevoked tokens; anyone else's, or a revoked one, is a 404."""
    try:
        return tokens_for_user(user=user).get(pk=int(pk))
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def token_for_key(key: str) -> ApiToken | None:
    """The token whose key this is (revoked and expired ones too), with its user."""
    return ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
