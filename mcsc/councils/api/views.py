"""The meetings API: list, detail and minutes PDFs, scoped to the requesting user."""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from mcsc.api.inputs import InputSerializer
from mcsc.councils.api.serializers import MeetingDetailSerializer, MeetingListSerializer
from mcsc.councils.minutes import MinutesRenderError, minutes_file, minutes_language, pdf_response
from mcsc.councils.selectors import meeting_get_for_user, meeting_list_for_user
from mcsc.models import Meeting, MeetingKind
from mcsc.permissions import Action, municipality_filter_for_user, user_can

# --- Meetings ---------------------------------------------------------------------------


class MeetingFilterSerializer(InputSerializer):
    """Query parameters of the meeting list."""

    allow_unknown_fields = True  # page, format
    municipality = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=MeetingKind.choices, required=False, allow_blank=True)


@extend_schema(
    tags=["meetings"],
    parameters=[
        OpenApiParameter("municipality", str, description="Municipality code, e.g. 20"),
        OpenApiParameter("kind", str, enum=MeetingKind.values),
    ],
)
class MeetingListView(generics.ListAPIView):
    """Council meetings the user may see (monitors: all in their scope), newest first."""

    serializer_class = MeetingListSerializer
    filter_backends: list = []

    def get_queryset(self):
        queryset = meeting_list_for_user(user=self.request.user)
        if getattr(self, "swagger_fake_view", False):
            return queryset
        params = MeetingFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        # Outside the user's scope 404, malformed 400, as every municipality filter.
        municipality = municipality_filter_for_user(
            user=self.request.user, code=params.validated_data.get("municipality")
        )
        if municipality is not None:
            queryset = queryset.filter(municipality=municipality)
        kind = params.validated_data.get("kind")
        if kind:
            queryset = queryset.filter(kind=kind)
        return queryset.order_by("-starts_at", "-pk")


@extend_schema(tags=["meetings"])
class MeetingDetailView(generics.RetrieveAPIView):
    """One meeting: agenda with discussion and decisions, attendance (contact details only
    for users who may see personal data), guests, action items, quorum and the minutes'
    versions with their PDFs."""

    serializer_class = MeetingDetailSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Meeting.objects.none()

    def get_object(self):
        return meeting_get_for_user(user=self.request.user, pk=self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        context = {
            **self.get_serializer_context(),
            "show_contacts": user_can(request.user, Action.VIEW_PERSONAL_DATA, meeting),
        }
        return Response(MeetingDetailSerializer(meeting, context=context).data)


class PDFRenderer(BaseRenderer):
    """Lets clients ask for ``Accept: application/pdf``; errors stay JSON bodies."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


@extend_schema(
    tags=["meetings"],
    responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        404: OpenApiResponse(description="No such meeting, version or language (in scope)."),
        503: OpenApiResponse(description="The draft PDF could not be rendered (logged)."),
    },
)
class MinutesPDFView(APIView):
    """The minutes PDF of one version in one language: the stored bytes of an approved
    version (byte-identical, SHA-256 as in the audit trail), or the draft rendered now."""

    renderer_classes = [JSONRenderer, PDFRenderer]

    def finalize_response(self, request, response, *args, **kwargs):
        # The PDF itself is a plain HttpResponse; every DRF Response here is an error, which
        # is JSON whatever the client asked for (``?format=pdf`` or ``Accept``).
        if isinstance(response, Response):
            request.accepted_renderer = JSONRenderer()
            request.accepted_media_type = JSONRenderer.media_type
        return super().finalize_response(request, response, *args, **kwargs)

    def get(self, request, pk: int, version: int, language: str):
        meeting = meeting_get_for_user(user=request.user, pk=pk)
        chosen = minutes_language(meeting, language)
        try:
            data, filename = minutes_file(meeting, version, chosen)
        except MinutesRenderError as exc:
            return Response({"detail": str(exc)}, status=503)
        return pdf_response(data, filename, draft=filename.endswith("-draft.pdf"))
