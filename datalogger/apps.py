from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataloggerConfig(AppConfig):
    name = "datalogger"
    verbose_name = _("Datalogger")
