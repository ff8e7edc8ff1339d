"""One acquisition cycle over many devices: each reads over its own link, links in parallel."""

import asyncio
from collections.abc import Iterable

from redis.asyncio import Redis

from devices import live
from devices.acquisition.reader import read_device
from devices.acquisition.spec import DeviceSpec, Reading
from devices.acquisition.transport import LinkPool


async def poll_device(spec: DeviceSpec, pool: LinkPool, redis: Redis) -> tuple[Reading, dict]:
    reading = await read_device(spec, pool)
    return reading, await live.record(spec, reading, redis)


async def poll_devices(specs: Iterable[DeviceSpec], pool: LinkPool, redis: Redis) -> list[dict]:
    results = await asyncio.gather(*(poll_device(spec, pool, redis) for spec in specs))
    return [message for _reading, message in results]


async def poll_once(specs: list[DeviceSpec]) -> list[dict]:
    """``manage.py poll --once``: a fresh pool and Redis client, closed afterwards."""
    pool = LinkPool()
    redis = live.redis_client()
    try:
        return await poll_devices(specs, pool, redis)
    finally:
        pool.close()
        await redis.aclose()
