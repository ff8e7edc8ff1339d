"""Reads about devices."""

from devices.acquisition.spec import DeviceSpec, spec_for
from devices.models import Device


def devices_with_circuits():
    return Device.objects.select_related("area").prefetch_related("circuits")


def enabled_device_specs(device_id: int | None = None) -> list[DeviceSpec]:
    devices = devices_with_circuits().filter(enabled=True)
    if device_id is not None:
        devices = devices.filter(pk=device_id)
    # A gateway is reached, not read: its downstream devices are polled through it.
    return [spec_for(device) for device in devices if not device.is_gateway]
