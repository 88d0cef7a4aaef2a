"""The Django admin shows cases and the audit trail read-only.

Cases change only through the services (the state is a protected FSM field and every
change must be audited), so the admin can neither add, change nor delete them. The
personal data of victims and reporters is not shown here at all.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from casefiles.models import (
    AuditEvent,
    Case,
    FollowUpAction,
    OutreachActivity,
    Statement,
    Translation,
)


class ReadOnlyAdminMixin:
    """View only: no add, change or delete, whoever asks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class StatementInline(ReadOnlyInline):
    model = Statement
    fields = ["version", "language", "title", "status", "drafted_by", "reviewed_by", "reviewed_at"]
    show_change_link = True


class OutreachInline(ReadOnlyInline):
    model = OutreachActivity
    fields = [
        "held_on",
        "place",
        "participants_women",
        "participants_men",
        "participants_other",
        "language",
        "recorded_by",
    ]


class FollowUpActionInline(ReadOnlyInline):
    model = FollowUpAction
    fields = ["description", "owner", "due_on", "status", "completed_on", "drop_reason"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "municipality",
        "state",
        "category",
        "affected_community",
        "reported_at",
    ]
    list_filter = ["state", "category", "affected_community", "source", "municipality"]
    list_select_related = ["municipality", "affected_community"]
    search_fields = ["reference", "summary"]
    date_hierarchy = "reported_at"
    ordering = ["-reported_at", "-id"]
    # The state is a protected django-fsm field: it is never edited, only transitioned.
    readonly_fields = ["state"]
    fieldsets = [
        (None, {"fields": ["reference", "municipality", "state", "state_changed_at"]}),
        (
            _("Intake"),
            {
                "fields": [
                    "occurred_at",
                    "reported_at",
                    "settlement",
                    "location",
                    ("latitude", "longitude"),
                    "category",
                    "affected_community",
                    "summary",
                    ("source", "source_reference"),
                    ("created_by", "created_at"),
                ]
            },
        ),
        (
            _("Verification or dismissal"),
            {
                "fields": [
                    ("verification_source", "verification_reference", "verified_at"),
                    ("dismissal_reason", "dismissed_at"),
                ]
            },
        ),
        (
            _("Council, publication and outreach"),
            {
                "fields": [
                    ("convened_meeting", "convened_at"),
                    ("published_at", "publication_channels"),
                    "outreach_at",
                ]
            },
        ),
        (
            _("Follow-up and closing"),
            {
                "fields": [
                    "follow_up_started_at",
                    "closing_summary",
                    ("safety_before", "safety_after"),
                    "closed_at",
                ]
            },
        ),
    ]
    inlines = [StatementInline, OutreachInline, FollowUpActionInline]

    def get_readonly_fields(self, request, obj=None):
        # Everything is read-only; listing the fields lets the non-editable ones show.
        return [field.name for field in self.model._meta.concrete_fields]


class TranslationInline(ReadOnlyInline):
    model = Translation
    fields = ["language", "title", "status", "translator", "reviewer", "reviewed_at"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "version", "language", "status", "drafted_by", "reviewed_by"]
    list_filter = ["status", "language", "case__municipality"]
    list_select_related = ["case", "language", "drafted_by", "reviewed_by"]
    search_fields = ["case__reference", "title", "text"]
    inlines = [TranslationInline]


@admin.register(Translation)
class TranslationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["statement", "language", "status", "translator", "reviewer", "updated_at"]
    list_filter = ["status", "language", "statement__case__municipality"]
    list_select_related = ["statement", "language", "translator", "reviewer"]
    search_fields = ["statement__case__reference", "title", "text"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The append-only, hash-chained trail: nothing here may be added, changed or deleted."""

    list_display = [
        "sequence",
        "created_at",
        "actor_name",
        "action",
        "municipality",
        "case",
        "from_state",
        "to_state",
    ]
    list_filter = ["action", "municipality"]
    list_select_related = ["municipality", "case"]
    search_fields = ["actor_name", "case__reference", "object_type", "object_id", "request_id"]
    date_hierarchy = "created_at"
    ordering = ["-sequence"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.concrete_fields]
