"""A system check: ``MCSC_MFA_REQUIRED_ROLES`` (env ``MFA_REQUIRED_ROLES``) names only
roles that exist, or ``staff``."""

from django.conf import settings
from django.core.checks import Error, register

from accounts.selectors import STAFF
from mcsc.models import Role


@register()
def mfa_roles_check(app_configs, **kwargs):
    known = {role.value for role in Role} | {STAFF}
    unknown = sorted(set(settings.MCSC_MFA_REQUIRED_ROLES) - known)
    if not unknown:
        return []
    return [
        Error(
            f"MFA_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use any of: {', '.join(sorted(known))} (comma-separated), or leave it empty.",
            id="accounts.E001",
        )
    ]
