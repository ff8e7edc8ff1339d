"""Writes about devices: adding a device by reference creates its circuits (§9.6.2)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from devices.catalogue import CatalogueError, catalogue
from devices.models import Area, Circuit, Device, Fluid


@transaction.atomic
def add_device(
    *,
    reference: str,
    name: str,
    unit_id: int,
    host: str = "",
    port: int = 502,
    area: str | None = None,
    protocol: str = Device.Protocol.TCP,
    serial_port: str = "",
    poll_seconds: float | None = None,
    integration_minutes: int | None = None,
    gateway: Device | None = None,
) -> Device:
    """Create a device and its circuits with the catalogue's default names; nothing is created
    when anything is wrong (ValidationError with the field at fault)."""
    try:
        catalogue_reference = catalogue().reference(reference)
    except CatalogueError:
        raise ValidationError({"reference": _("Unknown reference %(reference)s.") % {"reference": reference}}) from None
    device = Device(reference=reference, name=name, unit_id=unit_id, host=host, port=port, protocol=protocol,
                    serial_port=serial_port, gateway=gateway)
    if poll_seconds is not None:
        device.poll_seconds = poll_seconds
    if integration_minutes is not None:
        device.integration_minutes = integration_minutes
    if area:
        device.area, _created = Area.objects.get_or_create(name=area)
    device.full_clean()
    try:
        device.save()
    except IntegrityError:
        raise ValidationError({"unit_id": _("A device already answers at this Modbus address.")}) from None
    electricity = Fluid.objects.filter(key="electricity").first()
    circuits = catalogue_reference.circuits
    # A single-load device's circuit takes the device's name, as in the manual's Circuits tab
    # ("U-30@10"); a gateway measures nothing and has no circuit.
    names = [c.name for c in circuits] if len(circuits) > 1 else [name]
    indexes = [c.index for c in circuits] if len(circuits) > 1 else [1]
    if not catalogue_reference.is_gateway:
        Circuit.objects.bulk_create(Circuit(device=device, index=index, name=circuit_name, fluid=electricity)
                                    for index, circuit_name in zip(indexes, names))
    return device
