from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devices import services
from devices.models import CustomRegisterMap, Device
from webview.demo.site import DEMO_SITE, demo_maps, load_site


class Command(BaseCommand):
    help = "Configure the devices of the simulated demo site (idempotent: existing names are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--config", type=Path, default=DEMO_SITE)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.DEMO_PORT)
        parser.add_argument("--poll-seconds", type=float, default=2.0)

    @transaction.atomic
    def handle(self, *args, config: Path, host: str, port: int, poll_seconds: float, **options):
        site = load_site(config)
        maps = self._register_maps()
        created = 0
        gateways: dict[int, Device] = {}
        for meter in sorted(site.meters, key=lambda m: (m.port_offset, not m.reference.is_gateway)):
            if Device.objects.filter(name=meter.name).exists():
                continue
            try:
                device = services.add_device(
                    reference=meter.reference.reference, name=meter.name, area=meter.area or None, host=host,
                    port=port + meter.port_offset, unit_id=meter.unit.unit_id, poll_seconds=poll_seconds,
                    gateway=gateways.get(meter.port_offset), custom_map=maps.get(meter.map_name),
                )
            except ValidationError as error:
                raise CommandError(f"{meter.name}: {error.messages}") from None
            for index, name in enumerate(meter.circuit_names, start=1):
                device.circuits.filter(index=index).update(name=name)
            if meter.reference.is_gateway:
                gateways[meter.port_offset] = device
            created += 1
        self.stdout.write(f"demo site: {created} devices added, {Device.objects.count()} in all")
        self._hierarchy()

    @staticmethod
    def _register_maps() -> dict[str, CustomRegisterMap]:
        """The demo's maps for references without a public table, saved as a user would type them
        in Register maps; a map already there (perhaps edited by the user) is kept."""
        maps = {}
        for name, definition in demo_maps().items():
            existing = CustomRegisterMap.objects.filter(name=name).first()
            try:
                maps[name] = existing or services.save_register_map(definition)
            except ValidationError as error:
                raise CommandError(f"{name}: {error.messages}") from None
        return maps

    @staticmethod
    def _hierarchy() -> None:
        """The manual's kind of example (§9.7): the general meter measures the site, the offices
        and the cafeteria have their own meters, the rest is the non-measured point."""
        from devices.models import Circuit, Fluid
        from hierarchies import rules
        from hierarchies.models import Hierarchy

        if Hierarchy.objects.exists():
            return
        circuits = {c.device.name: c for c in Circuit.objects.select_related("device")
                    .filter(device__name__in=["A-40 General", "E23 Offices", "E44 Cafeteria"])}
        electricity = Fluid.objects.filter(key="electricity").first()
        if len(circuits) < 3 or electricity is None or any(c.fluid_id != electricity.pk for c in circuits.values()):
            return  # the predefined fluids were removed: no hierarchy rather than a wrong one
        site = rules.create_hierarchy(name="CIL site", fluid=electricity)
        rules.link(rules.add_circuit(site, circuits["A-40 General"]), site.root)
        for name, meter in (("Offices", "E23 Offices"), ("Cafeteria", "E44 Cafeteria")):
            node = rules.add_node(site, name=name)
            rules.link(site.root, node)
            rules.link(node, rules.add_circuit(site, circuits[meter]))
