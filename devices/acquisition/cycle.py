"""One acquisition cycle over many devices: each reads over its own link, links in parallel."""

import asyncio
from collections.abc import Iterable

from devices import live
from devices.acquisition.reader import read_device
from devices.acquisition.spec import DeviceSpec, Reading
from devices.acquisition.transport import LinkPool


# Redis connections are pooled (channels-redis caps its pool): bound the concurrent writes.
RECORD_CONCURRENCY = 32


async def poll_device(spec: DeviceSpec, pool: LinkPool, recorder: live.LiveRecorder,
                      recording: asyncio.Semaphore) -> tuple[Reading, dict]:
    reading = await read_device(spec, pool)
    async with recording:
        return reading, await recorder.record(spec, reading)


def by_link(specs: Iterable[DeviceSpec]) -> dict[tuple, list[DeviceSpec]]:
    links: dict[tuple, list[DeviceSpec]] = {}
    for spec in specs:
        links.setdefault(spec.link, []).append(spec)
    return links


async def poll_devices(specs: Iterable[DeviceSpec], pool: LinkPool, recorder: live.LiveRecorder) -> list[dict]:
    """Links in parallel; the devices of one link one after the other, as its line allows."""
    recording = asyncio.Semaphore(RECORD_CONCURRENCY)

    async def one_link(link_specs: list[DeviceSpec]) -> list[dict]:
        return [(await poll_device(spec, pool, recorder, recording))[1] for spec in link_specs]

    per_link = await asyncio.gather(*(one_link(link_specs) for link_specs in by_link(specs).values()))
    return [message for messages in per_link for message in messages]


async def poll_once(specs: list[DeviceSpec]) -> list[dict]:
    """``manage.py poll --once``: a fresh pool and Redis client, closed afterwards. Redis is
    asked first: without it, no meter is read and the command fails at once, with one error."""
    pool = LinkPool()
    redis = live.redis_client()
    try:
        await redis.ping()
        return await poll_devices(specs, pool, live.LiveRecorder(redis))
    finally:
        pool.close()
        await redis.aclose()
