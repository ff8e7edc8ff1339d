from django.urls import path

from hierarchies import views

app_name = "hierarchies"
urlpatterns = [
    path("", views.consumption, name="consumption"),
]
