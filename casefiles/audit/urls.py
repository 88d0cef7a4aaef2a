"""The audit trail pages (mounted at /audit/)."""

from django.urls import path

from casefiles.audit import views as audit_views

app_name = "audit"

urlpatterns = [
    path("", audit_views.audit_list, name="list"),
    path("checkpoint.json", audit_views.checkpoint_download, name="checkpoint_download"),
    path("checkpoint/", audit_views.checkpoint_verify, name="checkpoint"),
]
