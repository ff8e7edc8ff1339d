from django.urls import path

from datalogger.api import views

urlpatterns = [
    path("trends/", views.TrendsView.as_view(), name="trends"),
]
