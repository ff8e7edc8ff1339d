"""Live values (DESIGN.md data flow): the latest payload per device in Redis, the communication
counters for the diagnosis page, and the fan-out to websockets through the channel layer."""

import json
from collections.abc import Iterable

from channels.layers import get_channel_layer
from django.conf import settings
from redis.asyncio import Redis

from devices import outlets
from devices.acquisition.spec import DeviceSpec, Reading

KEY_PREFIX = "webview:live:"
COUNTERS_PREFIX = "webview:comm:"


def group_name(device_id: int) -> str:
    return f"device.{device_id}"


def live_key(device_id: int) -> str:
    return f"{KEY_PREFIX}{device_id}"


def payload(spec: DeviceSpec, reading: Reading, previous: dict | None = None) -> dict:
    """The ``live/`` shape of the contract. A device-wide value (index 0) sits in every circuit;
    an offline device keeps its last good values and their time."""
    if not reading.online:
        base = previous or {"timestamp": None, "circuits": _circuits(spec, {})}
        return {"device": spec.id, "status": "offline", "reason": reading.reason,
                "timestamp": base["timestamp"], "circuits": base["circuits"]}
    return {"device": spec.id, "status": "online", "reason": "", "timestamp": reading.timestamp.isoformat(),
            "circuits": _circuits(spec, reading.values)}


def _circuits(spec: DeviceSpec, values: dict[int, dict[str, float | None]]) -> list[dict]:
    device_wide = values.get(0, {})
    circuits = spec.circuits or ()
    return [{"id": c.id, "index": c.index, "name": c.name, "values": {**device_wide, **values.get(c.index, {})}}
            for c in circuits]


def redis_client() -> Redis:
    return Redis.from_url(settings.REDIS_URL, **settings.REDIS_CLIENT_OPTIONS)  # explicit timeouts (settings)


async def publish(device_id: int, message: dict) -> None:
    await get_channel_layer().group_send(group_name(device_id), {"type": "live.update", "payload": message})


class LiveRecorder:
    """Stores readings in the live cache and publishes changes. It remembers each device's last
    payload, so that a poll costs one Redis round trip (the cache is read once per device, after a
    restart, to keep the last good values of a meter that is offline from the start). A device
    whose link it takes (back) over from another worker is forgotten and its next payload published."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self.previous: dict[int, dict] = {}
        # Devices whose next payload is published even if unchanged: another worker polled them
        # meanwhile, and browsers hold its last message, not ours.
        self.taken_over: set[int] = set()
        # The live cache is the first outlet; the others (the datalogger's accumulation, ...) are
        # those their apps registered at start (devices/outlets.py).
        self.outlets = (LIVE_OUTLET, *outlets.registered())
        self.store = redis.register_script(outlets.compose(self.outlets))

    async def record(self, spec: DeviceSpec, reading: Reading) -> dict:
        previous = self.previous.get(spec.id)
        if previous is None:
            raw = await self.redis.get(live_key(spec.id))
            previous = json.loads(raw) if raw else None
        message = payload(spec, reading, previous)
        # One round trip and one command per poll: the payload, the counters incremented (not
        # overwritten, so that a reset from the diagnosis page is never undone), and what every
        # other outlet stages for this reading.
        own = ([live_key(spec.id), COUNTERS_PREFIX + str(spec.id)],
               [json.dumps(message), reading.requests, reading.errors, reading.timeouts, 1 if reading.online else 0,
                reading.timestamp.isoformat(), reading.reason])
        keys, args = outlets.staged(self.outlets, spec, reading, given={LIVE_OUTLET.name: own})
        await self.store(keys=keys, args=args)
        if previous is None or spec.id in self.taken_over or _changed(previous, message):
            await publish(spec.id, message)
        self.taken_over.discard(spec.id)
        self.previous[spec.id] = message
        return message

    def forget(self, device_id: int) -> None:
        self.previous.pop(device_id, None)
        self.taken_over.discard(device_id)

    def take_over(self, device_ids: Iterable[int]) -> None:
        """Devices whose link comes (back) to this recorder: what it remembered is stale."""
        for device_id in device_ids:
            self.previous.pop(device_id, None)
            self.taken_over.add(device_id)


# The live cache's outlet: KEYS_[1] the payload, KEYS_[2] the communication counters;
# ARGV_ the payload, the poll's requests, errors and timeouts, online, its time and reason.
LIVE_LUA = """
redis.call('SET', KEYS_[1], ARGV_[1])
redis.call('HINCRBY', KEYS_[2], 'requests', ARGV_[2])
redis.call('HINCRBY', KEYS_[2], 'errors', ARGV_[3])
redis.call('HINCRBY', KEYS_[2], 'timeouts', ARGV_[4])
if ARGV_[5] == '1' then
  redis.call('HSET', KEYS_[2], 'last_success', ARGV_[6])
else
  redis.call('HSET', KEYS_[2], 'last_error', ARGV_[7], 'last_error_at', ARGV_[6])
end
"""


LIVE_OUTLET = outlets.Outlet("live", LIVE_LUA, keys_and_args=None)


def _changed(before: dict, after: dict) -> bool:
    return (before.get("status"), before.get("circuits")) != (after.get("status"), after.get("circuits"))


async def read_live(device_id: int, redis: Redis) -> dict | None:
    raw = await redis.get(live_key(device_id))
    return json.loads(raw) if raw else None
