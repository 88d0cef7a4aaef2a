from django.contrib import admin

from workflows.models import DeadlinePolicy, Reminder


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = [
        "municipality",
        "verify_days",
        "convene_days",
        "publish_days",
        "outreach_days",
        "follow_up_days",
    ]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["case", "step", "sent_on", "escalated", "created_at"]
    list_filter = ["step", "escalated", "sent_on"]
    list_select_related = ["case"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
