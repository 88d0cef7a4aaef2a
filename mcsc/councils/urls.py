"""Council pages, mounted at ``/council/``."""

from django.urls import path

from mcsc.councils import views

app_name = "mcsc"

MEETING = "meetings/<int:pk>/"

urlpatterns = [
    path("", views.council, name="council"),
    path("settings/", views.council_settings, name="council-settings"),
    path("members/new/", views.member_add, name="member-add"),
    path("members/<int:pk>/", views.member_edit, name="member-edit"),
    path("meetings/new/", views.meeting_new, name="meeting-new"),
    path(MEETING, views.meeting_detail, name="meeting"),
    path(f"{MEETING}edit/", views.meeting_edit, name="meeting-edit"),
    path(f"{MEETING}attendance/", views.meeting_attendance, name="meeting-attendance"),
    path(f"{MEETING}items/new/", views.agenda_item_new, name="agenda-item-new"),
    path(f"{MEETING}items/<int:position>/", views.agenda_item_edit, name="agenda-item"),
    path(f"{MEETING}guests/", views.meeting_guests, name="meeting-guests"),
    path(f"{MEETING}actions/new/", views.action_item_new, name="action-item-new"),
    path(
        f"{MEETING}actions/<int:action_pk>/follow-up/",
        views.action_item_attach,
        name="action-item-attach",
    ),
    path(f"{MEETING}invite/", views.meeting_invite, name="meeting-invite"),
    path(f"{MEETING}minutes/", views.minutes_preview, name="minutes-preview"),
    path(f"{MEETING}minutes/approve/", views.minutes_approve, name="minutes-approve"),
    path(f"{MEETING}minutes/amend/", views.minutes_amend, name="minutes-amend"),
    path(
        f"{MEETING}minutes/<int:version>/<str:language>.pdf",
        views.minutes_download,
        name="minutes-pdf",
    ),
]
