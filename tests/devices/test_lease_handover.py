"""A link coming back to a worker: its next reading is published even if it equals what that worker
published before (issue 10, defect 6: browsers kept the other worker's last message)."""

import asyncio
import time
from dataclasses import replace

import pytest
import redis
from channels.layers import get_channel_layer
from django.conf import settings

from devices import live
from devices.acquisition.leases import KEY_PREFIX
from devices.acquisition.loop import AcquisitionLoop
from tests.devices.conftest import TEST_MAP, device_spec, unit_with_values

CURRENT = next(register for register in TEST_MAP.registers if register.code == "I1")


@pytest.fixture
def cache():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


def test_a_worker_that_gets_a_link_back_publishes_its_next_reading(meters, cache):
    unit = unit_with_values(1, {"I1": 1.0})
    port = meters([unit])
    spec = replace(device_spec(port, device_id=7300), poll_seconds=0.1)
    lease = f"{KEY_PREFIX}tcp:127.0.0.1:{port}"
    cache.delete(lease, live.live_key(spec.id))
    first, second = AcquisitionLoop(owner="worker-a"), AcquisitionLoop(owner="worker-b")
    ticking = [first]  # the workers whose beat ticks arrive

    async def ticks() -> None:
        while True:
            for worker in ticking:
                worker.submit([spec])
            await asyncio.sleep(0.1)  # the 1-second beat tick, sped up

    async def scenario() -> list[float]:
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(live.group_name(spec.id), channel)
        ticker = asyncio.create_task(ticks())
        received: list[float] = []

        async def next_message() -> float:
            message = (await asyncio.wait_for(layer.receive(channel), 5))["payload"]
            received.append(message["circuits"][0]["values"]["I1"])
            return received[-1]

        async def until(condition) -> None:
            for _ in range(100):
                if condition():
                    return
                await asyncio.sleep(0.05)  # polling an outcome with a deadline
            raise AssertionError("condition not met in time")

        try:
            assert await next_message() == pytest.approx(1.0)  # A polls and publishes
            # A's lease lapsed (a late tick) and B took the link; A sees it at its next tick.
            ticking.append(second)
            cache.set(lease, b"worker-b", px=5000)
            await until(lambda: not first.links and not first.polling and second.links)
            unit.set(CURRENT, 2.0)
            while await next_message() != pytest.approx(2.0):  # B publishes what it reads
                pass
            # B stops (its lease released); the meter reads 1.0 again, as when A last read it.
            ticking.remove(second)
            await asyncio.to_thread(second.stop)
            unit.set(CURRENT, 1.0)
            # Browsers hold B's 2.0: A's next reading must reach them though A published 1.0 before.
            await next_message()
            assert cache.get(lease) == b"worker-a"
        finally:
            ticker.cancel()
            await layer.group_discard(live.group_name(spec.id), channel)
        return received

    try:
        received = asyncio.run(scenario())
    finally:
        for worker in (first, second):
            if worker.thread.is_alive():
                worker.stop()
    assert received[-1] == pytest.approx(1.0)


def test_a_removed_device_and_a_lost_link_leave_nothing_behind(meters, cache):
    """What the loop keeps per device and per link goes with them: connections, timers, plans."""
    port = meters([unit_with_values(1, {"I1": 3.0})])
    spec = replace(device_spec(port, device_id=7310, timeout=2.0), poll_seconds=0.1)
    lease = f"{KEY_PREFIX}tcp:127.0.0.1:{port}"
    cache.delete(lease, live.live_key(spec.id))
    worker = AcquisitionLoop(owner="worker-c")
    try:
        worker.submit([spec])
        wait_until(lambda: cache.get(live.live_key(spec.id)) is not None and spec.link in worker.pool.keys())
        # Another worker holds the link now: this one closes its connection to the meter.
        cache.set(lease, b"worker-d", px=5000)
        worker.submit([spec])
        wait_until(lambda: spec.link not in worker.pool.keys() and not worker.polling)
        assert spec.link not in worker.wakeups
        cache.delete(lease)
        worker.submit([spec])
        wait_until(lambda: spec.link in worker.pool.keys())  # no tick needed: polled when due
        worker.submit([])  # the device was deleted
        wait_until(lambda: spec.link not in worker.pool.keys() and not worker.polling)
        assert spec.id not in worker.next_due and spec.id not in worker.recorder.previous
        assert not [key for key in worker.pool.plans if key[0] == spec.id] and not worker.wakeups
    finally:
        worker.stop()


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)  # polling an outcome with a deadline
