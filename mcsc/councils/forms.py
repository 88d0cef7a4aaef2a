"""Forms of the council and meeting pages.

They check the shape of what the user typed; the rules (scope, frozen minutes, quorum,
same municipality) are the services' job, and their ``ValidationError`` messages are shown
on the matching fields by ``attach_service_errors``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from mcsc.councils.services import MAX_QUORUM
from mcsc.forms import (
    BLANK_CHOICE,
    IdChoiceField,
    PageForm,
    RadioChoiceField,
    date_field,
    datetime_field,
    textarea,
)
from mcsc.models import (
    AGENDA_TRANSLATED_FIELDS,
    AgendaItem,
    AttendanceStatus,
    Community,
    CouncilMember,
    Language,
    Meeting,
    MeetingKind,
    Seat,
)


def case_label(case) -> str:
    return f"{case.reference} — {case.get_category_display()} ({case.get_state_display()})"


def agenda_case_label(case) -> str:
    """A case in the agenda's picker: what a secretary searches it by."""
    if case.settlement:
        category, state = case.get_category_display(), case.get_state_display()
        return f"{case.reference} — {case.settlement} — {category} ({state})"
    return case_label(case)


def member_label(member: CouncilMember) -> str:
    return f"{member.name} — {member.get_seat_display()}"


def meeting_label(meeting: Meeting) -> str:
    when = formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATETIME_FORMAT")
    return f"{when} — {meeting.get_kind_display()} — {meeting.place}"


# --- Council ----------------------------------------------------------------------------


class CouncilSettingsForm(PageForm):
    name = forms.CharField(label=_("Name of the council"), max_length=200, required=False)
    quorum_minimum = forms.IntegerField(
        label=_("Quorum (members present)"),
        min_value=1,
        max_value=MAX_QUORUM,
        required=False,
        help_text=_(
            "Leave empty for the default rule: more than half of the members in office on "
            "the day of the meeting."
        ),
    )


class MemberForm(PageForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    seat = forms.ChoiceField(label=_("Seat"), choices=BLANK_CHOICE + list(Seat.choices))
    community = forms.ModelChoiceField(
        label=_("Community represented"),
        queryset=Community.objects.order_by("name_en"),
        required=False,
        help_text=_("For community representatives."),
    )
    appointed_on = date_field(_("Appointed on"))
    appointment_reference = forms.CharField(
        label=_("Assembly decision reference"),
        max_length=100,
        required=False,
        help_text=_("The number of the municipal assembly's decision appointing the member."),
    )
    ended_on = date_field(
        _("Membership ended on"),
        required=False,
        help_text=_("Set when the member leaves the council; their history is kept."),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)

    def __init__(self, *args, ending: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not ending:
            del self.fields["ended_on"]
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})


# --- Meetings ---------------------------------------------------------------------------


class MeetingForm(PageForm):
    kind = RadioChoiceField(label=_("Kind of meeting"), choices=MeetingKind.choices)
    starts_at = datetime_field(_("Date and time"))
    place = forms.CharField(label=_("Place"), max_length=200)

    def __init__(self, *args, members: Sequence[CouncilMember] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"] = IdChoiceField(
            label=_("Chair"), rows=members, label_of=member_label, required=False
        )


class AgendaRowForm(PageForm):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)

    def __init__(self, *args, cases: Sequence[Any] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"] = IdChoiceField(
            label=_("or a case of the municipality"),
            rows=cases,
            label_of=agenda_case_label,
            help_text=_("The open cases found by the search above."),
        )


class BaseAgendaFormSet(forms.BaseFormSet):
    def __init__(self, *args, cases: Sequence[Any] = (), **kwargs):
        self.cases = list(cases)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"cases": self.cases}

    @property
    def empty_form(self):  # pragma: no cover - not rendered
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), cases=[])

    def agenda(self) -> list[dict[str, Any]]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {}) or {}
            if (data.get("title") or "").strip() or data.get("case") is not None:
                rows.append({"title": data.get("title") or "", "case": data.get("case")})
        return rows


AgendaFormSet = forms.formset_factory(AgendaRowForm, formset=BaseAgendaFormSet, extra=4)


class AttendanceForm(PageForm):
    """One radio group per member: present, excused or absent."""

    def __init__(self, *args, members: Sequence[CouncilMember], recorded: dict[int, str], **kw):
        super().__init__(*args, **kw)
        self.members = list(members)
        for member in self.members:
            field = RadioChoiceField(
                label=member_label(member), choices=AttendanceStatus.choices, required=True
            )
            field.initial = recorded.get(member.pk)
            self.fields[f"member_{member.pk}"] = field

    def attendance(self, *, all_present: bool = False) -> dict[int, str]:
        if all_present:
            return {member.pk: AttendanceStatus.PRESENT for member in self.members}
        return {member.pk: self.cleaned_data[f"member_{member.pk}"] for member in self.members}


def translation_field_name(field: str, language: Language) -> str:
    return f"{field}__{language.code}"


class _TranslatedForm(PageForm):
    translated_fields: tuple[str, ...] = ()

    def add_translation_fields(self, languages: Sequence[Language], existing: dict) -> None:
        self.languages = list(languages)
        for language in self.languages:
            for field in self.translated_fields:
                original = self.fields[field]
                name = translation_field_name(field, language)
                self.fields[name] = forms.CharField(
                    label=f"{original.label} ({language.name_native})",
                    required=False,
                    widget=textarea(3) if field != "title" else forms.TextInput(),
                )
                self.fields[name].widget.attrs["lang"] = language.code
                self.fields[name].initial = (existing.get(language.code) or {}).get(field, "")

    def translations(self) -> dict[str, dict[str, str]]:
        return {
            language.code: {
                field: self.cleaned_data.get(translation_field_name(field, language)) or ""
                for field in self.translated_fields
            }
            for language in self.languages
        }

    def original_fields(self):
        return [self[name] for name in self.translated_fields if name in self.fields] + [
            self[name] for name in self.extra_fields if name in self.fields
        ]

    extra_fields: tuple[str, ...] = ()

    def translation_groups(self):
        return [
            (
                language,
                [self[translation_field_name(f, language)] for f in self.translated_fields],
            )
            for language in self.languages
        ]


class AgendaItemForm(_TranslatedForm):
    translated_fields = AGENDA_TRANSLATED_FIELDS
    title = forms.CharField(label=_("Title"), max_length=300)
    discussion = forms.CharField(label=_("Discussion"), required=False, widget=textarea(6))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=textarea(4))

    def __init__(self, *args, item: AgendaItem, languages: Sequence[Language], **kwargs):
        kwargs.setdefault(
            "initial",
            {"title": item.title, "discussion": item.discussion, "decisions": item.decisions},
        )
        super().__init__(*args, **kwargs)
        self.add_translation_fields(languages, item.translations or {})


class AgendaItemAddForm(AgendaRowForm):
    pass


class CaseSearchForm(PageForm):
    """The agenda's case picker searches every open case of the municipality (a GET form)."""

    q = forms.CharField(
        label=_("Find a case"),
        required=False,
        max_length=100,
        help_text=_("Reference, settlement or words of the summary. Open cases only."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class GuestForm(PageForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)


class ActionItemForm(_TranslatedForm):
    translated_fields = ("description",)
    extra_fields = ("owner", "due_on", "agenda_item", "case")
    description = forms.CharField(label=_("Action"), widget=textarea(3))
    owner = forms.CharField(label=_("Owner"), max_length=200)
    due_on = date_field(_("Due date"))

    def __init__(
        self,
        *args,
        items: Sequence[AgendaItem],
        cases: Sequence[Any],
        languages: Sequence[Language],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"] = IdChoiceField(label=_("Agenda item"), rows=items, label_of=str)
        self.fields["case"] = IdChoiceField(
            label=_("Case"),
            rows=cases,
            label_of=case_label,
            help_text=_("Leave empty to use the agenda item's case, if it has one."),
        )
        self.add_translation_fields(languages, {})


class AttachForm(PageForm):
    def __init__(self, *args, cases: Sequence[Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"] = IdChoiceField(
            label=_("Case"),
            rows=cases,
            label_of=case_label,
            help_text=_("Leave empty to use the case recorded with the action item."),
        )


class ApproveForm(PageForm):
    def __init__(self, *args, meetings: Sequence[Meeting], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approving_meeting"] = IdChoiceField(
            label=_("Approved at the meeting of"),
            rows=meetings,
            label_of=meeting_label,
            required=True,
            help_text=_("Minutes are approved at a later meeting, normally the next one."),
        )


class AmendForm(PageForm):
    reason = forms.CharField(
        label=_("What does the amendment correct?"),
        widget=textarea(4),
        help_text=_("Kept with the new version and printed on it."),
    )
