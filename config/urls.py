from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as account_views
from accounts.middleware import second_factor_exempt
from accounts.urls import api_urlpatterns as account_api
from config import views as site_views

api_v1 = [
    path("", include("mcsc.api.urls")),
    path("", include("casefiles.api.urls")),
    *account_api,
]

urlpatterns = [
    path("", site_views.home, name="home"),
    path("tasks/", include("workflows.urls")),
    path("cases/", include("casefiles.urls")),
    path("compliance/", include("casefiles.compliance.urls")),
    path("audit/", include("casefiles.audit.urls")),
    path("public/", include("casefiles.public.urls")),
    path("council/", include("mcsc.councils.urls")),
    path("healthz", site_views.healthz, name="healthz"),
    path(
        "accounts/login/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("accounts/logout/", second_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "accounts/password/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by e-mail: public pages (no session), the link valid for
    # PASSWORD_RESET_TIMEOUT.
    path(
        "accounts/password/reset/",
        login_not_required(account_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        login_not_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        login_not_required(account_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("accounts/", include("accounts.urls")),
    # Public pages offer the interface language switcher to visitors without a login too.
    path("i18n/setlang/", site_views.language_set, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so the docs need no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler400 = "config.views.bad_request"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
