from django.urls import path
from rest_framework.routers import SimpleRouter

from mcsc.api.views import CommunityViewSet, LanguageViewSet, MunicipalityViewSet
from mcsc.councils.api.views import MeetingDetailView, MeetingListView, MinutesPDFView

router = SimpleRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("languages", LanguageViewSet, basename="language")
router.register("communities", CommunityViewSet, basename="community")

urlpatterns = [
    *router.urls,
    path("meetings/", MeetingListView.as_view(), name="api-meeting-list"),
    path("meetings/<int:pk>/", MeetingDetailView.as_view(), name="api-meeting-detail"),
    path(
        "meetings/<int:pk>/minutes/<int:version>/<str:language>.pdf",
        MinutesPDFView.as_view(),
        name="api-meeting-minutes-pdf",
    ),
]
