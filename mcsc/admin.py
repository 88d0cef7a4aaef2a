"""The admin of the reference layer: regions, languages, communities, municipalities and
role assignments. The councils' admin registers itself from ``mcsc.councils.admin``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mcsc.models import (
    Community,
    Language,
    Municipality,
    Region,
    RoleAssignment,
)
from mcsc.services import role_assign, role_remove


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_sq", "name_sr", "name_en"]
    search_fields = ["code", "name_sq", "name_sr", "name_en"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_native", "family", "script", "django_code"]
    list_editable = []
    search_fields = ["code", "name_en", "name_native"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_sq", "name_sr", "language"]
    list_select_related = ["language"]
    search_fields = ["code", "name_en", "name_sq", "name_sr"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_sq",
        "name_sr",
        "name_sr_cyrl",
        "region",
        "region_confidence",
        "majority_community",
        "case_prefix",
    ]
    list_filter = ["region", "region_confidence", "majority_community"]
    list_select_related = ["region", "majority_community"]
    search_fields = ["code", "name_sq", "name_sr", "name_sr_cyrl", "name_en"]
    filter_horizontal = ["official_languages", "languages_in_official_use"]
    fieldsets = [
        (
            None,
            {"fields": ["code", "slug", "case_prefix", "region", "region_confidence"]},
        ),
        (
            _("Names"),
            {"fields": ["name_sq", "name_sr", "name_sr_cyrl", "name_en", "name_osce_style"]},
        ),
        (
            _("Languages and communities"),
            {
                "fields": [
                    "official_languages",
                    "languages_in_official_use",
                    "majority_community",
                    "population_2011",
                ]
            },
        ),
        (_("Sources"), {"fields": ["uncertainty_note", "sources"]}),
    ]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "municipality", "region", "created_at"]
    list_filter = ["role", "region", "municipality"]
    list_select_related = ["user", "municipality", "region"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "municipality", "region"]
    fields = ["user", "role", "municipality", "region"]

    # An assignment is added or removed, never edited: each is one audited service call
    # (removal also revokes the user's API tokens).
    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = role_assign(
            user=obj.user,
            role=obj.role,
            municipality=obj.municipality,
            region=obj.region,
            actor=request.user,
        )
        obj.pk = saved.pk
        obj.created_at = saved.created_at

    def delete_model(self, request, obj):
        role_remove(assignment=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for assignment in queryset:
            role_remove(assignment=assignment, actor=request.user)


# Django's autodiscovery imports only ``mcsc.admin``.
from mcsc.councils import admin as councils_admin  # noqa: E402, F401
