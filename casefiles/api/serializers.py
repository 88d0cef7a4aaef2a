"""Serializers of the case API.

Output serializers read the objects the selectors prefetched (a fixed number of queries).
Input serializers (``mcsc.api.inputs.InputSerializer``: unknown fields refused, dates and
numbers in range) only check the shape of a request and turn codes into objects; the rules
of the process (who, when, what is complete) are the services' to enforce.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casefiles import selectors, services
from casefiles.models import (
    ActionStatus,
    AuditEvent,
    Case,
    CasePerson,
    CaseState,
    Category,
    FollowUpAction,
    OutreachActivity,
    PersonRole,
    PublicationChannel,
    Source,
    Statement,
    Translation,
    VerificationSource,
)
from mcsc.api.inputs import InputSerializer
from mcsc.models import Community, Language, Meeting, Municipality
from mcsc.permissions import scope_filter

TRANSITION_NAMES = list(selectors.TRANSITION_ACTIONS)
# What each blocker means, for the schema's readers (the messages say it to users).
BLOCK_CODE_CHOICES = [
    (
        selectors.BlockCode.NO_QUALIFYING_MEETING.value,
        "no council meeting held after the incident has the case on its agenda, its "
        "attendance recorded and a quorum",
    ),
    (selectors.BlockCode.NO_STATEMENT.value, "no statement version awaits review"),
    (
        selectors.BlockCode.FOUR_EYES.value,
        "the user drafted the statement; another member of the leadership must review it",
    ),
    (
        selectors.BlockCode.TRANSLATIONS_MISSING.value,
        "a required language has no approved translation",
    ),
    (
        selectors.BlockCode.FOLLOW_UP_ACTIONS_OPEN.value,
        "a follow-up action is neither done nor dropped",
    ),
]
assert {code for code, _label in BLOCK_CODE_CHOICES} == set(selectors.BlockCode)


def _code_field(model, **kwargs: Any) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", queryset=model.objects.all(), **kwargs)


# --- Output ---------------------------------------------------------------------------


class WayForwardSerializer(serializers.Serializer):
    url = serializers.URLField(
        read_only=True, help_text=_("A page of the web application where the blocker is removed.")
    )
    label = serializers.CharField(read_only=True)


class BlockerSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=BLOCK_CODE_CHOICES,
        read_only=True,
        help_text=_("Why the step would be refused, for programs."),
    )
    message = serializers.CharField(
        read_only=True, help_text=_("Why, naming what is missing, in the user's language.")
    )
    links = WayForwardSerializer(many=True, read_only=True)


class StepOptionSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=TRANSITION_NAMES, read_only=True)
    available = serializers.BooleanField(
        read_only=True, help_text=_("The step would succeed now, given valid input.")
    )
    blocked_by = BlockerSerializer(
        many=True, read_only=True, help_text=_("Empty when the step is available.")
    )


class CaseListSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    affected_community = serializers.SlugRelatedField(slug_field="code", read_only=True)
    due_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text=_("Deadline of the step the case waits for (null once closed or dismissed)."),
    )
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Case
        fields = [
            "reference",
            "municipality",
            "state",
            "state_display",
            "state_changed_at",
            "occurred_at",
            "reported_at",
            "settlement",
            "category",
            "category_display",
            "affected_community",
            "summary",
            "due_at",
            "overdue",
        ]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """A victim, witness or reporter: personal data, never shown to monitors or members."""

    role = serializers.ChoiceField(choices=PersonRole.choices)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    contact = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = CasePerson
        fields = [
            "id",
            "role",
            "role_display",
            "name",
            "contact",
            "notes",
            "created_at",
            "anonymised_at",
        ]
        read_only_fields = ["id", "created_at", "anonymised_at"]


class TranslationSerializer(serializers.ModelSerializer):
    language = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_("draft or approved"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    translator = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = Translation
        fields = [
            "language",
            "title",
            "text",
            "status",
            "status_display",
            "translator",
            "updated_at",
            "reviewer",
            "reviewed_at",
        ]
        read_only_fields = fields


class StatementSerializer(serializers.ModelSerializer):
    language = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text=_("pending, approved, rejected or published")
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    drafted_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reviewed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    translations = TranslationSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "version",
            "language",
            "title",
            "text",
            "status",
            "status_display",
            "drafted_by",
            "drafted_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "translations",
        ]
        read_only_fields = fields


class OutreachActivitySerializer(serializers.ModelSerializer):
    language = serializers.SlugRelatedField(slug_field="code", read_only=True)
    participants_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = OutreachActivity
        fields = [
            "id",
            "held_on",
            "place",
            "officials_present",
            "participants_women",
            "participants_men",
            "participants_other",
            "participants_total",
            "concerns_raised",
            "commitments_made",
            "language",
            "recorded_at",
        ]
        read_only_fields = fields


class FollowUpActionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=_("open, done or dropped"))
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = FollowUpAction
        fields = [
            "id",
            "description",
            "owner",
            "due_on",
            "status",
            "status_display",
            "drop_reason",
            "completed_on",
            "source_agenda_item",
            "created_at",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseListSerializer):
    """A case with every step record.

    ``people`` is present only for users who may see personal data in the case's
    municipality (never for monitors, council members or translators), and only in the
    response to ``GET /cases/{reference}/``; each such read is in the audit trail.
    """

    source_display = serializers.CharField(source="get_source_display", read_only=True)
    # Declared: ModelSerializer drops allow_blank from read-only fields, and the schema's enum
    # would lack the "" of a case not verified yet.
    verification_source = serializers.ChoiceField(
        choices=VerificationSource.choices, allow_blank=True, read_only=True
    )
    verification_source_display = serializers.CharField(
        source="get_verification_source_display", read_only=True
    )
    available_transitions = serializers.SerializerMethodField(
        help_text=_("The steps the user can take now: the names of the available `transitions`.")
    )
    transitions = serializers.SerializerMethodField(
        help_text=_(
            "Every step the user has the right to take in the case's state; a step that would "
            "be refused now says why in `blocked_by`, with the pages where that is put right."
        )
    )
    convened_meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    channels = serializers.ListField(
        source="publication_channels",
        child=serializers.ChoiceField(choices=PublicationChannel.choices),
        read_only=True,
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    required_languages = serializers.SerializerMethodField()
    missing_languages = serializers.SerializerMethodField()
    statements = StatementSerializer(many=True, read_only=True)
    outreach = OutreachActivitySerializer(many=True, read_only=True)
    follow_up_actions = FollowUpActionSerializer(many=True, read_only=True)
    # Not read-only so that the schema marks it optional: it is absent for most readers.
    people = PersonSerializer(
        many=True,
        required=False,
        help_text=_("Only for users who may see personal data in the case's municipality."),
    )

    class Meta:
        model = Case
        fields = [
            *CaseListSerializer.Meta.fields,
            "available_transitions",
            "transitions",
            "location",
            "latitude",
            "longitude",
            "source",
            "source_display",
            "source_reference",
            "verification_source",
            "verification_source_display",
            "verification_reference",
            "verified_at",
            "dismissal_reason",
            "dismissed_at",
            "convened_meeting",
            "convened_at",
            "published_at",
            "channels",
            "outreach_at",
            "follow_up_started_at",
            "closing_summary",
            "safety_before",
            "safety_after",
            "closed_at",
            "created_by",
            "created_at",
            "updated_at",
            "required_languages",
            "missing_languages",
            "statements",
            "outreach",
            "follow_up_actions",
            "people",
        ]
        read_only_fields = [name for name in fields if name != "people"]

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=TRANSITION_NAMES))
    )
    def get_available_transitions(self, case: Case) -> list[str]:
        return [option.name for option in self._steps(case) if option.available]

    @extend_schema_field(StepOptionSerializer(many=True))
    def get_transitions(self, case: Case) -> list[dict]:
        request = self.context["request"]
        return [
            {
                "name": option.name,
                "available": option.available,
                "blocked_by": [
                    {
                        "code": blocker.code.value,
                        "message": blocker.message,
                        "links": [
                            {"url": request.build_absolute_uri(link.url), "label": link.label}
                            for link in blocker.links
                        ],
                    }
                    for blocker in option.blocked_by
                ],
            }
            for option in self._steps(case)
        ]

    def _steps(self, case: Case) -> list[selectors.StepOption]:
        # Both fields read the same answer, worked out once per case.
        cache = self.__dict__.setdefault("_steps_cache", {})
        if case.pk not in cache:
            cache[case.pk] = selectors.case_steps(user=self.context["request"].user, case=case)
        return cache[case.pk]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_required_languages(self, case: Case) -> list[str]:
        return [language.code for language in services.case_required_languages(case)]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing_languages(self, case: Case) -> list[str]:
        """Required languages without an approved text for the current statement version."""
        statements = list(case.statements.all())  # prefetched
        current = max(statements, key=lambda s: s.version) if statements else None
        return [language.code for language in services.statement_missing_languages(case, current)]

    def get_fields(self):
        fields = super().get_fields()
        # The key is absent, and the people never read, unless the view decided the user may
        # see them (the schema generator's fake view documents the field).
        schema_generation = getattr(self.context.get("view"), "swagger_fake_view", False)
        if not (self.context.get("include_people") or schema_generation):
            del fields["people"]
        return fields


class AuditEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "sequence",
            "created_at",
            "actor_name",
            "action",
            "action_label",
            "object_type",
            "object_id",
            "from_state",
            "to_state",
            "changes",
            "payload",
            "request_id",
            "previous_hash",
            "hash",
        ]
        read_only_fields = fields


# --- Input ----------------------------------------------------------------------------


class CaseFilterSerializer(InputSerializer):
    """Query parameters of the case list."""

    allow_unknown_fields = True  # page, format

    state = serializers.ChoiceField(choices=CaseState.choices, required=False)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    community = serializers.CharField(
        required=False, help_text=_("Code of the affected community, e.g. turk")
    )
    municipality = serializers.CharField(
        required=False, help_text=_("Statistical office code of the municipality, e.g. 20")
    )
    date_from = serializers.DateField(
        required=False, help_text=_("Incidents on or after this date")
    )
    date_to = serializers.DateField(required=False, help_text=_("Incidents on or before this date"))
    search = serializers.CharField(
        required=False, help_text=_("Text in the reference, summary, settlement or location")
    )
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Only cases past their step's deadline"),
    )

    def validate_community(self, value: str) -> str:
        if value and not Community.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("There is no community with this code."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to and date_to < date_from:
            raise serializers.ValidationError(
                {"date_to": [_("The end date cannot come before the start date.")]}
            )
        return attrs

    def filters(self) -> selectors.CaseFilters:
        return selectors.CaseFilters(**self.validated_data)


class PersonInputSerializer(InputSerializer):
    role = serializers.ChoiceField(choices=PersonRole.choices)
    name = serializers.CharField(max_length=200)
    contact = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class _IntakeFields(InputSerializer):
    occurred_at = serializers.DateTimeField()
    reported_at = serializers.DateTimeField()
    settlement = serializers.CharField(max_length=120)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=8, decimal_places=5, required=False, allow_null=True
    )
    category = serializers.ChoiceField(choices=Category.choices)
    affected_community = _code_field(Community, help_text=_("Community code, e.g. turk"))
    summary = serializers.CharField()
    source = serializers.ChoiceField(choices=Source.choices)
    source_reference = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CaseOpenSerializer(_IntakeFields):
    municipality = _code_field(
        Municipality,
        required=False,
        help_text=_(
            "Statistical office code; defaults to the one municipality where the user may "
            "open cases."
        ),
    )
    people = PersonInputSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("municipality") is None:
            choices = list(self.context["open_municipalities"][:2])
            if len(choices) != 1:
                raise serializers.ValidationError(
                    {"municipality": [_("Choose the municipality of the case.")]}
                )
            attrs["municipality"] = choices[0]
        return attrs


class CaseUpdateSerializer(_IntakeFields):
    """Corrections of the intake data; send only the fields that change."""


class TranslationInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=300)
    text = serializers.CharField()


class OutreachInputSerializer(InputSerializer):
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200)
    officials_present = serializers.CharField()
    participants_women = serializers.IntegerField(
        min_value=0, max_value=services.MAX_PARTICIPANTS, default=0
    )
    participants_men = serializers.IntegerField(
        min_value=0, max_value=services.MAX_PARTICIPANTS, default=0
    )
    participants_other = serializers.IntegerField(
        min_value=0, max_value=services.MAX_PARTICIPANTS, default=0
    )
    concerns_raised = serializers.CharField()
    commitments_made = serializers.CharField(required=False, allow_blank=True, default="")
    language = _code_field(Language, help_text=_("Language used, e.g. tr"))


class FollowUpActionInputSerializer(InputSerializer):
    description = serializers.CharField()
    owner = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class FollowUpActionUpdateSerializer(InputSerializer):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    drop_reason = serializers.CharField(required=False, allow_blank=True, default="")
    completed_on = serializers.DateField(required=False, allow_null=True, default=None)


# --- Transitions: one input serializer each -------------------------------------------


class VerifySerializer(InputSerializer):
    verification_source = serializers.ChoiceField(choices=VerificationSource.choices)
    verification_reference = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required for police: the police case number"),
    )
    category = serializers.ChoiceField(choices=Category.choices)
    affected_community = _code_field(Community, help_text=_("Community code, e.g. turk"))
    settlement = serializers.CharField(max_length=120)
    location = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DismissSerializer(InputSerializer):
    reason = serializers.CharField()


class ScopedMeetingField(serializers.PrimaryKeyRelatedField):
    """A meeting id, looked up only among the meetings the user may see."""

    def get_queryset(self):
        return scope_filter(self.context["request"].user, Meeting.objects.all())


class ConveneSerializer(InputSerializer):
    meeting = ScopedMeetingField(
        queryset=Meeting.objects.none(),
        help_text=_("Id of the council meeting that discussed the case"),
    )


class DraftStatementSerializer(InputSerializer):
    language = _code_field(Language, help_text=_("Source language, e.g. sq"))
    title = serializers.CharField(max_length=300)
    text = serializers.CharField()


class ApproveSerializer(InputSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(InputSerializer):
    comment = serializers.CharField(help_text=_("What must change in the statement"))


class PublishSerializer(InputSerializer):
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=PublicationChannel.choices)
    )
    published_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("Defaults to now")
    )


class StartFollowUpSerializer(InputSerializer):
    actions = FollowUpActionInputSerializer(many=True, required=False, default=list)


class CloseSerializer(InputSerializer):
    closing_summary = serializers.CharField()
    safety_before = serializers.IntegerField(
        min_value=1, max_value=5, help_text=_("Community's sense of safety before (1-5)")
    )
    safety_after = serializers.IntegerField(
        min_value=1, max_value=5, help_text=_("Community's sense of safety after (1-5)")
    )


class ReopenSerializer(InputSerializer):
    reason = serializers.CharField()
