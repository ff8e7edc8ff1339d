"""Reads about devices."""

import json
from collections.abc import Sequence

from django.conf import settings
from redis import Redis

from devices.acquisition.spec import DeviceSpec, spec_for
from devices.catalogue import catalogue
from devices.live import COUNTERS_PREFIX, live_key
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


def link_counters(device_ids: Sequence[int]) -> dict[int, dict]:
    """The communication counters the acquisition keeps per device (requests, errors, timeouts,
    last success, last error and its time), in one Redis round trip; zeros for a device never
    polled."""
    if not device_ids:
        return {}
    with Redis.from_url(settings.REDIS_URL, **settings.REDIS_CLIENT_OPTIONS) as redis:
        pipeline = redis.pipeline(transaction=False)
        for device_id in device_ids:
            pipeline.hgetall(COUNTERS_PREFIX + str(device_id))
        raws = pipeline.execute()
    counters = {}
    for device_id, raw in zip(device_ids, raws, strict=True):
        fields = {key.decode(): value.decode() for key, value in raw.items()}
        counters[device_id] = {
            **{name: int(fields.get(name, 0)) for name in ("requests", "errors", "timeouts")},
            **{name: fields.get(name) or None for name in ("last_success", "last_error", "last_error_at")},
        }
    return counters


def gateway_modules(gateway: Device) -> list[dict]:
    """The devices reached through ``gateway`` (Settings › Sources: their gateway), each with its
    live status and link counters, in two Redis round trips however many modules it has."""
    modules = list(gateway.downstream.select_related("area").order_by("unit_id", "name"))
    ids = [module.pk for module in modules]
    lives, counters = cached_live(ids), link_counters(ids)
    rows = []
    for module in modules:
        cached = lives.get(module.pk) or {"status": "offline", "reason": NOT_POLLED, "timestamp": None}
        rows.append({"device": module, "status": cached["status"], "reason": cached.get("reason", ""),
                     "timestamp": cached.get("timestamp"), "counters": counters[module.pk]})
    return rows
