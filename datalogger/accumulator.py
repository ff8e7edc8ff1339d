"""The open integration periods, accumulated in Redis as the meters are polled: for each
(circuit, quantity) the sum, count, minimum and maximum of the samples, and for an energy
counter its last value. One hash per device and period, filled by the acquisition's one script
call per poll through the datalogger's outlet (devices/outlets.py), so a restarted worker loses
nothing already sampled. A beat task turns the hashes of ended periods into stored points
(datalogger/closing.py)."""

from datetime import datetime, timezone
from functools import lru_cache

from datalogger.values import Kind, storable
from devices.acquisition.spec import DeviceSpec, Reading
from devices.catalogue import catalogue
from devices.outlets import Outlet

PREFIX = "webview:dl:"
OPEN_PERIODS = "webview:dl:open"  # the keys of the periods not stored yet
KEPT_SECONDS = 7 * 86400  # an accumulator no closer saw for a week is dropped by Redis
MEASURE, ENERGY = "m", "e"
GUARDED_AS = {MEASURE: Kind.MEASURE, ENERGY: Kind.ENERGY}  # the value guard's kind of each


def period_start(ts: datetime, minutes: int) -> int:
    """Epoch seconds of the start of the period holding ``ts`` (periods align on UTC midnight)."""
    seconds = int(ts.timestamp())
    return seconds - seconds % (minutes * 60)


def key(device_id: int, start: int, minutes: int) -> str:
    return f"{PREFIX}{device_id}:{start}:{minutes}"


def parse_key(name: str) -> tuple[int, int, int]:
    device_id, start, minutes = name.removeprefix(PREFIX).split(":")
    return int(device_id), int(start), int(minutes)


def period_end(name: str) -> datetime:
    _device, start, minutes = parse_key(name)
    return datetime.fromtimestamp(start + minutes * 60, tz=timezone.utc)


@lru_cache(maxsize=4096)
def logged(code: str) -> str | None:
    """How a quantity is logged: ENERGY (last value) for a counter, MEASURE (sum, count, min,
    max) for the rest; None for individual harmonics (the THD is logged; 372 series a device
    of harmonics would outweigh everything else)."""
    if code.startswith("H_"):
        return None
    quantity = catalogue().quantities.get(code)
    if quantity is None:
        return None
    return ENERGY if quantity.category == "meter" else MEASURE


def samples(reading: Reading) -> list[str]:
    """The reading as the script's flat arguments: field, kind, value, ... (online values only,
    and only those the value guard lets be stored: Redis's HINCRBYFLOAT refuses NaN and infinity,
    which would fail the whole script, the live payload with it)."""
    if not reading.online:
        return []
    flat: list[str] = []
    for index, values in reading.values.items():
        for code, value in values.items():
            kind = logged(code)
            if kind is None:
                continue
            sample = storable(value, GUARDED_AS[kind])
            if sample is not None:
                flat += [f"{index}|{code}", kind, repr(sample)]
    return flat


def script_keys_and_args(spec: DeviceSpec, reading: Reading) -> tuple[list[str], list[str]]:
    """The accumulator's key and arguments for this poll: none when there is nothing to log."""
    flat = samples(reading)
    if not flat:
        return [], []
    name = key(spec.id, period_start(reading.timestamp, spec.integration_minutes), spec.integration_minutes)
    return [name, OPEN_PERIODS], [str(KEPT_SECONDS), *flat]


# The datalogger's outlet at the acquisition's fan-out point (devices/outlets.py): KEYS_[1] the
# period's hash, KEYS_[2] the set of open periods; ARGV_[1] how long to keep it, then
# (field, kind, value) triples.
ACCUMULATE_LUA = """
local key = KEYS_[1]
for i = 2, #ARGV_, 3 do
  local field, kind, raw = ARGV_[i], ARGV_[i + 1], ARGV_[i + 2]
  if kind == 'e' then
    redis.call('HSET', key, field .. '|l', raw)
  else
    local value = tonumber(raw)
    redis.call('HINCRBYFLOAT', key, field .. '|s', raw)
    redis.call('HINCRBY', key, field .. '|n', 1)
    local low = tonumber(redis.call('HGET', key, field .. '|lo'))
    if low == nil or value < low then redis.call('HSET', key, field .. '|lo', raw) end
    local high = tonumber(redis.call('HGET', key, field .. '|hi'))
    if high == nil or value > high then redis.call('HSET', key, field .. '|hi', raw) end
  end
end
redis.call('EXPIRE', key, ARGV_[1])
redis.call('SADD', KEYS_[2], key)
"""

OUTLET = Outlet("datalogger", ACCUMULATE_LUA, script_keys_and_args)
