"""The fan-out point (devices/outlets.py): every registered outlet gets its own keys and
arguments from each poll, in the one script call of the live recorder, and the acquisition
imports none of them (the datalogger plugs in from its own app)."""

import asyncio

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from devices import live, outlets
from devices.acquisition.spec import Reading
from tests.devices.conftest import device_spec

PROBE_KEY = "webview:test:outlet-probe"

# Writes what it was given: its own keys and arguments only, whatever other outlets take.
PROBE_LUA = """
redis.call('DEL', KEYS_[1])
redis.call('RPUSH', KEYS_[1], #KEYS_, unpack(ARGV_))
"""


def _probe_keys_and_args(spec, reading):
    return [PROBE_KEY], [str(spec.id), str(reading.values[1]["I1"])]


@pytest.fixture
def probe():
    outlets.register(outlets.Outlet("probe", PROBE_LUA, _probe_keys_and_args))
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(PROBE_KEY)
    yield client
    outlets.unregister("probe")
    client.delete(PROBE_KEY)
    client.close()


def test_the_datalogger_is_an_outlet_registered_by_its_app():
    assert [outlet.name for outlet in outlets.registered()][:1] == ["datalogger"]


def test_each_outlet_gets_its_own_keys_and_arguments_in_one_call(probe):
    spec = device_spec(1, device_id=904)
    reading = Reading(device_id=904, timestamp=timezone.now(), online=True, values={1: {"I1": 4.5}})

    async def record():
        client = live.redis_client()
        try:
            return await live.LiveRecorder(client).record(spec, reading)
        finally:
            await client.aclose()

    message = asyncio.run(record())
    assert probe.lrange(PROBE_KEY, 0, -1) == [b"1", b"904", b"4.5"]
    assert probe.get(live.live_key(904)) is not None  # the live outlet ran in the same call
    assert message["circuits"][0]["values"] == {"I1": 4.5}


def test_an_outlet_with_nothing_to_stage_is_skipped(probe):
    spec = device_spec(1, device_id=905)
    offline = Reading(device_id=905, timestamp=timezone.now(), online=False, reason="timeout")
    outlets.register(outlets.Outlet("probe", PROBE_LUA, lambda spec, reading: ([], ["ignored"])))

    async def record():
        client = live.redis_client()
        try:
            return await live.LiveRecorder(client).record(spec, offline)
        finally:
            await client.aclose()

    message = asyncio.run(record())
    assert message["status"] == "offline"
    assert not probe.exists(PROBE_KEY)


def test_composed_script_gives_counts_first():
    script = outlets.compose((live.LIVE_OUTLET, *outlets.registered()))
    assert script.count("do -- outlet") == 1 + len(outlets.registered())
    keys, args = outlets.staged((live.LIVE_OUTLET,), device_spec(1), Reading(1, timezone.now(), False),
                                given={"live": (["a", "b"], ["x", "y", "z"])})
    assert keys == ["a", "b"] and args == ["2", "3", "x", "y", "z"]
