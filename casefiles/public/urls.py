"""The public transparency pages (mounted at /public/, no login)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from casefiles.public import views as public
from casefiles.public.feeds import MunicipalityStatementsFeed

app_name = "public"

urlpatterns = [
    path("", public.public_index, name="index"),
    path("<slug:slug>/", public.public_municipality, name="municipality"),
    path(
        "<slug:slug>/statements/<str:reference>/<str:language_code>/",
        public.public_statement,
        name="statement",
    ),
    path(
        "<slug:slug>/feed/<str:language_code>.atom",
        login_not_required(MunicipalityStatementsFeed()),
        name="feed",
    ),
    path(
        "<slug:slug>/statistics/<int:year>/",
        public.public_statistics_view,
        name="statistics",
    ),
]
