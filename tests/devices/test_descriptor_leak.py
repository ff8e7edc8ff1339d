"""A dropped Modbus link releases its socket: the acquisition's descriptor count stays flat over
hundreds of cycles against every kind of failing meter (issue 10, defect 2: 1,430 descriptors
after 200 cycles against 15 failing meters, until the file limit stopped all acquisition)."""

import asyncio
import json
import os
import time
from dataclasses import replace

import pytest
import redis
from django.conf import settings

from devices import live
from devices.acquisition.cycle import poll_devices
from devices.acquisition.loop import AcquisitionLoop
from devices.acquisition.transport import LinkPool
from tests.devices.conftest import device_spec, unit_with_values
from tests.devices.failing_meters import KINDS, FailingMeters

CYCLES = 200
SLACK = 4  # descriptors that may come and go between two counts (a socket being closed, a pipe)


def descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def settled_descriptors(at_most: int, timeout: float = 5.0) -> int:
    """The count once closing sockets are gone (a closed transport lets go on a later loop turn)."""
    deadline = time.monotonic() + timeout
    count = descriptors()
    while count > at_most and time.monotonic() < deadline:
        time.sleep(0.05)  # polling an outcome with a deadline
        count = descriptors()
    return count


@pytest.fixture
def failing():
    meters = FailingMeters()
    yield meters
    meters.stop()


@pytest.fixture
def cache():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


def counter(cache, device_id: int, name: str) -> int:
    return int(cache.hget(live.COUNTERS_PREFIX + str(device_id), name) or 0)


@pytest.mark.parametrize("kind", KINDS)
def test_descriptors_stay_flat_over_hundreds_of_cycles(failing, kind):
    # Three meters of the kind, the default retry: every path that drops a link and reconnects is
    # taken in every cycle (short timeouts: 200 cycles in seconds).
    specs = [device_spec(failing.start(kind), device_id=7000 + meter, timeout=0.01, retries=1) for meter in range(3)]

    async def cycles() -> tuple[int, int, list[dict]]:
        pool = LinkPool()
        client = live.redis_client()
        recorder = live.LiveRecorder(client)
        try:
            for _ in range(3):  # warm up: the Redis and channel-layer connections are opened
                await poll_devices(specs, pool, recorder)
            before = descriptors()
            for _ in range(CYCLES):
                messages = await poll_devices(specs, pool, recorder)
            return before, descriptors(), messages
        finally:
            pool.close()
            await client.aclose()

    before, after, messages = asyncio.run(cycles())
    assert {message["status"] for message in messages} == {"offline"}
    assert after <= before + SLACK or settled_descriptors(before + SLACK) <= before + SLACK, \
        f"{kind}: {before} descriptors before {CYCLES} cycles, {after} after"


def test_a_closed_pool_releases_every_socket(failing, meters):
    """Closing the pool (a worker stopping, ``poll --once`` ending) closes the links it made."""
    good = device_spec(meters([unit_with_values(1, {"I1": 1.0})]), device_id=7100, timeout=0.5)
    silent = device_spec(failing.start("silent"), device_id=7101, timeout=0.01)
    baseline = descriptors()

    async def poll_and_close() -> list[dict]:
        pool = LinkPool()
        client = live.redis_client()
        try:
            return await poll_devices([good, silent], pool, live.LiveRecorder(client))
        finally:
            pool.close()
            await client.aclose()

    messages = asyncio.run(poll_and_close())
    assert [message["status"] for message in messages] == ["online", "offline"]
    assert settled_descriptors(baseline + 1) <= baseline + 1  # the simulator's side may lag


def test_a_good_meter_keeps_being_read_beside_failing_ones_and_the_loop_leaks_nothing(failing, meters, cache):
    good = replace(device_spec(meters([unit_with_values(1, {"I1": 4.0})]), device_id=7200, timeout=2.0),
                   poll_seconds=0.05)
    dead = [replace(device_spec(failing.start(kind), unit, device_id=7210 + 2 * n + unit, timeout=0.2, retries=1),
                    poll_seconds=0.05)
            for n, kind in enumerate(KINDS) for unit in (1, 2)]
    specs = [good, *dead]
    cache.delete(*(live.COUNTERS_PREFIX + str(spec.id) for spec in specs), *(live.live_key(spec.id) for spec in specs),
                 *cache.keys("webview:lease:*"))
    loop = AcquisitionLoop(owner="descriptor-test")
    try:
        loop.submit(specs)
        deadline = time.monotonic() + 10.0
        while counter(cache, good.id, "requests") < 10:  # the first reads: connections are open
            assert time.monotonic() < deadline, "the good meter was not read"
            loop.submit(specs)
            time.sleep(0.1)  # the beat tick, sped up
        before = descriptors()
        reads_before = counter(cache, good.id, "requests")
        deadline = time.monotonic() + 20.0
        # Until every failing meter has failed several more times (backed off: 0.05, 0.1, 0.2 s...).
        while min(counter(cache, spec.id, "errors") + counter(cache, spec.id, "timeouts") for spec in dead) < 6:
            assert time.monotonic() < deadline, "the failing meters were not polled"
            loop.submit(specs)
            time.sleep(0.1)
        after = descriptors()
        good_reads = counter(cache, good.id, "requests") - reads_before
    finally:
        loop.stop()
    assert json.loads(cache.get(live.live_key(good.id)))["status"] == "online"
    # Failing meters cost their own timeouts, not the good meter's turn: it kept its pace.
    assert good_reads >= 20
    assert after <= before + SLACK or settled_descriptors(before + SLACK) <= before + SLACK, (before, after)


def test_a_stopped_loop_releases_what_it_opened(meters, cache):
    """Its event loop, its Redis and channel-layer connections, its links (a worker restarting
    its loop, or the test suite starting many)."""
    spec = replace(device_spec(meters([unit_with_values(1, {"I1": 5.0})]), device_id=7400, timeout=2.0),
                   poll_seconds=0.05)

    def run_one_loop() -> None:
        cache.delete(live.live_key(spec.id), *cache.keys("webview:lease:*"))
        loop = AcquisitionLoop(owner="restarting")
        try:
            deadline = time.monotonic() + 10.0
            while cache.get(live.live_key(spec.id)) is None:  # polled, recorded and published
                assert time.monotonic() < deadline, "the meter was not read"
                loop.submit([spec])
                time.sleep(0.05)  # the beat tick, sped up
        finally:
            loop.stop()

    run_one_loop()
    before = descriptors()
    for _ in range(5):
        run_one_loop()
    assert settled_descriptors(before + SLACK) <= before + SLACK


def test_ticks_fold_while_redis_stalls(failing, settings):
    """A Redis that accepts and never answers (a stalled server): the ticks that arrive meanwhile
    wait as one, on one connection, rather than one coroutine and one connection each."""
    stalled = failing.start("silent")
    settings.REDIS_URL = f"redis://127.0.0.1:{stalled}/0"
    spec = device_spec(failing.start("refused"), device_id=7600)
    loop = AcquisitionLoop(owner="stalled")
    try:
        loop.submit([spec])
        wait_until(lambda: len(failing.connections) == 1)  # the first tick waits for its leases
        for _ in range(30):  # thirty seconds of beat ticks
            loop.submit([spec])
        asyncio.run_coroutine_threadsafe(asyncio.sleep(0), loop.loop).result(timeout=5)  # all handed over
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:  # a connection per tick would show up at once
            assert len(failing.connections) == 1
            time.sleep(0.05)
    finally:
        loop.stop()


def wait_until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)  # polling an outcome with a deadline
