"""The audit trail API: the events a user may audit, and checkpoints of the chain.

Scope as on the page (``casefiles.audit_views``): events of the municipalities where the
user holds the audit right; system-wide events only for users who hold it everywhere.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from casefiles.audit.checkpoints import audit_checkpoint_record
from casefiles.audit.views import AuditFilters, audit_event_list, require_audit_right
from casefiles.models import AuditAction, AuditEvent
from mcsc.api.inputs import InputSerializer

TAGS = ["audit"]


class AuditTrailEventSerializer(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    # Null for system-wide events (sign-ins, role changes, checkpoints).
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "sequence",
            "created_at",
            "as_of",
            "actor_name",
            "action",
            "action_label",
            "municipality",
            "case",
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


class AuditFilterSerializer(InputSerializer):
    """Query parameters of the audit trail."""

    allow_unknown_fields = True  # page, format

    municipality = serializers.CharField(
        required=False, help_text=_("Statistical office code of the municipality, e.g. 20")
    )
    case = serializers.CharField(required=False, help_text=_("Case reference, e.g. PZ-2026-0001"))
    actor = serializers.CharField(required=False, help_text=_("User name of who did it"))
    action = serializers.ChoiceField(choices=AuditAction.choices, required=False)
    date_from = serializers.DateField(required=False, help_text=_("Events on or after this day"))
    date_to = serializers.DateField(required=False, help_text=_("Events on or before this day"))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        date_from, date_to = attrs.get("date_from"), attrs.get("date_to")
        if date_from and date_to and date_to < date_from:
            raise serializers.ValidationError(
                {"date_to": [_("The end date cannot come before the start date.")]}
            )
        return attrs


class AuditCheckpointSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("Number of events in the chain"))
    head_hash = serializers.CharField(help_text=_("SHA-256 hash of event #count (hex)"))
    time = serializers.DateTimeField(help_text=_("When the checkpoint was taken (UTC)"))


class AuditListView(generics.GenericAPIView):
    serializer_class = AuditTrailEventSerializer
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS
    filter_backends: list = []

    def get_queryset(self):
        return AuditEvent.objects.none()  # the view reads through the selector

    @extend_schema(
        tags=TAGS,
        summary="The audit trail in the user's scope, newest first",
        description=(
            "Events of the municipalities where the user may audit; system-wide events "
            "(no municipality) only for users who may audit everywhere. Filtering by a "
            "municipality or case outside that scope answers 404."
        ),
        parameters=[AuditFilterSerializer],
        responses={
            200: AuditTrailEventSerializer(many=True),
            400: OpenApiResponse(description="Invalid filters: `{field: [messages]}`."),
            403: OpenApiResponse(description="The user may not see any audit trail."),
            404: OpenApiResponse(description="No such municipality or case in the scope."),
        },
    )
    def get(self, request: Request) -> Response:
        require_audit_right(request.user)
        params = AuditFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        events = audit_event_list(user=request.user, filters=AuditFilters(**params.validated_data))
        page = self.paginate_queryset(events)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AuditCheckpointView(generics.GenericAPIView):
    serializer_class = AuditCheckpointSerializer
    writes_conflict = False  # the schema's 409 (casefiles.api.schema)
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        tags=TAGS,
        summary="A checkpoint of the whole audit chain: event count and head hash",
        description=(
            "Keep it, and later check that the chain still extends it with "
            "`manage.py verify_audit --checkpoint FILE` or on the page /audit/checkpoint/. "
            "The chain covers every municipality; the checkpoint reveals no content. Taking "
            "it is recorded as the next event (`audit.checkpoint`), after the checkpoint."
        ),
        request=None,
        responses={
            200: AuditCheckpointSerializer,
            403: OpenApiResponse(description="The user may not see any audit trail."),
        },
    )
    def post(self, request: Request) -> Response:
        # A POST: taking a checkpoint writes an audit event (GET answers 405).
        require_audit_right(request.user)
        checkpoint = audit_checkpoint_record(actor=request.user, via="api")
        return Response(checkpoint, headers={"Cache-Control": "no-store"})
