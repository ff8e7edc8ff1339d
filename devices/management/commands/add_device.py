from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from devices import services
from devices.models import CustomRegisterMap


class Command(BaseCommand):
    help = "Add a device by catalogue reference and print its id (DESIGN.md contract)."

    def add_arguments(self, parser):
        parser.add_argument("--reference", required=True,
                            help="catalogue reference, e.g. A-40, I-35, E23, C65, or Custom with --custom-map")
        parser.add_argument("--name", required=True)
        parser.add_argument("--area")
        parser.add_argument("--host", required=True)
        parser.add_argument("--port", type=int, default=502)
        parser.add_argument("--unit", type=int, required=True, help="Modbus address, 1-247")
        parser.add_argument("--poll-seconds", type=float)
        parser.add_argument("--integration-minutes", type=int)
        parser.add_argument("--custom-map", help="name of a user-defined register map: needed for reference Custom; for a catalogue reference it replaces the catalogue's map")

    def handle(self, *args, **options):
        custom_map = None
        if options["custom_map"]:
            custom_map = CustomRegisterMap.objects.filter(name=options["custom_map"]).first()
            if custom_map is None:
                raise CommandError(_("custom_map: no register map is named %(name)s; define it in Register maps "
                                     "first.") % {"name": options["custom_map"]})
        try:
            device = services.add_device(
                reference=options["reference"], name=options["name"], area=options["area"], host=options["host"],
                port=options["port"], unit_id=options["unit"], poll_seconds=options["poll_seconds"],
                integration_minutes=options["integration_minutes"], custom_map=custom_map,
            )
        except ValidationError as error:
            reasons = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
            raise CommandError(reasons) from None
        self.stdout.write(str(device.pk))
