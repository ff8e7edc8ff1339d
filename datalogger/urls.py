from django.urls import path

from datalogger import views

app_name = "datalogger"
urlpatterns = [
    path("", views.trends, name="trends"),
]
