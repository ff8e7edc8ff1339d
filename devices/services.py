"""Writes about devices: adding a device by reference creates its circuits (§9.6.2)."""

from collections.abc import Iterable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from devices.catalogue import CatalogueError, catalogue
from devices.catalogue.schema import Reference
from devices.custom_maps import CUSTOM_REFERENCE, build_register_map, read_with, reference_of
from devices.models import (GATEWAY_MAP_REFUSED, Area, Circuit, CustomRegister, CustomRegisterMap, Device, Fluid,
                            Usage)


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
    timeout_seconds: float | None = None,
    retries: int | None = None,
    gateway: Device | None = None,
    custom_map: CustomRegisterMap | None = None,
) -> Device:
    """Create a device and its circuits with the catalogue's default names; nothing is created
    when anything is wrong (ValidationError with the field at fault). Reference "Custom" reads
    the device with ``custom_map`` and gives it the map's circuits."""
    catalogue_reference = _reference_to_add(reference, custom_map)
    device = Device(reference=reference, name=name, unit_id=unit_id, host=host, port=port, protocol=protocol,
                    serial_port=serial_port, gateway=gateway, custom_map=custom_map)
    optional = {"poll_seconds": poll_seconds, "integration_minutes": integration_minutes,
                "timeout_seconds": timeout_seconds, "retries": retries}
    for field, value in optional.items():
        if value is not None:
            setattr(device, field, value)
    if area:
        device.area, _created = Area.objects.get_or_create(name=area)
    try:
        device.full_clean()
    except ValidationError as error:
        raise _address_clash_on_unit_id(error) from None
    try:
        device.save()
    except IntegrityError:
        raise ValidationError({"unit_id": _("A device already answers at this Modbus address.")}) from None
    Circuit.objects.bulk_create(_default_circuits(device, catalogue_reference, existing=set()))
    return device


def _reference_to_add(reference: str, custom_map: CustomRegisterMap | None) -> Reference:
    if reference == CUSTOM_REFERENCE:
        if custom_map is None:
            raise ValidationError({"custom_map": _("A Custom device needs its register map: choose one, or define "
                                                   "it in Register maps first.")})
        return _readable(lambda: reference_of(custom_map), custom_map)
    try:
        catalogue_reference = catalogue().reference(reference)
    except CatalogueError:
        raise ValidationError({"reference": _("Unknown reference %(reference)s.") % {"reference": reference}}) from None
    if custom_map is None:
        return catalogue_reference
    if catalogue_reference.is_gateway:
        raise ValidationError({"custom_map": GATEWAY_MAP_REFUSED})
    return _readable(lambda: read_with(catalogue_reference, custom_map), custom_map)


def _readable(build, custom_map: CustomRegisterMap) -> Reference:
    try:
        return build()
    except CatalogueError as error:  # a map saved before a catalogue change made it invalid
        raise ValidationError({"custom_map": _("The register map %(map)s cannot be read: %(reason)s")
                               % {"map": custom_map, "reason": error}}) from None


@transaction.atomic
def save_register_map(definition: Mapping) -> CustomRegisterMap:
    """A user-defined register map from its definition as a catalogue file writes it (name,
    function, max_registers, word_order, circuit_stride, circuits, note, registers), checked by
    the catalogue's rules first: nothing is saved when a rule fails (ValidationError)."""
    fields = {key: definition[key] for key in ("name", "function", "max_registers", "word_order", "circuit_stride",
                                               "circuits")}
    reset = definition.get("reset") or {}
    try:
        register_map = build_register_map(**fields, note=definition.get("note", ""), registers=definition["registers"],
                                          reset=reset)
    except CatalogueError as error:
        raise ValidationError({"registers": str(error)}) from None
    custom_map = CustomRegisterMap(**fields, note=definition.get("note", ""), reset_address=reset.get("address"),
                                   reset_value=reset.get("value"))
    custom_map.full_clean()
    custom_map.save()
    CustomRegister.objects.bulk_create(
        CustomRegister(map=custom_map, code=r.code, address=r.address, type=r.type, scale=r.scale, scope=r.scope,
                       word_order=r.word_order if r.word_order != fields["word_order"] else "",
                       not_available=r.not_available)
        for r in register_map.registers)
    return custom_map


def _address_clash_on_unit_id(error: ValidationError) -> ValidationError:
    # The one-device-per-address constraint reports without a field; the user resolves it by
    # changing the Modbus address, so that is where the form and the API show it.
    errors = error.message_dict
    clash = errors.pop(NON_FIELD_ERRORS, [])
    if clash:
        errors["unit_id"] = [*errors.get("unit_id", []), *clash]
    return ValidationError(errors)


def _default_circuits(device: Device, catalogue_reference: Reference, existing: set[int]) -> list[Circuit]:
    """The catalogue's circuits of ``device`` whose index is not in ``existing``; a single-circuit
    device names its circuit after itself (§9.6.4: "U-30@10" on a U-30@10)."""
    electricity = Fluid.objects.filter(key="electricity").first()
    several = len(catalogue_reference.circuits) > 1
    return [
        Circuit(device=device, index=circuit.index, name=circuit.name if several else device.name, fluid=electricity)
        for circuit in catalogue_reference.circuits
        if circuit.index not in existing
    ]


@transaction.atomic
def refresh_circuits(device: Device) -> int:
    """Re-create the circuits of ``device`` that its catalogue reference has and the database lost,
    with their default names; circuits already there keep their names, fluids and usages.
    Returns how many were created."""
    try:
        catalogue_reference = device.catalogue_reference
    except CatalogueError:
        raise ValidationError(_("%(device)s: unknown reference %(reference)s.")
                              % {"device": device, "reference": device.reference}) from None
    existing = set(device.circuits.values_list("index", flat=True))
    return len(Circuit.objects.bulk_create(_default_circuits(device, catalogue_reference, existing)))


def _is_gateway(device: Device) -> bool:
    try:
        return device.is_gateway
    except CatalogueError:
        # A reference the catalogue no longer knows is no gateway we can name; refusing would
        # leave the device undeletable.
        return False


def ensure_deletable(devices: Iterable[Device]) -> None:
    """§9.6.3 item 15: the gateway (M-xx / D-xx) cannot be deleted."""
    gateways = sorted(device.name for device in devices if _is_gateway(device))
    if gateways:
        raise ValidationError(
            _("Gateways cannot be deleted: %(names)s.") % {"names": ", ".join(gateways)},
            code="gateway",
        )


@transaction.atomic
def delete_devices(devices: QuerySet[Device]) -> int:
    """Delete these devices and their circuits, or none of them if a gateway is among them.
    Returns how many devices were deleted."""
    devices = list(Device.objects.filter(pk__in=devices.values("pk")).select_for_update())
    ensure_deletable(devices)
    Device.objects.filter(pk__in=[device.pk for device in devices]).delete()
    return len(devices)


CIRCUIT_EDITABLE_FIELDS = ("name", "fluid", "usage")


def update_circuit(circuit: Circuit, **changes) -> Circuit:
    """§9.6.4 item 7: a circuit's name, fluid and usage; its device, index and load type come
    from the device and do not change here."""
    unknown = set(changes) - set(CIRCUIT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_circuit() cannot change {sorted(unknown)}")
    for field, value in changes.items():
        setattr(circuit, field, value)
    circuit.full_clean()
    if changes:
        circuit.save(update_fields=list(changes))
    return circuit


def set_fluid_and_usage(circuits: QuerySet[Circuit], **changes: Fluid | Usage | None) -> int:
    """§9.6.4 item 8: one fluid and/or one usage for several circuits at once (``fluid=None``
    makes them undefined). Returns how many circuits were changed."""
    unknown = set(changes) - {"fluid", "usage"}
    if unknown:
        raise TypeError(f"set_fluid_and_usage() cannot change {sorted(unknown)}")
    if not changes:
        return 0
    return Circuit.objects.filter(pk__in=circuits.values("pk")).update(**changes)


def add_usage(*, name: str, external_key: str) -> Usage:
    """§9.6.5: a custom usage (predefined ones come with the gateway)."""
    usage = Usage(name=name, external_key=external_key, predefined=False)
    usage.full_clean()
    usage.save()
    return usage


DEVICE_SETTINGS = ("name", "host", "port", "unit_id", "enabled", "poll_seconds", "integration_minutes",
                   "timeout_seconds", "retries")


@transaction.atomic
def update_device(device: Device, *, area: str | None = None, **changes) -> Device:
    """Change a device's settings (not its reference); nothing is saved when anything is wrong."""
    unknown = set(changes) - set(DEVICE_SETTINGS)
    if unknown:
        raise ValidationError({field: _("This field cannot be changed.") for field in sorted(unknown)})
    for field, value in changes.items():
        setattr(device, field, value)
    if area is not None:
        device.area = Area.objects.get_or_create(name=area)[0] if area else None
    try:
        device.full_clean()
    except ValidationError as error:
        raise _address_clash_on_unit_id(error) from None
    device.save()
    return device
