"""The Django admin's site: like Django's, but a user who needs a second factor must have
given it in this session (the same rule as django-otp's ``OTPAdminSite``), and signing in
goes through the product's sign-in page (throttling, audit, code step) and changing one's
own password through the product's page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from accounts.middleware import is_pending
from accounts.selectors import second_factor_needed


class AdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        if not super().has_permission(request):
            return False
        is_verified = getattr(request.user, "is_verified", None)
        if is_verified is not None and is_verified():
            return True
        return not second_factor_needed(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, settings.LOGIN_URL)
        if is_pending(request):
            return redirect_to_login(next_url, reverse("accounts:verify"))
        return super().login(request, extra_context)

    def password_change(self, request, extra_context=None):
        """The product's page, whose change is audited and revokes the user's API tokens."""
        return redirect("password_change")
