from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataloggerConfig(AppConfig):
    name = "datalogger"
    verbose_name = _("Datalogger")

    def ready(self) -> None:
        # The datalogger plugs its accumulation of the open periods into the acquisition's
        # fan-out point; the acquisition never imports the datalogger.
        from datalogger.accumulator import OUTLET
        from devices import outlets

        outlets.register(OUTLET)
