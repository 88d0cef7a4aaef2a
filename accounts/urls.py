"""The accounts pages under ``/accounts/`` (namespace ``accounts``) and the API under
``/api/v1/auth/`` (``api_urlpatterns``). Sign-in, sign-out and password change keep their
global names (``login``, ``logout``, ``password_change``), wired in ``config/urls.py``."""

from django.urls import path

from accounts import api, views

app_name = "accounts"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("two-factor/setup/", views.enrol, name="enrol"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("security/tokens/", views.token_create, name="token_create"),
    path("security/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]

api_urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="api-token"),
    path("auth/tokens/", api.TokenListView.as_view(), name="api-tokens"),
    path("auth/tokens/<int:pk>/", api.TokenDetailView.as_view(), name="api-token-detail"),
]
