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
    Circuit.objects.bulk_create(
        Circuit(device=device, index=circuit.index, name=circuit.name if len(catalogue_reference.circuits) > 1 else name,
                fluid=electricity)
        for circuit in catalogue_reference.circuits
    )
    return device
