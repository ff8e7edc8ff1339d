from django.urls import path
from rest_framework.routers import SimpleRouter

from hierarchies.api import views

router = SimpleRouter()
router.register("hierarchies", views.HierarchyViewSet, basename="hierarchy")
router.register("hierarchy-elements", views.MemberViewSet, basename="hierarchy-element")
router.register("hierarchy-links", views.LinkViewSet, basename="hierarchy-link")

urlpatterns = [
    path("consumption/", views.ConsumptionView.as_view(), name="consumption"),
    *router.urls,
]
