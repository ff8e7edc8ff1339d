from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from devices import services
from devices.models import CustomRegisterMap, Device, Usage
from webview.demo.site import DEMO_SITE, SimulatedSite, demo_maps, load_site


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
            if device.network_type != meter.network_type:
                Device.objects.filter(pk=device.pk).update(network_type=meter.network_type)
            for index, name in enumerate(meter.circuit_names, start=1):
                device.circuits.filter(index=index).update(name=name)
            for index, key in enumerate(meter.usages, start=1):
                # A predefined usage the user removed is left out rather than recreated.
                device.circuits.filter(index=index).update(usage=Usage.objects.filter(external_key=key).first())
            if meter.reference.is_gateway:
                gateways[meter.port_offset] = device
            created += 1
        self.stdout.write(f"demo site: {created} devices added, {Device.objects.count()} in all")
        self._hierarchy(site)

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
    def _hierarchy(site: SimulatedSite) -> None:
        """The manual's kind of example (§9.7): the general meter measures the site, each area
        downstream of it is a node with its sub-meters' circuits, and what they do not measure
        is the non-measured point (the general meter's own load in the simulator)."""
        from devices.models import Circuit, Fluid
        from hierarchies import rules
        from hierarchies.models import Hierarchy

        if Hierarchy.objects.exists():
            return
        general = next((meter for meter in site.meters if meter.measures), None)
        electricity = Fluid.objects.filter(key="electricity").first()
        if general is None or electricity is None:
            return
        names = [general.name, *general.measures]
        circuits = list(Circuit.objects.select_related("device").filter(device__name__in=names)
                        .order_by("device__pk", "index"))
        if {c.device.name for c in circuits} != set(names) or any(c.fluid_id != electricity.pk for c in circuits):
            return  # a demo device or the predefined fluid was removed: no hierarchy rather than a wrong one
        areas = {meter.name: meter.area or meter.name for meter in site.meters}
        hierarchy = rules.create_hierarchy(name="CIL site", fluid=electricity)
        nodes = {}
        for circuit in circuits:
            member = rules.add_circuit(hierarchy, circuit)
            if circuit.device.name == general.name:
                rules.link(member, hierarchy.root)
                continue
            area = areas[circuit.device.name]
            if area not in nodes:
                nodes[area] = rules.add_node(hierarchy, name=area)
                rules.link(hierarchy.root, nodes[area])
            rules.link(nodes[area], member)
