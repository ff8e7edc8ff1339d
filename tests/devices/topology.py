"""What the Sources, Circuits and Usages tests share: the factory usages and fluids, the real
Redis live cache, and devices added the one way the gateway adds them."""

import json

import pytest
import redis
from django.conf import settings

from devices import services
from devices.live import live_key
from devices.models import Device, Fluid, Usage
from devices.predefined import FLUIDS, USAGES


@pytest.fixture
def predefined(db):
    """The migration's usages and fluids (a transactional test before this one flushed them)."""
    for key, name in USAGES.items():
        Usage.objects.get_or_create(external_key=key, defaults={"name": str(name), "predefined": True})
    for key, (name, unit) in FLUIDS.items():
        Fluid.objects.get_or_create(key=key, defaults={"name": str(name), "energy_unit": unit})


@pytest.fixture
def live_cache():
    """The real Redis live cache: ``write(device_id, payload)``; the keys are removed after."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    written = []

    def write(device_id: int, payload: dict) -> None:
        client.set(live_key(device_id), json.dumps(payload))
        written.append(live_key(device_id))

    yield write
    if written:
        client.delete(*written)
    client.close()


def add(name: str, reference: str = "A-40", unit_id: int = 1, host: str = "10.0.0.1", **kwargs) -> Device:
    return services.add_device(reference=reference, name=name, unit_id=unit_id, host=host, **kwargs)
