"""Reads about devices."""

import json
from collections.abc import Sequence

from django.conf import settings
from redis import Redis

from devices.acquisition.spec import DeviceSpec, spec_for
from devices.catalogue import catalogue
from devices.live import live_key
from devices.models import Circuit, Device

# The reason of a device the acquisition has not polled since the live cache was emptied.
NOT_POLLED = "not polled yet"


def devices_with_circuits():
    # A Custom device's reference is built from its map's registers: fetched with the devices.
    return (Device.objects.select_related("area", "custom_map")
            .prefetch_related("circuits", "custom_map__registers"))


def circuits_with_relations():
    return Circuit.objects.select_related("device__area", "fluid", "usage")


def gateway_references() -> list[str]:
    return catalogue().gateway_references


def enabled_device_specs(device_id: int | None = None) -> list[DeviceSpec]:
    devices = devices_with_circuits().filter(enabled=True)
    if device_id is not None:
        devices = devices.filter(pk=device_id)
    # A gateway is reached, not read: its downstream devices are polled through it.
    return [spec_for(device) for device in devices if not device.is_gateway]


def cached_live(device_ids: Sequence[int]) -> dict[int, dict]:
    """The live cache's latest payload of each device that has one, in one Redis round trip
    (MGET), however many devices a page shows."""
    if not device_ids:
        return {}
    with Redis.from_url(settings.REDIS_URL, **settings.REDIS_CLIENT_OPTIONS) as redis:
        raws = redis.mget([live_key(device_id) for device_id in device_ids])
    return {device_id: json.loads(raw) for device_id, raw in zip(device_ids, raws, strict=True) if raw}


def live_of(device: Device) -> dict:
    """The ``live/`` payload of the API contract for ``device`` (circuits prefetched): status and
    values from the live cache, circuits as the database has them now (a circuit renamed since the
    last poll shows its new name). A device never polled is offline, "not polled yet"."""
    cached = cached_live([device.pk]).get(device.pk)
    if cached is None:
        cached = {"status": "offline", "reason": NOT_POLLED, "timestamp": None, "circuits": []}
    values = {circuit["id"]: circuit.get("values", {}) for circuit in cached.get("circuits", [])}
    return {
        "device": device.pk,
        "status": cached["status"],
        "reason": cached.get("reason", ""),
        "timestamp": cached.get("timestamp"),
        "circuits": [
            {"id": circuit.pk, "index": circuit.index, "name": circuit.name, "values": values.get(circuit.pk, {})}
            for circuit in device.circuits.all()
        ],
    }
