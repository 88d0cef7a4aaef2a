"""Serializers of the meetings API."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mcsc.councils.meetings import current_minutes, meeting_quorum, minutes_languages
from mcsc.models import (
    ActionItem,
    AgendaItem,
    Guest,
    Meeting,
    MeetingKind,
    MinutesStatus,
)

# --- Meetings ---------------------------------------------------------------------------


class QuorumSerializer(serializers.Serializer):
    present = serializers.IntegerField()
    members = serializers.IntegerField()
    required = serializers.IntegerField()
    reached = serializers.BooleanField()


def _quorum(meeting: Meeting) -> dict:
    quorum = meeting_quorum(meeting)
    return {
        "present": quorum.present,
        "members": quorum.members,
        "required": quorum.required,
        "reached": quorum.reached,
    }


def _api_url(request, name: str, **kwargs) -> str:
    url = reverse(name, kwargs=kwargs)
    return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field({"type": "string", "description": f"One of: {', '.join(MeetingKind.values)}."})
class MeetingKindField(serializers.CharField):
    """The meeting's kind as a plain string in the schema: an enum named after the field
    would collide with the other ``kind`` enums of the API."""


class MeetingListSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    kind = MeetingKindField(read_only=True)
    chair = serializers.CharField(
        source="chair.name", default=None, read_only=True, allow_null=True
    )
    attendance_recorded = serializers.SerializerMethodField()
    quorum = serializers.SerializerMethodField()
    minutes_status = serializers.SerializerMethodField(
        help_text="Status of the current minutes version: draft, approved or amended."
    )
    url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "municipality",
            "kind",
            "starts_at",
            "place",
            "chair",
            "invitation_sent_at",
            "attendance_recorded",
            "quorum",
            "minutes_status",
        ]

    def get_attendance_recorded(self, meeting: Meeting) -> bool:
        return bool(meeting.attendance.all())

    @extend_schema_field(QuorumSerializer)
    def get_quorum(self, meeting: Meeting) -> dict:
        return _quorum(meeting)

    def get_minutes_status(self, meeting: Meeting) -> str:
        minutes = current_minutes(meeting)
        return minutes.status if minutes else MinutesStatus.DRAFT

    def get_url(self, meeting: Meeting) -> str:
        return _api_url(self.context.get("request"), "api-meeting-detail", pk=meeting.pk)


class AgendaItemSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)

    class Meta:
        model = AgendaItem
        fields = ["position", "title", "case", "discussion", "decisions", "translations"]


class AttendanceSerializer(serializers.Serializer):
    member_id = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.name")
    seat = serializers.CharField(source="member.seat")
    seat_label = serializers.CharField(source="member.get_seat_display")
    status = serializers.CharField()
    email = serializers.SerializerMethodField(
        help_text="Only for users who may see personal data in the municipality."
    )
    phone = serializers.SerializerMethodField(
        help_text="Only for users who may see personal data in the municipality."
    )

    def get_email(self, row) -> str | None:
        return row.member.email if self.context.get("show_contacts") else None

    def get_phone(self, row) -> str | None:
        return row.member.phone if self.context.get("show_contacts") else None


class GuestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Guest
        fields = ["name", "organisation"]


class ActionItemSerializer(serializers.ModelSerializer):
    agenda_position = serializers.IntegerField(
        source="agenda_item.position", default=None, read_only=True, allow_null=True
    )
    case = serializers.SlugRelatedField(slug_field="reference", read_only=True, allow_null=True)
    follow_up_action = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "agenda_position",
            "description",
            "owner",
            "due_on",
            "case",
            "follow_up_action",
            "translations",
        ]


class MinutesDocumentSerializer(serializers.Serializer):
    language = serializers.CharField()
    sha256 = serializers.CharField(allow_null=True)
    size = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()


class MinutesVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.CharField()
    reference = serializers.CharField()
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_at_meeting = serializers.IntegerField(allow_null=True)
    amends_version = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    documents = MinutesDocumentSerializer(many=True)


class MeetingDetailSerializer(MeetingListSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    attendance = serializers.SerializerMethodField()
    guests = GuestSerializer(many=True, read_only=True)
    action_items = serializers.SerializerMethodField()
    minutes = serializers.SerializerMethodField(
        help_text="Every version, newest first. Approved versions list their stored PDFs "
        "with SHA-256; the draft (if the record is not frozen) lists PDF URLs rendered on "
        "request."
    )

    class Meta(MeetingListSerializer.Meta):
        fields = [
            *MeetingListSerializer.Meta.fields,
            "agenda",
            "attendance",
            "guests",
            "action_items",
            "minutes",
        ]

    @extend_schema_field(AttendanceSerializer(many=True))
    def get_attendance(self, meeting: Meeting) -> list:
        rows = sorted(meeting.attendance.all(), key=lambda r: (r.member.seat, r.member.name))
        return AttendanceSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(ActionItemSerializer(many=True))
    def get_action_items(self, meeting: Meeting) -> list:
        rows = sorted(meeting.action_items.all(), key=lambda a: (a.due_on, a.pk))
        return ActionItemSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(MinutesVersionSerializer(many=True))
    def get_minutes(self, meeting: Meeting) -> list:
        request = self.context.get("request")
        languages = minutes_languages(meeting.municipality)

        def pdf_url(version: int, code: str) -> str:
            return _api_url(
                request, "api-meeting-minutes-pdf", pk=meeting.pk, version=version, language=code
            )

        versions = []
        for minutes in sorted(meeting.minutes.all(), key=lambda m: m.version, reverse=True):
            if minutes.status == MinutesStatus.DRAFT:
                documents = [
                    {"language": lang.code, "sha256": None, "size": None} for lang in languages
                ]
            else:
                documents = [
                    {"language": d.language.code, "sha256": d.sha256, "size": d.size}
                    for d in minutes.documents.all()
                ]
            versions.append(
                {
                    "version": minutes.version,
                    "status": minutes.status,
                    "reference": minutes.reference,
                    "approved_at": minutes.approved_at,
                    "approved_at_meeting": minutes.approved_at_meeting_id,
                    "amends_version": minutes.amends.version if minutes.amends_id else None,
                    "reason": minutes.reason,
                    "documents": [
                        {**d, "url": pdf_url(minutes.version, d["language"])} for d in documents
                    ],
                }
            )
        if not versions:
            versions.append(
                {
                    "version": 1,
                    "status": MinutesStatus.DRAFT,
                    "reference": meeting.minutes_reference,
                    "approved_at": None,
                    "approved_at_meeting": None,
                    "amends_version": None,
                    "reason": "",
                    "documents": [
                        {
                            "language": lang.code,
                            "sha256": None,
                            "size": None,
                            "url": pdf_url(1, lang.code),
                        }
                        for lang in languages
                    ],
                }
            )
        return MinutesVersionSerializer(versions, many=True).data
