from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class WebViewConfig(AppConfig):
    name = "webview"
    verbose_name = _("WebView")

    def ready(self) -> None:
        from webview import checks  # noqa: F401  (registers the system checks)
        # Each app's navigation.py registers the Navigation tree of its menu with the frame.
        autodiscover_modules("navigation")


class WebViewAdminConfig(AdminConfig):
    default_site = "webview.admin_site.WebViewAdminSite"
