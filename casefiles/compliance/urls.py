"""The compliance dashboard and its exports (mounted at /compliance/)."""

from django.urls import path

from casefiles.compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:fmt>/", views.export, name="export"),
    path("cases/export/", views.case_list_export, name="case_export"),
]
