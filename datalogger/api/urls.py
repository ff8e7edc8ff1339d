from django.urls import path
from rest_framework.routers import SimpleRouter

from datalogger.api import views

router = SimpleRouter()
router.register("favourites", views.FavouriteViewSet, basename="favourite")

urlpatterns = [
    path("trends/", views.TrendsView.as_view(), name="trends"),
    *router.urls,
]
