from rest_framework.routers import SimpleRouter

from mcsc.api.views import CommunityViewSet, LanguageViewSet, MunicipalityViewSet

router = SimpleRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("languages", LanguageViewSet, basename="language")
router.register("communities", CommunityViewSet, basename="community")

urlpatterns = router.urls
