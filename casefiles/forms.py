"""The forms of the case pages.

They only check the shape of what the user typed (dates are dates, choices are choices);
every rule of the workflow is checked by the services, whose ``ValidationError`` messages
the views attach to the matching fields with ``attach_service_errors``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from casefiles.models import (
    ActionStatus,
    Case,
    CaseState,
    Category,
    FollowUpAction,
    OutreachActivity,
    PersonRole,
    PublicationChannel,
    Source,
    VerificationSource,
)
from casefiles.services import MAX_PARTICIPANTS
from mcsc.forms import BLANK_CHOICE, PageForm, date_field, datetime_field, textarea
from mcsc.models import Community, Language, Meeting, Municipality


def now_local_minute() -> dt.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)


# Two numbers, as map apps copy them: "42.6629, 21.1655", "42.6629 21.1655", or with
# decimal commas "42,6629; 21,1655"; degree signs and N/E letters are allowed.
_NUMBER = r"([+-]?\d{1,3}(?:[.,]\d+)?)"
_COORDINATES = re.compile(rf"^{_NUMBER}\s*(?:[,;/]\s*|\s+){_NUMBER}$")
_DECORATION = re.compile(r"[°º]|\b[NE]\b", re.IGNORECASE)
COORDINATE_PLACES = Decimal("0.00001")


def parse_coordinates(text: str) -> tuple[Decimal, Decimal] | None:
    """The latitude and longitude in ``text`` (5 decimals, about 1 m), None when empty.

    Only the shape is checked here; whether the place lies in Kosovo is the service's rule.
    """
    text = " ".join(_DECORATION.sub(" ", text or "").split())
    if not text:
        return None
    match = _COORDINATES.match(text)
    if match is None:
        raise forms.ValidationError(
            _("Write the latitude, then the longitude, e.g. 42.66290, 21.16550."),
            code="coordinates",
        )
    lat, lon = (Decimal(part.replace(",", ".")) for part in match.groups())
    return tuple(v.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP) for v in (lat, lon))


class CoordinatesField(forms.CharField):
    """One box for a place's coordinates, pasted from a map app or a phone."""

    def __init__(self, **kwargs):
        super().__init__(
            required=False,
            max_length=60,
            widget=forms.TextInput(
                attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
            ),
            **kwargs,
        )

    def clean(self, value):
        return parse_coordinates(super().clean(value))


class CommunityChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Community.objects.order_by("name_en"),
            empty_label=_("— choose —"),
            **kwargs,
        )

    def label_from_instance(self, obj: Community) -> str:
        return obj.name


class LanguageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Language) -> str:
        if obj.name_native and obj.name_native != obj.name:
            return f"{obj.name} — {obj.name_native}"
        return obj.name


# --- Case list filters -------------------------------------------------------------------


class CaseFilterForm(PageForm):
    """The filters of the case list (a GET form: every field optional)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Reference, summary, settlement or location"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *CaseState.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *Category.choices]
    )
    community = forms.ChoiceField(label=_("Affected community"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    date_from = date_field(_("Incident from"), required=False)
    date_to = date_field(_("Incident until"), required=False)
    overdue = forms.BooleanField(label=_("Only overdue cases"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Newest report first")), ("due", _("Soonest due first"))],
    )
    # Drill-down from the compliance dashboard (``casefiles.compliance.figures.FIGURES``).
    region = forms.ChoiceField(label=_("Region"), required=False)
    figure = forms.ChoiceField(label=_("Compliance figure"), required=False)

    def __init__(self, *args, municipalities=None, communities=(), regions=None, **kwargs):
        from casefiles.compliance.figures import figure_choices

        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("All"))] + [
            (c.code, c.name) for c in communities
        ]
        if municipalities is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].choices = [("", _("All"))] + [
                (m.code, str(m)) for m in municipalities
            ]
        if regions is None:
            del self.fields["region"]
        else:
            self.fields["region"].choices = [("", _("All"))] + [(r.code, r.name) for r in regions]
        self.fields["figure"].choices = [("", _("All")), *figure_choices()]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date cannot come before the start date."))
        return data


# --- New incident --------------------------------------------------------------------------


class CaseOpenForm(PageForm):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.none(), empty_label=_("— choose —")
    )
    occurred_at = datetime_field(
        _("Incident date and time"), help_text=_("When the incident happened, as far as known.")
    )
    reported_at = datetime_field(
        _("Reported date and time"), help_text=_("When the incident was reported to you.")
    )
    category = forms.ChoiceField(label=_("Category"), choices=[*BLANK_CHOICE, *Category.choices])
    affected_community = CommunityChoiceField(label=_("Affected community"))
    source = forms.ChoiceField(
        label=_("Source of the report"), choices=[*BLANK_CHOICE, *Source.choices]
    )
    source_reference = forms.CharField(
        label=_("Source reference"),
        max_length=200,
        required=False,
        help_text=_("For example the police report number or the article's address."),
    )
    settlement = forms.CharField(label=_("Settlement"), max_length=120)
    location = forms.CharField(
        label=_("Location"),
        max_length=300,
        required=False,
        help_text=_("Street, building or landmark."),
    )
    coordinates = CoordinatesField(
        label=_("Coordinates"),
        help_text=_(
            "Optional. Latitude, then longitude, e.g. 42.66290, 21.16550: copy them from a "
            "map app or your phone and paste them here."
        ),
    )
    summary = forms.CharField(label=_("What happened"), widget=textarea(6))
    person_role = forms.ChoiceField(
        label=_("Role of the person"),
        required=False,
        choices=[("", _("— no person —")), *PersonRole.choices],
    )
    person_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    person_contact = forms.CharField(
        label=_("Contact"),
        max_length=300,
        required=False,
        help_text=_("Phone, e-mail or address. Only the municipality's staff can read it."),
    )

    PERSON_FIELDS = ("person_role", "person_name", "person_contact")
    # The service names the two numbers; the page has one box for both.
    service_error_fields = {"latitude": "coordinates", "longitude": "coordinates"}
    field_order = [
        "municipality",
        "occurred_at",
        "reported_at",
        "category",
        "affected_community",
        "settlement",
        "location",
        "summary",
        "source",
        "source_reference",
        "coordinates",
    ]

    def __init__(self, *args, municipalities, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("reported_at", now_local_minute())
        super().__init__(*args, **kwargs)
        choices = list(municipalities)
        if len(choices) > 1:
            self.fields["municipality"].queryset = municipalities
        else:
            del self.fields["municipality"]
        self.single_municipality = choices[0] if len(choices) == 1 else None

    def incident_fields(self):
        return [self[name] for name in self.fields if name not in self.PERSON_FIELDS]

    def person_fields(self):
        return [self[name] for name in self.PERSON_FIELDS]

    def clean(self):
        data = super().clean()
        role, name = data.get("person_role"), (data.get("person_name") or "").strip()
        if name and not role:
            self.add_error(
                "person_role", _("Say whether the person is a victim, witness or reporter.")
            )
        if role and not name:
            self.add_error("person_name", _("Give the person's name, or choose “no person”."))
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["latitude"], data["longitude"] = data.pop("coordinates") or (None, None)
        role = data.pop("person_role")
        name = data.pop("person_name").strip()
        contact = data.pop("person_contact")
        data["people"] = [{"role": role, "name": name, "contact": contact}] if name else []
        if "municipality" not in data:
            data["municipality"] = self.single_municipality
        return data


# --- Steps ----------------------------------------------------------------------------------


class StepForm(PageForm):
    """A step form knows its case (for choices and initial values)."""

    def __init__(self, *args, case: Case, user: Any = None, **kwargs):
        self.case = case
        self.user = user
        super().__init__(*args, **kwargs)


class VerifyForm(StepForm):
    verification_source = forms.ChoiceField(
        label=_("Verified through"), choices=[*BLANK_CHOICE, *VerificationSource.choices]
    )
    verification_reference = forms.CharField(
        label=_("Verification reference"),
        max_length=200,
        required=False,
        help_text=_("Required when verified by the police: the police case number."),
    )
    category = forms.ChoiceField(label=_("Confirmed category"), choices=Category.choices)
    affected_community = CommunityChoiceField(label=_("Affected community"))
    settlement = forms.CharField(label=_("Settlement"), max_length=120)
    location = forms.CharField(label=_("Location"), max_length=300, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "category": case.category,
                "affected_community": case.affected_community_id,
                "settlement": case.settlement,
                "location": case.location,
                "verification_reference": (
                    case.source_reference if case.source == Source.POLICE else ""
                ),
                "verification_source": (
                    case.source if case.source in VerificationSource.values else ""
                ),
            },
        )
        super().__init__(*args, case=case, **kwargs)


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("Reason"), widget=textarea(5))


class DismissForm(ReasonForm):
    reason = forms.CharField(
        label=_("Reason for dismissal"),
        widget=textarea(5),
        help_text=_(
            "Monitors read this reason: say why the incident is not verified or not serious."
        ),
    )


class ReopenForm(ReasonForm):
    reason = forms.CharField(label=_("Reason for reopening"), widget=textarea(5))


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Meeting) -> str:
        when = formats.date_format(timezone.localtime(obj.starts_at), "j M Y, H:i")
        return f"{when} — {obj.get_kind_display()} — {obj.place}"


def meetings_after_incident(case: Case):
    return Meeting.objects.filter(
        municipality=case.municipality, starts_at__gt=case.occurred_at
    ).order_by("-starts_at")


class ConveneForm(StepForm):
    meeting = MeetingChoiceField(
        label=_("Council meeting that discussed the case"),
        queryset=Meeting.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
    )

    def __init__(self, *args, case: Case, meetings=(), **kwargs):
        super().__init__(*args, case=case, **kwargs)
        field = self.fields["meeting"]
        # Any meeting after the incident is accepted here, so that the service says what a
        # meeting lacks; only the ``meetings`` that qualify are offered.
        field.queryset = meetings_after_incident(case)
        field.choices = [(m.pk, field.label_from_instance(m)) for m in meetings]


class DraftStatementForm(StepForm):
    language = LanguageChoiceField(
        label=_("Language of the text"),
        queryset=Language.objects.none(),
        empty_label=None,
        help_text=_("Translations into the other required languages follow approval."),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(label=_("Statement text"), widget=textarea(12))

    def __init__(self, *args, case: Case, required_languages=(), **kwargs):
        super().__init__(*args, case=case, **kwargs)
        self.fields["language"].queryset = Language.objects.filter(
            pk__in=[language.pk for language in required_languages]
        )


class ApproveForm(StepForm):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=textarea(3), help_text=_("Optional.")
    )


class RejectForm(StepForm):
    comment = forms.CharField(
        label=_("What must change"),
        widget=textarea(5),
        help_text=_("The secretary reads this when writing the next version."),
    )


class PublishForm(StepForm):
    channels = forms.MultipleChoiceField(
        label=_("Publication channels"),
        choices=PublicationChannel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    published_at = datetime_field(
        _("Publication date and time"),
        required=False,
        help_text=_("Leave empty to record the publication now."),
    )


class OutreachForm(StepForm):
    held_on = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200)
    officials_present = forms.CharField(
        label=_("Officials present"),
        widget=textarea(3),
        help_text=_("Names and functions, one per line."),
    )
    participants_women = forms.IntegerField(
        label=_("Participants: women"), min_value=0, max_value=MAX_PARTICIPANTS, initial=0
    )
    participants_men = forms.IntegerField(
        label=_("Participants: men"), min_value=0, max_value=MAX_PARTICIPANTS, initial=0
    )
    participants_other = forms.IntegerField(
        label=_("Participants: other or not stated"),
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        initial=0,
    )
    concerns_raised = forms.CharField(label=_("Concerns raised"), widget=textarea(4))
    commitments_made = forms.CharField(
        label=_("Commitments made"), required=False, widget=textarea(4)
    )
    language = LanguageChoiceField(
        label=_("Language used"), queryset=Language.objects.all(), empty_label=_("— choose —")
    )

    PARTICIPANT_FIELDS = ("participants_women", "participants_men", "participants_other")

    def __init__(self, *args, case: Case, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("held_on", timezone.localdate())
        initial.setdefault("language", case.affected_community.language_id)
        super().__init__(*args, case=case, **kwargs)

    def main_fields(self):
        return [self[n] for n in self.fields if n not in self.PARTICIPANT_FIELDS]

    def participant_fields(self):
        return [self[n] for n in self.PARTICIPANT_FIELDS]


FOLLOW_UP_ROWS = 3


def open_commitments(case: Case) -> list[tuple[OutreachActivity, str]]:
    """The case's outreach commitments not yet made into follow-up actions, in order."""
    taken = set(
        FollowUpAction.objects.filter(case=case, source_outreach__isnull=False).values_list(
            "source_outreach_id", "source_commitment"
        )
    )
    return [
        (activity, line)
        for activity in case.outreach.order_by("held_on", "id")
        for line in activity.commitment_lines()
        if (activity.pk, line) not in taken
    ]


class StartFollowUpForm(StepForm):
    """The first actions, at least three rows; a row left blank is ignored. Rows are
    prefilled with the outreach commitments not yet made into actions (each row keeps
    which commitment it came from, so the case page marks it)."""

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        commitments = open_commitments(case)
        self.row_count = max(FOLLOW_UP_ROWS, len(commitments))
        self.prefilled = bool(commitments)
        self.sources: dict[str, tuple[OutreachActivity, str]] = {}
        for row in range(1, self.row_count + 1):
            self.fields[f"action_{row}_description"] = forms.CharField(
                label=_("Action"), required=False, widget=textarea(2)
            )
            self.fields[f"action_{row}_owner"] = forms.CharField(
                label=_("Owner"),
                max_length=200,
                required=False,
                help_text=_("Person or office responsible."),
            )
            self.fields[f"action_{row}_due_on"] = date_field(_("Due date"), required=False)
            self.fields[f"action_{row}_source"] = forms.CharField(
                required=False, max_length=40, widget=forms.HiddenInput
            )
        for row, (activity, line) in enumerate(commitments, start=1):
            key = f"{activity.pk}:{activity.commitment_lines().index(line) + 1}"
            self.sources[key] = (activity, line)
            self.initial.setdefault(f"action_{row}_description", line)
            self.initial.setdefault(f"action_{row}_source", key)

    def rows(self):
        return [
            (
                row,
                [
                    self[f"action_{row}_description"],
                    self[f"action_{row}_owner"],
                    self[f"action_{row}_due_on"],
                ],
            )
            for row in range(1, self.row_count + 1)
        ]

    def clean(self):
        data = super().clean()
        actions = []
        for row in range(1, self.row_count + 1):
            names = [f"action_{row}_{part}" for part in ("description", "owner", "due_on")]
            if any(self.errors.get(name) for name in names):
                continue
            values = [data.get(name) for name in names]
            if not any(values):
                continue
            description, owner, due_on = values
            if not (description or "").strip():
                self.add_error(names[0], _("Describe the action, or empty the whole row."))
            if not (owner or "").strip():
                self.add_error(names[1], _("Say who owns the action."))
            if due_on is None:
                self.add_error(names[2], _("Give a due date."))
            action = {"description": description, "owner": owner, "due_on": due_on}
            # A source that is not one of the open commitments (taken meanwhile, or
            # altered) is left out: the action is then an ordinary one.
            source = self.sources.get(data.get(f"action_{row}_source") or "")
            if source is not None:
                action["source_outreach"], action["source_commitment"] = source
            actions.append(action)
        data["actions"] = actions
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {"actions": self.cleaned_data["actions"]}


SAFETY_CHOICES = [
    (1, _("1 — very unsafe")),
    (2, _("2 — unsafe")),
    (3, _("3 — neither")),
    (4, _("4 — safe")),
    (5, _("5 — very safe")),
]


def inline_choices(field: forms.Field) -> forms.Field:
    """Short choices shown side by side (the template reads this flag)."""
    field.inline_choices = True
    return field


class CloseForm(StepForm):
    closing_summary = forms.CharField(
        label=_("Closing summary"),
        widget=textarea(6),
        help_text=_("What was done, and how the affected community feels now."),
    )
    safety_before = inline_choices(
        forms.TypedChoiceField(
            label=_("Community's sense of safety before the response"),
            choices=SAFETY_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
        )
    )
    safety_after = inline_choices(
        forms.TypedChoiceField(
            label=_("Community's sense of safety now"),
            choices=SAFETY_CHOICES,
            coerce=int,
            widget=forms.RadioSelect,
        )
    )


# --- Translations, outreach and follow-up actions -------------------------------------------


class TranslationForm(PageForm):
    title = forms.CharField(label=_("Translated title"), max_length=300)
    text = forms.CharField(label=_("Translated text"), widget=textarea(14))

    def __init__(self, *args, language: Language | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if language is not None:
            for name in ("title", "text"):
                self.fields[name].widget.attrs["lang"] = language.code


class FollowUpActionForm(PageForm):
    description = forms.CharField(label=_("Action"), widget=textarea(3))
    owner = forms.CharField(
        label=_("Owner"), max_length=200, help_text=_("Person or office responsible.")
    )
    due_on = date_field(_("Due date"))


class OutreachActionsForm(PageForm):
    """One row per commitment of an outreach activity not yet made into an action: ticked
    by default, its text as the action, the owner and due date to fill in."""

    def __init__(self, *args, outreach: OutreachActivity, taken: set[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.outreach = outreach
        self.commitments = [
            (number, line, line in taken)
            for number, line in enumerate(outreach.commitment_lines(), start=1)
        ]
        for number, line, done in self.commitments:
            if done:
                continue
            self.fields[f"c{number}_take"] = forms.BooleanField(
                label=_("Add as a follow-up action"), required=False, initial=True
            )
            self.fields[f"c{number}_description"] = forms.CharField(
                label=_("Action"), required=False, initial=line, widget=textarea(2)
            )
            self.fields[f"c{number}_owner"] = forms.CharField(
                label=_("Owner"),
                max_length=200,
                required=False,
                help_text=_("Person or office responsible."),
            )
            self.fields[f"c{number}_due_on"] = date_field(_("Due date"), required=False)
        self.service_error_fields: dict[str, str] = {}

    def rows(self):
        return [
            {
                "number": number,
                "text": line,
                "taken": done,
                "fields": []
                if done
                else [self[f"c{number}_{part}"] for part in ("take", "description", "owner")]
                + [self[f"c{number}_due_on"]],
            }
            for number, line, done in self.commitments
        ]

    def clean(self):
        data = super().clean()
        actions = []
        for number, line, done in self.commitments:
            if done or not data.get(f"c{number}_take"):
                continue
            actions.append(
                {
                    "commitment": line,
                    "description": data.get(f"c{number}_description") or "",
                    "owner": data.get(f"c{number}_owner") or "",
                    "due_on": data.get(f"c{number}_due_on"),
                }
            )
            # The service counts the actions it is given; the page shows its messages on
            # the row they concern.
            index = len(actions)
            for part in ("description", "owner", "due_on"):
                self.service_error_fields[f"actions.{index}.{part}"] = f"c{number}_{part}"
            self.service_error_fields[f"actions.{index}.commitment"] = f"c{number}_take"
        data["actions"] = actions
        return data

    def service_kwargs(self) -> dict[str, Any]:
        return {"actions": self.cleaned_data["actions"]}


class FollowUpActionUpdateForm(PageForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    completed_on = date_field(
        _("Completed on"),
        required=False,
        help_text=_("For a done action; leave empty for today."),
    )
    drop_reason = forms.CharField(
        label=_("Reason for dropping"),
        required=False,
        widget=textarea(3),
        help_text=_("Required when the action is dropped."),
    )
