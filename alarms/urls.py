from django.urls import path

from alarms import views

app_name = "alarms"
urlpatterns = [
    path("", views.index, name="index"),
]
