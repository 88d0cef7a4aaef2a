"""The admin of councils, members, meetings and minutes. A meeting whose minutes are
approved is frozen here as on the pages.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from mcsc.councils.meetings import ensure_editable
from mcsc.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    Guest,
    Meeting,
    Minutes,
    MinutesDocument,
)

# --- Councils and meetings -------------------------------------------------------------


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    fields = [
        "name",
        "seat",
        "community",
        "appointed_on",
        "appointment_reference",
        "ended_on",
        "email",
        "phone",
    ]
    extra = 0
    # Members leave by an end date: attendance and minutes keep referring to them.
    can_delete = False


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["__str__", "municipality", "established_on", "quorum_minimum", "members"]
    list_select_related = ["municipality"]
    search_fields = ["name", "municipality__name_sq", "municipality__name_sr"]
    autocomplete_fields = ["municipality"]
    inlines = [CouncilMemberInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description=_("members"), ordering="member_count")
    def members(self, obj):
        return obj.member_count

    def get_readonly_fields(self, request, obj=None):
        # Members and meetings belong to the council's municipality; it does not move.
        return ["municipality"] if obj else []

    def save_formset(self, request, form, formset, change):
        for member in formset.save(commit=False):
            member.municipality = form.instance.municipality
            member.save()
        formset.save_m2m()


def _meeting_being_edited(request) -> Meeting | None:
    match = request.resolver_match
    object_id = match.kwargs.get("object_id") if match else None
    if not object_id:
        return None
    return Meeting.objects.select_related("council").filter(pk=object_id).first()


class _SameCouncilFormSet(forms.BaseInlineFormSet):
    """Agenda cases and attending members must belong to the meeting's own council."""

    def clean(self):
        super().clean()
        council = self.instance.council if self.instance.council_id else None
        if council is None:
            return
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            case = form.cleaned_data.get("case")
            if case is not None and case.municipality_id != council.municipality_id:
                form.add_error("case", _("The case belongs to another municipality."))
            member = form.cleaned_data.get("member")
            if member is not None and member.council_id != council.pk:
                form.add_error("member", _("This person is not a member of this council."))


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    formset = _SameCouncilFormSet
    fields = [("position", "title", "case"), "discussion", "decisions"]
    raw_id_fields = ["case"]
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    formset = _SameCouncilFormSet
    fields = ["member", "status"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        meeting = _meeting_being_edited(request)
        if db_field.name == "member" and meeting is not None:
            kwargs["queryset"] = CouncilMember.objects.filter(council=meeting.council)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class GuestInline(admin.TabularInline):
    model = Guest
    fields = ["name", "organisation"]
    extra = 0


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    fields = ["agenda_item", "description", "owner", "due_on", "case", "follow_up_action"]
    raw_id_fields = ["case", "follow_up_action"]
    extra = 0


class MinutesInline(admin.TabularInline):
    """Minutes are written by the services only (approval stores the PDFs)."""

    model = Minutes
    fk_name = "meeting"
    fields = ["version", "status", "reference", "amends", "approved_at", "approved_at_meeting"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


def _frozen(meeting: Meeting | None) -> bool:
    if meeting is None or meeting.pk is None:
        return False
    try:
        ensure_editable(meeting)
    except ValidationError:
        return True
    return False


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["council", "kind", "starts_at", "place", "chair"]

    def clean(self):
        data = super().clean()
        council = data.get("council") or (
            self.instance.council if self.instance.council_id else None
        )
        chair = data.get("chair")
        if chair is not None and council is not None and chair.council_id != council.pk:
            self.add_error("chair", _("The chair must be a member of this council."))
        return data


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = ["starts_at", "municipality", "kind", "place", "chair"]
    list_filter = ["kind", "municipality"]
    list_select_related = ["municipality", "chair"]
    search_fields = ["place", "agenda_items__title", "agenda_items__case__reference"]
    date_hierarchy = "starts_at"
    fields = ["council", "municipality", "kind", "starts_at", "place", "chair", "created_by"]
    inlines = [AgendaItemInline, AttendanceInline, GuestInline, ActionItemInline, MinutesInline]

    def get_readonly_fields(self, request, obj=None):
        # The municipality follows the council, which does not change once recorded.
        readonly = ["municipality", "created_by"]
        return ["council", *readonly] if obj else readonly

    def has_change_permission(self, request, obj=None):
        # A meeting whose minutes are approved is frozen here too: corrections go through
        # an amendment (a new minutes version) on the meeting page.
        if _frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if _frozen(obj):
            for inline in inlines:
                inline.has_add_permission = lambda *a, **k: False
                inline.has_change_permission = lambda *a, **k: False
                inline.has_delete_permission = lambda *a, **k: False
        return inlines


class MinutesDocumentInline(admin.TabularInline):
    model = MinutesDocument
    fields = ["language", "size", "sha256", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    """Read-only: approved minutes are frozen and their PDFs are evidence."""

    list_display = ["reference", "version", "status", "meeting", "approved_at"]
    list_filter = ["status", "meeting__municipality"]
    list_select_related = ["meeting__municipality"]
    search_fields = ["reference"]
    fields = [
        "meeting",
        "version",
        "status",
        "reference",
        "amends",
        "reason",
        "created_by",
        "created_at",
        "approved_by",
        "approved_at",
        "approved_at_meeting",
    ]
    readonly_fields = fields
    inlines = [MinutesDocumentInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        meeting = _meeting_being_edited(request)
        if db_field.name == "chair" and meeting is not None:
            kwargs["queryset"] = CouncilMember.objects.filter(council=meeting.council)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.municipality = obj.council.municipality
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
