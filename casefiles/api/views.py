"""The case API: each view checks the request's shape and calls one service or selector.

Authorisation: every view fetches the case through the user's scope first, with the right
the step needs (404 outside scope, 403 without the right), before looking at the body, so
a monitor gets 403 on every write whatever it sends. The services check the same rights
again, and everything else: the state, the four-eyes rule, completeness. Their errors
become HTTP responses in ``casefiles.api.exceptions``.

Personal data (the people of a case) is returned only by ``GET /cases/{reference}/`` and
only to users who may see it in the case's municipality; each such read is audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from casefiles import selectors, services
from casefiles.api import serializers as s
from casefiles.models import Case, FollowUpAction
from casefiles.reads import case_people_for_user
from mcsc.models import Language
from mcsc.permissions import Action, municipalities_where
from mcsc.selectors import language_list

TAGS = ["cases"]

# The bodies of these errors, and the other error statuses, are casefiles.api.schema's.
BAD_REQUEST = OpenApiResponse(description="Invalid input: field errors, `{field: [messages]}`.")
FORBIDDEN = OpenApiResponse(description="The user lacks the right in the case's municipality.")
NOT_FOUND = OpenApiResponse(description="No such case (or not in the user's scope).")
CONFLICT = OpenApiResponse(
    description="The case's state does not allow this step (now): `detail`, `state` and "
    "`transition`; or someone else changed the case meanwhile.",
)
WRITE_ERRORS = {400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}
READ_ERRORS = {403: FORBIDDEN, 404: NOT_FOUND}


# Docstrings of these base views would become every operation's description in the
# schema, so they are comments.


class CaseAPIView(generics.GenericAPIView):
    # Shared helpers: the case of the URL, fetched through the user's scope.

    filter_backends: list = []
    pagination_class = None

    def get_queryset(self):
        # Only for the browsable API's forms: the views read through the selectors.
        return Case.objects.none()

    def get_object(self) -> Case:
        # What DRF's metadata (OPTIONS) asks for before it describes a PUT: the case of the
        # URL, in scope (the generic lookup by "pk" would fail on these URLs: a 500).
        return self.case()

    def case(self, action: Action = Action.VIEW) -> Case:
        return selectors.case_get_for_user(
            user=self.request.user, reference=self.kwargs["reference"], action=action
        )

    def detail(self, reference: str | None = None) -> Case:
        return selectors.case_detail_get_for_user(
            user=self.request.user, reference=reference or self.kwargs["reference"]
        )

    def input(self, serializer_class, **context: Any):
        serializer = serializer_class(
            data=self.request.data, context={**self.get_serializer_context(), **context}
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def case_response(self, reference: str, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The case after a write, without personal data (only the detail GET shows it)."""
        data = s.CaseDetailSerializer(
            self.detail(reference), context=self.get_serializer_context()
        ).data
        return Response(data, status=status_code)


# --- Cases ----------------------------------------------------------------------------


class CaseListView(CaseAPIView):
    serializer_class = s.CaseOpenSerializer  # the browsable API's form
    writes_conflict = False  # opening a case never meets one in another state
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=TAGS,
        summary="List the cases in the user's scope",
        parameters=[s.CaseFilterSerializer],
        responses={200: s.CaseListSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        params = s.CaseFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        cases = selectors.case_list(user=request.user, filters=params.filters())
        page = self.paginate_queryset(cases)
        return self.get_paginated_response(s.CaseListSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Open a case for a reported incident",
        request=s.CaseOpenSerializer,
        responses={201: s.CaseDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request: Request) -> Response:
        allowed = municipalities_where(request.user, Action.CASE_OPEN)
        if not allowed.exists():
            raise PermissionDenied(_("You may not open cases."))
        data = self.input(s.CaseOpenSerializer, open_municipalities=allowed)
        case = services.case_open(user=request.user, **data)
        response = self.case_response(case.reference, status_code=status.HTTP_201_CREATED)
        response["Location"] = reverse("api-case-detail", kwargs={"reference": case.reference})
        return response


class CaseDetailView(CaseAPIView):
    serializer_class = s.CaseUpdateSerializer  # the browsable API's form

    @extend_schema(
        tags=TAGS,
        summary="A case with all its step records",
        description=(
            "`people` is present only for users who may see personal data in the case's "
            "municipality; each such read is written to the audit trail, and so is every read "
            "by a monitor (`case.monitor_view`)."
        ),
        responses={200: s.CaseDetailSerializer, **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.detail()
        people = case_people_for_user(user=request.user, case=case, via="api")
        data = s.CaseDetailSerializer(
            case,
            context={**self.get_serializer_context(), "include_people": people is not None},
        ).data
        return Response(data)

    @extend_schema(
        tags=TAGS,
        summary="Correct the intake data of an open case",
        request=s.CaseUpdateSerializer,
        responses={200: s.CaseDetailSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, reference: str) -> Response:
        case = self.case(Action.CASE_EDIT)
        serializer = s.CaseUpdateSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.case_update(user=request.user, case=case, **serializer.validated_data)
        return self.case_response(case.reference)


class CasePeopleView(CaseAPIView):
    serializer_class = s.PersonInputSerializer
    writes_conflict = False  # people are added in every state

    @extend_schema(
        tags=TAGS,
        summary="Record a victim, witness or reporter",
        request=s.PersonInputSerializer,
        responses={201: s.PersonSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case(Action.CASE_EDIT)
        person = services.person_add(
            user=request.user, case=case, **self.input(s.PersonInputSerializer)
        )
        return Response(s.PersonSerializer(person).data, status=status.HTTP_201_CREATED)


# --- Statements and translations -------------------------------------------------------


class CaseStatementsView(CaseAPIView):
    serializer_class = s.StatementSerializer

    @extend_schema(
        tags=TAGS,
        summary="Every version of the case's statement, newest first, with translations",
        responses={200: s.StatementSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        statements = self.detail().statements.all()
        return Response(s.StatementSerializer(statements, many=True).data)


class StatementTranslationsView(CaseAPIView):
    serializer_class = s.TranslationSerializer

    @extend_schema(
        tags=TAGS,
        summary="The translations of one statement version",
        responses={200: s.TranslationSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str, version: int) -> Response:
        statement = next(
            (st for st in self.detail().statements.all() if st.version == version), None
        )
        if statement is None:
            raise Http404(_("This case has no statement version %(v)d.") % {"v": version})
        return Response(s.TranslationSerializer(statement.translations.all(), many=True).data)


def _language(code: str) -> Language:
    return get_object_or_404(language_list(), code=code)


class TranslationView(CaseAPIView):
    serializer_class = s.TranslationInputSerializer

    @extend_schema(
        tags=TAGS,
        summary="Write or correct the translation of the current statement into a language",
        description="Changing an approved translation withdraws its approval.",
        request=s.TranslationInputSerializer,
        responses={200: s.TranslationSerializer, **WRITE_ERRORS},
    )
    def put(self, request: Request, reference: str, language_code: str) -> Response:
        case = self.case(Action.TRANSLATION_EDIT)
        language = _language(language_code)
        translation = services.translation_save(
            user=request.user,
            case=case,
            language=language,
            **self.input(s.TranslationInputSerializer),
        )
        return Response(s.TranslationSerializer(translation).data)


class TranslationApproveView(CaseAPIView):
    serializer_class = s.TranslationSerializer

    @extend_schema(
        tags=TAGS,
        summary="Approve the translation into a language (not by its translator)",
        request=None,
        responses={200: s.TranslationSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str, language_code: str) -> Response:
        case = self.case(Action.TRANSLATION_REVIEW)
        language = _language(language_code)
        translation = services.translation_approve(user=request.user, case=case, language=language)
        return Response(s.TranslationSerializer(translation).data)


# --- Outreach and follow-up -------------------------------------------------------------


class CaseOutreachView(CaseAPIView):
    serializer_class = s.OutreachInputSerializer  # the browsable API's form

    @extend_schema(
        tags=TAGS,
        summary="The outreach activities of the case",
        responses={200: s.OutreachActivitySerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        activities = self.detail().outreach.all()
        return Response(s.OutreachActivitySerializer(activities, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add a further outreach activity (after the outreach step)",
        request=s.OutreachInputSerializer,
        responses={201: s.OutreachActivitySerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case(Action.OUTREACH_RECORD)
        activity = services.outreach_add(
            user=request.user, case=case, **self.input(s.OutreachInputSerializer)
        )
        return Response(s.OutreachActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class CaseFollowUpActionsView(CaseAPIView):
    serializer_class = s.FollowUpActionInputSerializer  # the browsable API's form

    @extend_schema(
        tags=TAGS,
        summary="The follow-up actions of the case",
        responses={200: s.FollowUpActionSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        actions = self.detail().follow_up_actions.all()
        return Response(s.FollowUpActionSerializer(actions, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add a follow-up action (owner and due date)",
        request=s.FollowUpActionInputSerializer,
        responses={201: s.FollowUpActionSerializer, **WRITE_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case(Action.FOLLOW_UP_MANAGE)
        action = services.follow_up_action_add(
            user=request.user, case=case, **self.input(s.FollowUpActionInputSerializer)
        )
        return Response(s.FollowUpActionSerializer(action).data, status=status.HTTP_201_CREATED)


class FollowUpActionView(CaseAPIView):
    serializer_class = s.FollowUpActionUpdateSerializer

    @extend_schema(
        tags=TAGS,
        summary="Mark a follow-up action done, dropped (with a reason) or open again",
        request=s.FollowUpActionUpdateSerializer,
        responses={200: s.FollowUpActionSerializer, **WRITE_ERRORS},
    )
    def patch(self, request: Request, reference: str, action_id: int) -> Response:
        case = self.case(Action.FOLLOW_UP_MANAGE)
        action = get_object_or_404(FollowUpAction.objects.all(), pk=action_id, case=case)
        updated = services.follow_up_action_update(
            user=request.user, action=action, **self.input(s.FollowUpActionUpdateSerializer)
        )
        return Response(s.FollowUpActionSerializer(updated).data)


# --- Audit trail ------------------------------------------------------------------------


class CaseAuditView(CaseAPIView):
    serializer_class = s.AuditEventSerializer
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    @extend_schema(
        tags=TAGS,
        summary="The audit trail of the case, oldest first",
        responses={200: s.AuditEventSerializer(many=True), **READ_ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = self.case(Action.AUDIT_VIEW)
        events = selectors.case_audit_events(user=request.user, case=case)
        page = self.paginate_queryset(events)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- Transitions ------------------------------------------------------------------------


@dataclass(frozen=True)
class TransitionSpec:
    serializer: type
    service: Callable[..., Any]
    summary: str


TRANSITIONS: dict[str, TransitionSpec] = {
    "verify": TransitionSpec(
        s.VerifySerializer,
        services.case_verify,
        "Verify the incident: source, confirmed category, community and place",
    ),
    "dismiss": TransitionSpec(
        s.DismissSerializer,
        services.case_dismiss,
        "Dismiss an incident that is not verified or not serious (reason required)",
    ),
    "convene": TransitionSpec(
        s.ConveneSerializer,
        services.case_convene,
        "Record the council meeting that discussed the case",
    ),
    "draft_statement": TransitionSpec(
        s.DraftStatementSerializer,
        services.statement_draft,
        "Submit a statement text for approval (a new version)",
    ),
    "approve": TransitionSpec(
        s.ApproveSerializer,
        services.statement_approve,
        "Approve the statement (leadership; never the drafter)",
    ),
    "reject": TransitionSpec(
        s.RejectSerializer,
        services.statement_reject,
        "Reject the statement with a comment; it returns to drafting",
    ),
    "publish": TransitionSpec(
        s.PublishSerializer,
        services.statement_publish,
        "Publish the statement; refused while a required language lacks an approved "
        "translation (the 400 lists `missing_languages`)",
    ),
    "record_outreach": TransitionSpec(
        s.OutreachInputSerializer,
        services.outreach_record,
        "Record the first outreach activity to the affected community",
    ),
    "start_follow_up": TransitionSpec(
        s.StartFollowUpSerializer,
        services.follow_up_start,
        "Start follow-up, optionally with its first actions",
    ),
    "close": TransitionSpec(
        s.CloseSerializer,
        services.case_close,
        "Close the case: every action done or dropped, summary and sense of safety",
    ),
    "reopen": TransitionSpec(
        s.ReopenSerializer,
        services.case_reopen,
        "Reopen a closed case (to follow-up) or a dismissed one (to reported)",
    ),
}


class TransitionView(CaseAPIView):
    # The base of the one view per transition generated below.

    transition = ""

    def get_serializer_class(self):
        return TRANSITIONS[self.transition].serializer

    def post(self, request: Request, reference: str) -> Response:
        spec = TRANSITIONS[self.transition]
        case = self.case(selectors.TRANSITION_ACTIONS[self.transition])
        spec.service(user=request.user, case=case, **self.input(spec.serializer))
        return self.case_response(case.reference)


def _transition_view(name: str, spec: TransitionSpec) -> type[TransitionView]:
    responses: dict[int, Any] = {200: s.CaseDetailSerializer, **WRITE_ERRORS}
    if name == "publish":
        responses[400] = OpenApiResponse(
            description="Field errors; when translations are missing, `missing_languages`.",
        )
    class_name = "".join(part.title() for part in name.split("_")) + "TransitionView"
    view = type(class_name, (TransitionView,), {"transition": name})
    return extend_schema_view(
        post=extend_schema(
            tags=TAGS,
            operation_id=f"cases_transitions_{name}",
            summary=spec.summary,
            request=spec.serializer,
            responses=responses,
        )
    )(view)


TRANSITION_VIEWS = {name: _transition_view(name, spec) for name, spec in TRANSITIONS.items()}


@extend_schema(exclude=True)
class UnknownTransitionView(APIView):
    """Any other transition name: 404, whatever the method."""

    def dispatch_unknown(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise Http404(_("There is no transition “%(name)s”.") % {"name": kwargs.get("name")})

    get = post = put = patch = delete = dispatch_unknown
