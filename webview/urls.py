from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from webview import views

api_patterns = [
    path("", include("cybersecurity.api.urls")),
    path("", include("devices.api.urls")),
    path("", include("datalogger.api.urls")),
    path("", include("hierarchies.api.urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("", include("cybersecurity.urls")),
    path("monitor/", include("devices.urls")),
    path("alarms/", include("alarms.urls")),
    path("photoview/", include("photoview.urls")),
    path("consumption/", include("hierarchies.urls")),
    path("trends/", include("datalogger.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("settings/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
