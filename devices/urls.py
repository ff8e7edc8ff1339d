from django.urls import path

from devices import views

app_name = "devices"
urlpatterns = [
    path("", views.index, name="monitor"),
    path("<int:pk>/", views.device, name="device"),
    path("<int:pk>/reset-counters/", views.reset_counters, name="reset-counters"),
    path("<int:pk>/modules/", views.gateway_modules, name="gateway-modules"),
]
