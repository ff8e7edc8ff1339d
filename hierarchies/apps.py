from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HierarchiesConfig(AppConfig):
    name = "hierarchies"
    verbose_name = _("Hierarchies")
