"""``/api/v1/auth/``: getting an API token with username and password (and the second
factor's code when the account has one), and the owner's list and revocation of tokens.

The token endpoint authenticates through ``django.contrib.auth.authenticate`` with the
request, so django-axes counts its failures and locks it out like the sign-in page.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import ApiToken
from accounts.net import client_ip
from accounts.views import lockout_message


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp_code = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The authenticator's current code or a recovery code, when the account "
        "uses two-factor authentication.",
    )
    name = serializers.CharField(required=False, max_length=100, default="API")
    days = serializers.IntegerField(required=False, min_value=1, allow_null=True, default=None)


class ApiTokenSerializer(serializers.ModelSerializer):
    expired = serializers.BooleanField(source="is_expired", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "expired"]
        read_only_fields = fields


class TokenObtainView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    writes_conflict = False  # the schema's 409 (casefiles.api.schema)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer(
                "TokenCreated",
                {
                    "token": serializers.CharField(),
                    "expires_at": serializers.DateTimeField(),
                },
            ),
            400: OpenApiResponse(
                description="Wrong username or password, or a missing or wrong code."
            ),
            403: OpenApiResponse(
                description="The account needs two-factor authentication, not set up yet."
            ),
            429: OpenApiResponse(description="Sign-in is locked out for a while."),
        },
        description="A new API token (shown once). 429 while sign-in is locked out.",
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        django_request = request._request  # what django-axes marks when it locks out
        ip = client_ip(django_request)
        user = authenticate(
            request=django_request, username=values["username"], password=values["password"]
        )
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                raise Throttled(detail=lockout_message())
            raise ValidationError(
                {"non_field_errors": [_("Unable to sign in with the username and password.")]}
            )
        second_factor = ""
        if selectors.second_factor_needed(user):
            if selectors.totp_device_for(user) is None:
                raise PermissionDenied(
                    _("Set up two-factor authentication by signing in on the website first.")
                )
            if not values.get("otp_code"):
                raise ValidationError(
                    {"otp_code": [_("This account needs the code from its authenticator app.")]}
                )
            try:
                device = services.mfa_verify(
                    user=user, code=values["otp_code"], ip=ip, purpose="token"
                )
            except DjangoValidationError as error:
                raise ValidationError({"otp_code": error.messages}) from None
            second_factor = (
                services.TOTP if isinstance(device, TOTPDevice) else services.RECOVERY_CODE
            )
        try:
            token, key = services.token_create(
                user=user,
                name=values["name"],
                days=values["days"],
                actor=user,
                ip=ip,
                via="api",
                second_factor=second_factor,
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return Response({"token": key, "expires_at": token.expires_at}, status=status.HTTP_200_OK)


class TokenListView(generics.ListAPIView):
    """Your API tokens that are not revoked (expired ones too), newest first."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return ApiToken.objects.none()
        return selectors.tokens_for_user(user=self.request.user)


class TokenDetailView(generics.GenericAPIView):
    """Revoke one of your tokens (``DELETE``); another user's token is a 404."""

    serializer_class = ApiTokenSerializer
    writes_conflict = False  # the schema's 409 (casefiles.api.schema)

    def get(self, request, pk: int):
        token = selectors.token_get_for_user(user=request.user, pk=pk)
        return Response(ApiTokenSerializer(token).data)

    def delete(self, request, pk: int):
        token = selectors.token_get_for_user(user=request.user, pk=pk)
        services.token_revoke(token=token, actor=request.user, ip=client_ip(request._request))
        return Response(status=status.HTTP_204_NO_CONTENT)
