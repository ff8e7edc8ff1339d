from rest_framework.routers import SimpleRouter

from devices.api import views

router = SimpleRouter()
router.register("devices", views.DeviceViewSet, basename="device")
router.register("circuits", views.CircuitViewSet, basename="circuit")
router.register("usages", views.UsageViewSet, basename="usage")
router.register("areas", views.AreaViewSet, basename="area")
router.register("fluids", views.FluidViewSet, basename="fluid")

urlpatterns = router.urls
