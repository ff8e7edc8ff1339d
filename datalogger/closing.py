"""Ended integration periods: from their Redis accumulators (datalogger/accumulator.py) to
stored points, in one transaction per period with the series' watermarks. Idempotent: a period
stored twice (a worker killed between the commit and the Redis cleanup) adds nothing, since a
point's key is (series, period start)."""

import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

from django.db import transaction
from redis import Redis

from datalogger import accumulator
from datalogger.models import HotPoint, Quality, Series
from datalogger.values import kind_of, storable
from devices.catalogue import CatalogueError
from devices.catalogue.schema import REGISTER_TYPES
from devices.models import Device

logger = logging.getLogger(__name__)
GRACE = timedelta(seconds=20)  # a poll started just before the period's end may still land in it
Stat = Series.Stat


def close_ended_periods(redis: Redis, now: datetime | None = None) -> int:
    """Store every accumulated period that ended before ``now`` (less a grace), oldest first so
    that each consumption starts from the index stored before it. Returns how many."""
    now = now or datetime.now(timezone.utc)
    names = sorted((name.decode() for name in redis.smembers(accumulator.OPEN_PERIODS)),
                   key=lambda name: accumulator.parse_key(name)[1])
    closed = 0
    for name in names:
        if accumulator.period_end(name) > now - GRACE:
            continue
        fields = {k.decode(): v.decode() for k, v in redis.hgetall(name).items()}
        if fields:
            device_id, start, minutes = accumulator.parse_key(name)
            store_period(device_id, datetime.fromtimestamp(start, tz=timezone.utc), minutes, fields)
            closed += 1
        # After the commit: a crash before this line only makes the next run store it again.
        redis.srem(accumulator.OPEN_PERIODS, name)
        redis.delete(name)
    return closed


def _aggregates(fields: dict[str, str]) -> dict[tuple[int, str], dict[str, float]]:
    by_quantity: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    for name, raw in fields.items():
        index, code, part = name.split("|")
        try:
            by_quantity[(int(index), code)][part] = float(raw)
        except ValueError:
            logger.warning("accumulator field %s holds %r, not a number: skipped", name, raw)
    return by_quantity


def _statistics(parts: dict[str, float]) -> dict[str, float | None]:
    """A quantity's statistics for the period from its accumulated parts (None: not known)."""
    if "l" in parts:
        return {Stat.INDEX: parts["l"]}
    if parts.get("n") and "s" in parts:
        return {Stat.AVG: parts["s"] / parts["n"], Stat.MIN: parts.get("lo"), Stat.MAX: parts.get("hi")}
    return {}


def store_period(device_id: int, ts: datetime, minutes: int, fields: dict[str, str]) -> None:
    device = Device.objects.filter(pk=device_id).first()
    if device is None:
        return  # deleted since: its history went with it
    values: dict[tuple[int, str, str], float] = {}
    for (index, code), parts in _aggregates(fields).items():
        for stat, raw in _statistics(parts).items():
            # The one guard (datalogger/values.py): the script only accumulates guarded samples,
            # but a hash written otherwise (an older version, by hand) must not store garbage.
            value = storable(raw, kind_of(stat))
            if value is None:
                logger.warning("device %s period %s: %s %s of circuit %s is %r, not stored", device_id,
                               ts.isoformat(), code, stat, index, raw)
            else:
                values[(index, code, stat)] = value
    wanted = set(values) | {(index, code, Stat.DELTA) for index, code, stat in values if stat == Stat.INDEX}
    with transaction.atomic():
        series = series_for(device, wanted, minutes)
        points = [HotPoint(series=series[key], ts=ts, value=value) for key, value in values.items()]
        for (index, code, stat), value in values.items():
            if stat == Stat.INDEX:
                delta = _consumption(device, series[(index, code, Stat.INDEX)], code, ts, value)
                if delta is not None and storable(delta[0], kind_of(Stat.DELTA)) is None:
                    logger.warning("device %s period %s: consumption %r of %s, circuit %s, not stored", device_id,
                                   ts.isoformat(), delta[0], code, index)
                elif delta is not None:
                    points.append(HotPoint(series=series[(index, code, Stat.DELTA)], ts=ts, value=delta[0],
                                           quality=delta[1]))
        HotPoint.objects.bulk_create(points, ignore_conflicts=True)
        _advance_watermarks(series.values(), ts, values)


def series_for(device: Device, keys: set[tuple[int, str, str]], minutes: int) -> dict[tuple[int, str, str], Series]:
    """The device's series for these (circuit index, code, stat), created when new; locked for
    this transaction so that two closers never interleave a series' watermark."""
    def existing() -> dict:
        return {(s.circuit_index, s.code, s.stat): s
                for s in Series.objects.select_for_update().filter(device=device, code__in={k[1] for k in keys})}

    found = existing()
    missing = keys - set(found)
    if missing:
        Series.objects.bulk_create([Series(device=device, circuit_index=i, code=c, stat=s, period_minutes=minutes)
                                    for i, c, s in missing], ignore_conflicts=True)
        found = existing()
    return {key: found[key] for key in keys}


def _consumption(device: Device, index_series: Series, code: str, ts: datetime,
                 index: float) -> tuple[float, int] | None:
    """The energy consumed in the period ending with ``index``: since the index stored before
    it. None for the first period ever and for a period already stored."""
    if index_series.last_ts is None or index_series.last_value is None or index_series.last_ts >= ts:
        return None
    previous = index_series.last_value
    # Periods missed in between (a meter offline): their consumption lands here, estimated.
    quality = Quality.GOOD if ts - index_series.last_ts <= timedelta(minutes=index_series.period_minutes) \
        else Quality.ESTIMATED
    if index >= previous:
        return index - previous, quality
    span = _rollover_span(device, code)
    if span and previous > 0.9 * span and index < 0.1 * span:
        return span - previous + index, quality  # the register wrapped around: nothing lost
    return index, Quality.ESTIMATED  # a counter reset: what was counted since, at least


def _rollover_span(device: Device, code: str) -> float | None:
    """Where the device's counter for ``code`` wraps, in the quantity's unit (unsigned registers)."""
    try:
        register_map = device.catalogue_reference.register_map
    except CatalogueError:
        return None
    register = next((r for r in register_map.registers if r.code == code), None) if register_map else None
    if register is None or not register.type.startswith("u"):
        return None
    return 2 ** (16 * REGISTER_TYPES[register.type][0]) * register.scale


def _advance_watermarks(series: Iterable[Series], ts: datetime, values: dict) -> None:
    """Energy indexes only: the next period's consumption starts from them."""
    moved = []
    for one in series:
        if one.stat != Stat.INDEX or (one.last_ts is not None and one.last_ts >= ts):
            continue
        one.last_ts, one.last_value = ts, values[(one.circuit_index, one.code, one.stat)]
        moved.append(one)
    Series.objects.bulk_update(moved, ["last_ts", "last_value"])
