"""The worker's long-lived loop: due devices are polled, dead ones backed off, the live cache filled."""

import json
import time
from dataclasses import replace

import pytest
import redis
from django.conf import settings

from devices import live
from devices.acquisition.loop import AcquisitionLoop
from tests.devices.conftest import device_spec, free_port, unit_with_values


@pytest.fixture
def cache():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)  # polling an outcome with a deadline, not waiting blindly


def counter(cache, device_id: int, name: str) -> int:
    return int(cache.hget(live.COUNTERS_PREFIX + str(device_id), name) or 0)


def test_due_devices_are_polled_and_dead_ones_backed_off(meters, cache):
    alive = replace(device_spec(meters([unit_with_values(1, {"I1": 2.5})]), device_id=801), poll_seconds=0.2)
    dead = replace(device_spec(free_port(), device_id=802), poll_seconds=0.2)
    cache.delete(*(live.live_key(i) for i in (801, 802)), *(live.COUNTERS_PREFIX + str(i) for i in (801, 802)))
    loop = AcquisitionLoop()
    try:
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:  # the beat tick, sped up
            loop.submit([alive, dead])
            time.sleep(0.1)
        wait_for(lambda: cache.get(live.live_key(801)) is not None)
    finally:
        loop.stop()
    message = json.loads(cache.get(live.live_key(801)))
    assert message["status"] == "online" and message["circuits"][0]["values"]["I1"] == pytest.approx(2.5)
    assert json.loads(cache.get(live.live_key(802)))["status"] == "offline"
    alive_polls, dead_polls = counter(cache, 801, "requests"), counter(cache, 802, "errors")
    assert alive_polls >= 8  # every 0.2 s for 3 s, block reads included
    assert 1 <= dead_polls <= 5  # 0.2, 0.4, 0.8, 1.6 s apart: backed off


def test_a_device_removed_from_the_tick_is_forgotten(meters, cache):
    spec = replace(device_spec(meters([unit_with_values(1, {})]), device_id=803), poll_seconds=0.1)
    loop = AcquisitionLoop()
    try:
        loop.submit([spec])
        wait_for(lambda: cache.get(live.live_key(803)) is not None)
        loop.submit([])
        wait_for(lambda: 803 not in loop.next_due)
    finally:
        loop.stop()
    assert 803 not in loop.failures and 803 not in loop.recorder.previous


@pytest.mark.django_db(transaction=True)
def test_the_beat_tick_hands_enabled_devices_to_the_loop(meters, cache):
    from devices import services, tasks
    from devices.catalogue import catalogue

    port = meters([unit_with_values(1, {"F": 49.9}, catalogue().reference("A-40").register_map)])
    device = services.add_device(reference="A-40", name="Ticked", host="127.0.0.1", port=port, unit_id=1)
    services.add_device(reference="M-70", name="Gateway", host="127.0.0.1", port=port, unit_id=200)
    cache.delete(live.live_key(device.pk))
    try:
        assert tasks.acquisition_tick.apply().get() == 1  # the gateway is reached, not read
        wait_for(lambda: cache.get(live.live_key(device.pk)) is not None)
    finally:
        tasks.acquisition_loop().stop()
        tasks._loop = None
    assert json.loads(cache.get(live.live_key(device.pk)))["circuits"][0]["values"]["F"] == pytest.approx(49.9)


def test_two_workers_share_the_links_and_take_over_a_stopped_one(meters, cache):
    ports = [meters([unit_with_values(1, {"I1": 1.0})]) for _ in range(4)]
    specs = [replace(device_spec(port, device_id=810 + n), poll_seconds=0.2) for n, port in enumerate(ports)]
    cache.delete(*(live.COUNTERS_PREFIX + str(s.id) for s in specs), *cache.keys("webview:lease:*"))
    first, second = AcquisitionLoop(owner="worker-a"), AcquisitionLoop(owner="worker-b")
    try:
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            first.submit(specs)
            second.submit(specs)
            time.sleep(0.1)
        everything = {s.link for s in specs}
        assert first.links | second.links == everything
        assert not first.links & second.links  # each meter has one poller
        # Stop whichever worker polls; the other takes its links over.
        stopped, survivor = (first, second) if first.links else (second, first)
        before = {s.id: counter(cache, s.id, "requests") for s in specs}
        stopped.stop()
        deadline = time.monotonic() + 7.0  # released at stop, or expired after a crash
        while time.monotonic() < deadline and survivor.links != everything:
            survivor.submit(specs)
            time.sleep(0.1)
        assert survivor.links == everything
        survivor.submit(specs)
        wait_for(lambda: all(counter(cache, s.id, "requests") > before[s.id] for s in specs))
    finally:
        for loop in (first, second):
            if loop.thread.is_alive():
                loop.stop()


def test_a_change_of_state_is_logged_once_not_every_failed_poll(meters, cache, caplog):
    port = free_port()
    spec = replace(device_spec(port, device_id=804, timeout=2.0), poll_seconds=0.05)
    cache.delete(live.COUNTERS_PREFIX + "804", *cache.keys("webview:lease:*"))
    caplog.set_level("INFO", logger="devices.acquisition.loop")
    loop = AcquisitionLoop(owner="logging")
    try:
        deadline = time.monotonic() + 10.0
        while counter(cache, 804, "errors") < 4:  # several failed polls (backed off: 0.05, 0.1, 0.2 s)
            assert time.monotonic() < deadline, "the dead meter was not polled"
            loop.submit([spec])
            time.sleep(0.1)
        meters([unit_with_values(1, {"I1": 1.0})], port=port)  # the meter comes back
        while 804 in loop.offline:
            assert time.monotonic() < deadline + 10.0, "the meter did not come back online"
            loop.submit([spec])
            time.sleep(0.1)
    finally:
        loop.stop()
    lines = [(record.levelname, record.getMessage()) for record in caplog.records
             if record.name == "devices.acquisition.loop"]
    assert lines == [("WARNING", "device 804 (meter-804) offline: connection failed"),
                     ("INFO", "device 804 (meter-804) back online")]
