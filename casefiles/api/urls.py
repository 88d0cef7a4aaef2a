from django.urls import path

from casefiles.api import views
from casefiles.audit import api as audit
from casefiles.compliance import api as compliance

CASE = "cases/<str:reference>/"

urlpatterns = [
    path("audit/", audit.AuditListView.as_view(), name="api-audit-list"),
    path("audit/checkpoint/", audit.AuditCheckpointView.as_view(), name="api-audit-checkpoint"),
    path("compliance/", compliance.ComplianceView.as_view(), name="api-compliance"),
    path("cases/", views.CaseListView.as_view(), name="api-case-list"),
    path(CASE, views.CaseDetailView.as_view(), name="api-case-detail"),
    path(f"{CASE}people/", views.CasePeopleView.as_view(), name="api-case-people"),
    path(f"{CASE}statements/", views.CaseStatementsView.as_view(), name="api-case-statements"),
    path(
        f"{CASE}statements/<int:version>/translations/",
        views.StatementTranslationsView.as_view(),
        name="api-case-statement-translations",
    ),
    path(
        f"{CASE}translations/<str:language_code>/",
        views.TranslationView.as_view(),
        name="api-case-translation",
    ),
    path(
        f"{CASE}translations/<str:language_code>/approve/",
        views.TranslationApproveView.as_view(),
        name="api-case-translation-approve",
    ),
    path(f"{CASE}outreach/", views.CaseOutreachView.as_view(), name="api-case-outreach"),
    path(
        f"{CASE}follow-up-actions/",
        views.CaseFollowUpActionsView.as_view(),
        name="api-case-follow-up-actions",
    ),
    path(
        f"{CASE}follow-up-actions/<int:action_id>/",
        views.FollowUpActionView.as_view(),
        name="api-case-follow-up-action",
    ),
    path(f"{CASE}audit/", views.CaseAuditView.as_view(), name="api-case-audit"),
    *[
        path(f"{CASE}transitions/{name}/", view.as_view(), name=f"api-case-transition-{name}")
        for name, view in views.TRANSITION_VIEWS.items()
    ],
    path(
        f"{CASE}transitions/<str:name>/",
        views.UnknownTransitionView.as_view(),
        name="api-case-transition-unknown",
    ),
]
