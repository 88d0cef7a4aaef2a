"""``GET /api/v1/compliance/``: the compliance dashboard's figures, from the same function.

The serializers mirror the dataclasses of ``casefiles.compliance.report`` field by field (they
exist for validation of the query and for the OpenAPI schema); the figures themselves are
computed only by ``compliance_report``, so the API, the dashboard and the exports agree.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casefiles.compliance.periods import Period, PeriodError
from casefiles.compliance.report import compliance_report, formula_text
from mcsc.api.inputs import InputSerializer
from mcsc.permissions import Action, user_can_anywhere


class ComplianceQuerySerializer(InputSerializer):
    allow_unknown_fields = True  # format
    period = serializers.CharField(
        required=False, help_text=_("A year (2026) or a quarter (2026-Q3); default: this year.")
    )
    # "from" is a Python keyword, hence the field names with the source below.
    from_ = serializers.DateField(
        required=False, help_text=_("First incident date (YYYY-MM-DD); replaces period.")
    )
    to = serializers.DateField(
        required=False, help_text=_("Last incident date (YYYY-MM-DD); replaces period.")
    )
    municipality = serializers.CharField(
        required=False, help_text=_("Statistical office code of a municipality, e.g. 20")
    )
    region = serializers.CharField(required=False, help_text=_("OSCE region code, e.g. gjilan"))

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        try:
            attrs["period_obj"] = Period.parse(
                attrs.get("period"), attrs.get("from"), attrs.get("to")
            )
        except PeriodError as exc:
            raise serializers.ValidationError({"period": [str(exc)]}) from exc
        return attrs


class PeriodSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=["year", "quarter", "range"])
    start = serializers.DateField()
    end = serializers.DateField()


class StepSerializer(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()
    done = serializers.IntegerField()
    expected = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    p90_days = serializers.FloatField(allow_null=True)
    completeness = serializers.FloatField(allow_null=True)
    timeliness = serializers.FloatField(allow_null=True)
    points = serializers.FloatField(allow_null=True)


class SeatSerializer(serializers.Serializer):
    seat = serializers.CharField()
    label = serializers.CharField()
    recorded = serializers.IntegerField()
    present = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class MeetingsSerializer(serializers.Serializer):
    held = serializers.IntegerField()
    regular = serializers.IntegerField()
    extraordinary = serializers.IntegerField()
    with_attendance = serializers.IntegerField()
    with_quorum = serializers.IntegerField()
    quorum_rate = serializers.FloatField(allow_null=True)
    with_community_representative = serializers.IntegerField()
    community_representation_rate = serializers.FloatField(allow_null=True)
    seats = SeatSerializer(many=True)


class GroupSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["municipality", "region", "total"])
    code = serializers.CharField()
    name = serializers.CharField()
    region_code = serializers.CharField()
    incidents = serializers.IntegerField()
    verified = serializers.IntegerField()
    dismissed = serializers.IntegerField()
    awaiting_verification = serializers.IntegerField()
    convened = serializers.IntegerField()
    community_represented = serializers.IntegerField()
    published = serializers.IntegerField()
    published_all_languages = serializers.IntegerField()
    outreach = serializers.IntegerField()
    closed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    verified_share = serializers.FloatField(allow_null=True)
    dismissed_share = serializers.FloatField(allow_null=True)
    convened_share = serializers.FloatField(allow_null=True)
    community_represented_share = serializers.FloatField(allow_null=True)
    published_share = serializers.FloatField(allow_null=True)
    published_all_languages_share = serializers.FloatField(allow_null=True)
    outreach_share = serializers.FloatField(allow_null=True)
    closed_share = serializers.FloatField(allow_null=True)
    stages = serializers.DictField(child=serializers.IntegerField())
    statement_days = serializers.ListField(child=serializers.IntegerField())
    steps = StepSerializer(many=True)
    meetings = MeetingsSerializer()
    score = serializers.FloatField(allow_null=True)


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    category = serializers.CharField()
    label = serializers.CharField()
    incidents = serializers.IntegerField()


class StatementBinSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    label = serializers.CharField()
    low = serializers.FloatField()
    high = serializers.FloatField(allow_null=True)
    cases = serializers.IntegerField()


class ComplianceReportSerializer(serializers.Serializer):
    period = PeriodSerializer()
    generated_at = serializers.DateTimeField()
    municipality = serializers.CharField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    municipalities = GroupSerializer(many=True)
    regions = GroupSerializer(many=True)
    total = GroupSerializer()
    monthly = MonthSerializer(many=True)
    statement_days = StatementBinSerializer(many=True)
    weights = serializers.DictField(child=serializers.FloatField())
    score_formula = serializers.SerializerMethodField()

    def get_score_formula(self, report) -> str:
        return formula_text()


class ComplianceView(APIView):
    @extend_schema(
        tags=["compliance"],
        summary="Compliance figures per municipality, region and period",
        description=(
            "The figures of the compliance dashboard (`/compliance/`) for the incidents of the "
            "period, in the municipalities where the user may audit (monitors: their scope; "
            "secretaries and leadership: their municipality). The definitions and the score "
            "formula are in the README (Compliance monitoring) and in `score_formula`."
        ),
        parameters=[ComplianceQuerySerializer],
        responses={
            200: ComplianceReportSerializer,
            400: OpenApiResponse(description="The period or dates cannot be read."),
            403: OpenApiResponse(description="The user may audit no municipality."),
            404: OpenApiResponse(description="The municipality or region is not in scope."),
        },
    )
    def get(self, request: Request) -> Response:
        if not user_can_anywhere(request.user, Action.AUDIT_VIEW):
            raise PermissionDenied(_("Compliance figures are for monitors and councils."))
        query = ComplianceQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        report = compliance_report(
            user=request.user,
            period=data["period_obj"],
            municipality=(data.get("municipality") or "").strip() or None,
            region=(data.get("region") or "").strip() or None,
        )
        return Response(ComplianceReportSerializer(report).data)
