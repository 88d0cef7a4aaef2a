"""The accounts pages' forms: the code step, authenticator set-up, recovery codes and API
tokens. They only check the shape of the input; the services check the codes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from mcsc.forms import PageForm
from mcsc.profiles import profile_language


def _code_field(label, help_text, *, digits_only: bool = False) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
    if digits_only:
        attrs.update({"inputmode": "numeric", "pattern": "[0-9 ]*"})
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=40,
        widget=forms.TextInput(attrs=attrs),
    )


class CodeForm(PageForm):
    code = _code_field(
        _("Code"),
        _("The 6 digits your authenticator app shows now, or one of your recovery codes."),
    )


class EnrolForm(PageForm):
    code = _code_field(
        _("Code from the app"),
        _("After adding the account, enter the 6 digits the app shows."),
        digits_only=True,
    )


class RecoveryCodesForm(PageForm):
    code = _code_field(
        _("Current code"),
        _("To make new recovery codes, confirm with the 6 digits your app shows now."),
    )


def _days_help() -> str:
    return _("Between 1 and %(max)d days; %(default)d if you leave it as it is.") % {
        "max": settings.MCSC_API_TOKEN_MAX_DAYS,
        "default": settings.MCSC_API_TOKEN_DAYS,
    }


class TokenCreateForm(PageForm):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “monthly export script”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.IntegerField(
            label=_("Valid for (days)"),
            min_value=1,
            max_value=settings.MCSC_API_TOKEN_MAX_DAYS,
            initial=settings.MCSC_API_TOKEN_DAYS,
            help_text=_days_help(),
        )


class PasswordResetRequestForm(PasswordResetForm):
    """Django's reset form; each mail in its recipient's interface language."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        language = profile_language(context["user"]) or settings.LANGUAGE_CODE
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
