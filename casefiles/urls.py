"""The case pages (mounted at /cases/)."""

from django.urls import path

from casefiles import views

app_name = "casefiles"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("search/", views.case_search, name="search"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/steps/<slug:transition>/", views.case_step, name="step"),
    path(
        "<str:reference>/translations/<str:language_code>/",
        views.translation_edit,
        name="translation",
    ),
    path("<str:reference>/outreach/new/", views.outreach_add, name="outreach_add"),
    path(
        "<str:reference>/outreach/<int:outreach_id>/actions/",
        views.outreach_actions,
        name="outreach_actions",
    ),
    path("<str:reference>/actions/new/", views.action_add, name="action_add"),
    path("<str:reference>/actions/<int:action_id>/", views.action_update, name="action_update"),
]
