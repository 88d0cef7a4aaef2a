"""Form plumbing shared by every page form of the product (cases, councils, audit,
compliance): accessible fields, service errors shown on the fields they name, and the
date, time and choice inputs a phone browser renders well.

It imports only Django and ``mcsc.inputs`` (the limits on dates and numbers); the apps'
forms import it. Rules of the workflow stay in the services: forms only check the shape of
what the user typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from mcsc.inputs import (
    EARLIEST_DATE,
    MAX_INTEGER,
    choice_values,
    latest_date,
    not_a_choice_message,
    validate_date_in_range,
)

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
BLANK_CHOICE = [("", _("— choose —"))]


class AccessibleBoundField(BoundField):
    """Points ``aria-describedby`` at the ids ``templates/partials/field.html`` renders."""

    @property
    def aria_describedby(self):
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}_help")
            if self.errors:
                ids.append(f"{self.auto_id}_error")
        return " ".join(ids)


def bound_input(field: forms.Field) -> None:
    """Give a form field the product's limits (``mcsc.inputs``): dates within the range,
    whole numbers within ``MAX_INTEGER`` unless the field sets a lower maximum. Date
    inputs also tell the browser the range."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        if validate_date_in_range not in field.validators:
            field.validators.append(validate_date_in_range)
        kind = getattr(field.widget, "input_type", None)
        if kind in ("date", "datetime-local"):
            suffix = "T00:00" if kind == "datetime-local" else ""
            field.widget.attrs.setdefault("min", EARLIEST_DATE.isoformat() + suffix)
            field.widget.attrs.setdefault("max", latest_date().isoformat() + suffix)
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        values = choice_values(field.choices)
        if values is not None:
            field.error_messages["invalid_choice"] = not_a_choice_message(values, "%(value)s")
    elif isinstance(field, forms.IntegerField):
        if field.max_value is None:
            field.max_value = MAX_INTEGER
            field.validators.append(MaxValueValidator(MAX_INTEGER))
        if field.min_value is None:
            field.min_value = -MAX_INTEGER - 1
            field.validators.append(MinValueValidator(field.min_value))


class PageForm(forms.Form):
    """Base of every form of the pages. Its date and number fields keep to the limits of
    ``mcsc.inputs`` (``bound_input``), fields added after construction included."""

    bound_field_class = AccessibleBoundField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_input(field)

    def full_clean(self) -> None:
        for field in self.fields.values():
            bound_input(field)
        super().full_clean()

    def service_kwargs(self) -> dict[str, Any]:
        """The keyword arguments of the service this form feeds."""
        return dict(self.cleaned_data)


def _field_for(form: forms.Form, key: str) -> str | None:
    # Services name foreign keys by their column ("municipality_id"); forms by the field.
    # A form whose one field feeds several service arguments maps them
    # (``service_error_fields``).
    key = getattr(form, "service_error_fields", {}).get(key, key)
    for name in (key, key.removesuffix("_id")):
        if name in form.fields and name != NON_FIELD_ERRORS:
            return name
    return None


def attach_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the fields it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            target = _field_for(form, field)
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL)


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=date_input(), **kwargs)


def datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=datetime_input(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        **kwargs,
    )


def textarea(rows: int = 5) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class RadioChoiceField(forms.ChoiceField):
    """Radio buttons rendered as large touch targets (``partials/field.html``)."""

    def __init__(self, *args, inline: bool = True, **kwargs):
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(*args, **kwargs)
        self.inline_choices = inline


class IdChoiceField(forms.TypedChoiceField):
    """A choice among rows loaded once by the view (no query per rendered form)."""

    def __init__(self, *, rows: Iterable[Any], label_of, required: bool = False, **kwargs):
        self.rows = {str(row.pk): row for row in rows}
        choices = BLANK_CHOICE + [(key, label_of(row)) for key, row in self.rows.items()]
        super().__init__(
            choices=choices, required=required, coerce=self._row, empty_value=None, **kwargs
        )

    def _row(self, key: str) -> Any:
        try:
            return self.rows[str(key)]
        except KeyError:
            raise ValueError(key) from None
