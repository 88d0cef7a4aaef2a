from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and sign-in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-in events come from Django's and django-axes' signals (library code), and
        # a removed role revokes the user's API tokens through mcsc's hook.
        from accounts import checks, signals  # noqa: F401
        from accounts.services import tokens_revoke_on_role_removal
        from mcsc.services import register_role_removed_hook

        register_role_removed_hook(tokens_revoke_on_role_removal)


class McscAdminConfig(admin_apps.AdminConfig):
    """The Django admin, with a site that needs a verified second factor."""

    default = False
    default_site = "accounts.admin_site.AdminSite"
