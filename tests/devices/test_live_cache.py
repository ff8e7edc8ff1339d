"""Poll → live cache (real Redis) → channel layer: the one straight line of DESIGN.md."""

import asyncio
import json

import pytest
import redis
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import timezone

from devices import live
from devices.acquisition.cycle import poll_once
from devices.acquisition.spec import CircuitSpec, Reading
from tests.devices.conftest import device_spec, unit_with_values


@pytest.fixture
def cache():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


def test_device_wide_values_sit_in_every_circuit():
    spec = device_spec(1, circuits=(CircuitSpec(11, 1, "PC 1"), CircuitSpec(12, 2, "PC 2")))
    reading = Reading(device_id=1, timestamp=timezone.now(), online=True,
                      values={0: {"F": 50.0}, 1: {"I1": 1.0}, 2: {"I1": 2.0}})
    message = live.payload(spec, reading)
    assert message["status"] == "online"
    assert [c["values"] for c in message["circuits"]] == [{"F": 50.0, "I1": 1.0}, {"F": 50.0, "I1": 2.0}]
    assert [(c["id"], c["index"], c["name"]) for c in message["circuits"]] == [(11, 1, "PC 1"), (12, 2, "PC 2")]


def test_offline_keeps_the_last_good_values_and_their_time():
    spec = device_spec(1)
    good = live.payload(spec, Reading(1, timezone.now(), True, values={1: {"I1": 3.0}}))
    offline = live.payload(spec, Reading(1, timezone.now(), False, reason="timeout"), previous=good)
    assert offline["status"] == "offline" and offline["reason"] == "timeout"
    assert offline["timestamp"] == good["timestamp"] and offline["circuits"] == good["circuits"]


def test_a_poll_fills_the_cache_counts_and_publishes_changes(meters, cache):
    port = meters([unit_with_values(1, {"I1": 7.5, "F": 50.0})])
    spec = device_spec(port, device_id=901)
    cache.delete(live.live_key(901), live.COUNTERS_PREFIX + "901")

    async def scenario():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(live.group_name(901), channel)
        first = await poll_once([spec])
        published = await asyncio.wait_for(layer.receive(channel), 5)
        await poll_once([spec])  # nothing changed: nothing published
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(layer.receive(channel), 0.3)
        await layer.group_discard(live.group_name(901), channel)
        return first, published

    first, published = asyncio.run(scenario())
    assert first[0]["status"] == "online"
    assert published["payload"]["circuits"][0]["values"]["I1"] == pytest.approx(7.5)
    cached = json.loads(cache.get(live.live_key(901)))
    assert cached["circuits"][0]["values"]["I1"] == pytest.approx(7.5)
    counters = {k.decode(): v.decode() for k, v in cache.hgetall(live.COUNTERS_PREFIX + "901").items()}
    assert int(counters["requests"]) >= 2 and counters["last_success"]
