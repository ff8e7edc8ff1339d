from django.urls import path

from photoview import views

app_name = "photoview"
urlpatterns = [
    path("", views.index, name="index"),
]
