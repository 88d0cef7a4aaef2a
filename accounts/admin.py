"""The admin of accounts: users (reset of the second factor, password changes through the
audited service), API tokens (revocation), and django-axes' sign-in counters (lifting a
lockout through the audited service). django-otp's own device admins are removed: they
show secrets and would delete devices without an audit event."""

from __future__ import annotations

import copy
import functools

# Imported first so that their registrations exist before this module replaces them.
import axes.admin  # noqa: F401
import django_otp.plugins.otp_static.admin
import django_otp.plugins.otp_totp.admin  # noqa: F401
from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import ApiToken
from accounts.net import client_ip

User = get_user_model()

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class ServicePasswordChangeForm(AdminPasswordChangeForm):
    """The admin's password form, saving through ``password_change`` as ``actor``."""

    def __init__(self, user, *args, actor=None, ip="", **kwargs):
        super().__init__(user, *args, **kwargs)
        self.actor = actor
        self.ip = ip

    def save(self, commit=True):
        usable = self.cleaned_data.get("set_usable_password", True)
        services.password_change(
            user=self.user,
            password=self.cleaned_data["password1"] if usable else None,
            actor=self.actor,
            ip=self.ip,
        )
        return self.user


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    actions = ["reset_second_factor"]

    def user_change_password(self, request, id, form_url=""):
        # The form is built inside Django's view; a copy of this admin per request hands
        # it the acting administrator.
        bound = copy.copy(self)
        bound.change_password_form = functools.partial(
            ServicePasswordChangeForm, actor=request.user, ip=client_ip(request)
        )
        return DjangoUserAdmin.user_change_password(bound, request, id, form_url)

    @admin.action(description=_("Reset the second factor (authenticator and recovery codes)"))
    def reset_second_factor(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                services.mfa_reset(user=user, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "The second factor of %(n)d user was reset; they set up a new one at "
                    "their next sign-in if their role needs it.",
                    "The second factor of %(n)d users was reset; they set up a new one at "
                    "their next sign-in if their role needs it.",
                    done,
                )
                % {"n": done},
                messages.SUCCESS,
            )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = list_display
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["view"])
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.token_revoke(token=token, actor=request.user, ip=client_ip(request))
            revoked += 1
        self.message_user(
            request,
            ngettext("%(n)d token revoked.", "%(n)d tokens revoked.", revoked) % {"n": revoked},
            messages.SUCCESS,
        )


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """Deleting a counter lifts its lockout, through ``lockout_lift`` (audited)."""

    def delete_model(self, request, obj):
        services.lockout_lift(
            actor=request.user, username=obj.username or "", ip_address=obj.ip_address or ""
        )

    def delete_queryset(self, request, queryset):
        for attempt in queryset:
            services.lockout_lift(
                actor=request.user,
                username=attempt.username or "",
                ip_address=attempt.ip_address or "",
            )
