"""Autodetect (§9.6.3 item 14): scan the Modbus addresses of a host, identify each device from
its identification zone and add what is new. Progress goes to a ``progress(done, total, stage)``
callback, so that the command line and a background task report the same way."""

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pymodbus.client import AsyncModbusTcpClient
from pymodbus.exceptions import ModbusException

from devices import services
from devices.catalogue import catalogue
from devices.catalogue.schema import Identification
from devices.models import Device
from devices.modbus.identification import read_signature, read_string

Progress = Callable[[int, int, str], None]


@dataclass
class Found:
    unit_id: int
    product_name: str  # as the device reports it; "" when it has no Socomec identification zone
    reference: str = ""  # the catalogue reference it was identified as
    device_id: int | None = None
    outcome: str = ""  # "added", "already configured", "unidentified", "not Socomec"


def socomec_identification() -> Identification:
    """The identification zone shared by Socomec's tables (the catalogue's own)."""
    for reference in catalogue().references.values():
        register_map = reference.register_map
        if register_map and register_map.identification and register_map.identification.product_name_address:
            return register_map.identification
    raise LookupError("no catalogue map documents the identification zone")


async def scan(host: str, port: int, unit_ids: Iterable[int], timeout: float,
               progress: Progress | None = None) -> list[Found]:
    """Read the identification zone of each unit id; units that do not answer are skipped."""
    ident = socomec_identification()
    unit_ids = list(unit_ids)
    client = AsyncModbusTcpClient(host, port=port, timeout=timeout, retries=0)
    if not await client.connect():
        raise ConnectionError(f"cannot connect to {host}:{port}")
    found: list[Found] = []
    try:
        for done, unit_id in enumerate(unit_ids, start=1):
            found.extend(await _identify(client, unit_id, ident))
            if progress:
                progress(done, len(unit_ids), f"Modbus address {unit_id}")
    finally:
        client.close()
    return found


async def _identify(client: AsyncModbusTcpClient, unit_id: int, ident: Identification) -> list[Found]:
    try:
        signature = await client.read_holding_registers(ident.signature_address, count=len(ident.signature),
                                                        device_id=unit_id)
    except ModbusException:
        return []  # nobody at this address (timeout)
    if signature.isError():
        # Exception 10/11: a gateway says there is no such device; others: a device without the zone.
        return [] if signature.exception_code in (10, 11) else [Found(unit_id, "", outcome="not Socomec")]
    if read_signature(signature.registers) != ident.signature:
        return [Found(unit_id, "", outcome="not Socomec")]
    try:
        name = await client.read_holding_registers(ident.product_name_address, count=ident.product_name_words,
                                                   device_id=unit_id)
    except ModbusException:
        return [Found(unit_id, "", outcome="unidentified")]
    product_name = "" if name.isError() else read_string(name.registers)
    return [Found(unit_id, product_name)]


def autodetect(host: str, port: int = 502, unit_ids: Iterable[int] = range(1, 248), timeout: float = 0.3,
               progress: Progress | None = None, area: str | None = None, gateway: Device | None = None) -> list[Found]:
    """Scan, identify and add the new devices; returns what was found at each address."""
    found = asyncio.run(scan(host, port, unit_ids, timeout, progress))
    existing = set(Device.objects.filter(protocol=Device.Protocol.TCP, host=host, port=port)
                   .values_list("unit_id", flat=True))
    for item in found:
        if item.outcome:
            continue
        reference = catalogue().by_product_name(item.product_name) if item.product_name else None
        if reference is None:
            item.outcome = "unidentified"
            continue
        item.reference = reference.reference
        if item.unit_id in existing:
            item.outcome = "already configured"
            continue
        try:
            device = services.add_device(reference=reference.reference, name=_free_name(reference.reference, item.unit_id),
                                         host=host, port=port, unit_id=item.unit_id, area=area, gateway=gateway)
        except ValidationError as error:
            item.outcome = "; ".join(error.messages)
            continue
        item.device_id, item.outcome = device.pk, "added"
    return found


def _free_name(reference: str, unit_id: int) -> str:
    # The manual's naming: "I-35@4"; a second gateway's module with the same address gets a suffix.
    name, suffix = f"{reference}@{unit_id}", 2
    while Device.objects.filter(name=name).exists():
        name, suffix = f"{reference}@{unit_id} ({suffix})", suffix + 1
    return name


def import_topology(gateway: Device, progress: Progress | None = None, timeout: float = 0.3) -> list[Found]:
    """§9.6.2: the devices behind a gateway (M-70, D-70...) are found at their Modbus addresses
    through it, identified, and added with the gateway as their way in."""
    if not gateway.is_gateway:
        raise ValidationError({"reference": _("%(device)s is not a gateway.") % {"device": gateway}})
    units = [unit for unit in range(1, 248) if unit != gateway.unit_id]
    area = gateway.area.name if gateway.area else None
    return autodetect(gateway.host, gateway.port, units, timeout, progress, area, gateway)
