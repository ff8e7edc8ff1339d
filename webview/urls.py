from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from webview import views
from webview.api_docs import ApiDocsView

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
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
]

# PermissionDenied anywhere (a page or a Settings model the profile may not open): the frame's
# page saying which profile may, not Django's bare "403 Forbidden".
handler403 = "webview.views.permission_denied"
