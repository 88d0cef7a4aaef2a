from django.urls import path

from workflows import views

app_name = "workflows"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("<int:task_id>/", views.open_task, name="open"),
    path("<int:task_id>/claim/", views.claim, name="claim"),
    path("<int:task_id>/release/", views.release, name="release"),
]
