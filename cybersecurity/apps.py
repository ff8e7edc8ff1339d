from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CybersecurityConfig(AppConfig):
    name = "cybersecurity"
    verbose_name = _("Cyber Security")
