from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhotoviewConfig(AppConfig):
    name = "photoview"
    verbose_name = _("Photoview")
