"""Writing a past (seeded) history straight into day blocks, so that a year is written in seconds.
Generic: what the values are (the physics) is the caller's; the demo site's own history is
webview/demo/history.py (`manage.py seed_history`)."""

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from django.db import transaction

from datalogger import codec
from datalogger.models import DayBlock, HotPoint, Series
from datalogger.values import kind_of, storable_array
from devices.models import Device

# By circuit index (0: device-wide), by (quantity code, stat), one value per period of the timeline.
Histories = dict[int, dict[tuple[str, str], np.ndarray]]


@dataclass
class Timeline:
    """The period starts to seed, as epoch seconds, with their UTC hour and weekday."""

    start: datetime
    seconds: np.ndarray
    hours: np.ndarray
    weekdays: np.ndarray
    period_minutes: int

    @classmethod
    def ending(cls, end: datetime, days: int, period_minutes: int) -> "Timeline":
        period = period_minutes * 60
        last = int(end.timestamp()) // period * period - period  # the last period already over
        first = (last - days * 86400) // 86400 * 86400 + 86400  # whole UTC days, then today so far
        seconds = np.arange(first, last + 1, period, dtype=np.int64)
        moments = seconds.astype("datetime64[s]")
        hours = (seconds % 86400) / 3600
        weekdays = ((moments.astype("datetime64[D]").astype(np.int64) + 3) % 7)  # 1970-01-01 was a Thursday
        return cls(datetime.fromtimestamp(first, tz=timezone.utc), seconds, hours, weekdays, period_minutes)


def seed_device(device: Device, histories: Histories, t: Timeline, end: datetime) -> int:
    """Write the device's history; a device that has history already is left alone. Returns
    how many series were written."""
    if Series.objects.filter(device=device).exists():
        return 0
    today = codec.day_start(end.date())
    written = 0
    with transaction.atomic():
        for index, by_key in histories.items():
            for (code, stat), values in by_key.items():
                series = Series.objects.create(device=device, circuit_index=index, code=code, stat=stat,
                                               period_minutes=t.period_minutes)
                write_series(series, t, values, today)
                written += 1
    return written


def write_series(series: Series, t: Timeline, values: np.ndarray, today: datetime) -> None:
    """Whole days before ``today`` go into day blocks, today's periods into hot rows; a value the
    guard (datalogger/values.py) refuses is written as a gap."""
    values = storable_array(values, kind_of(series.stat))
    per_day = codec.slots(t.period_minutes)
    closed = int((today.timestamp() - t.seconds[0]) // (t.period_minutes * 60))
    dtype = codec.dtype_for(series.is_energy)
    blocks = []
    for n in range(closed // per_day):
        day_values = values[n * per_day:(n + 1) * per_day].astype(dtype)
        blocks.append(DayBlock(series=series, day=(t.start + timedelta(days=n)).date(), period_minutes=t.period_minutes,
                               data=day_values.tobytes(),
                               hourly=codec.rollup(series.stat, day_values, t.period_minutes)))
    DayBlock.objects.bulk_create(blocks, batch_size=500)
    hot = [HotPoint(series=series, ts=datetime.fromtimestamp(int(s), tz=timezone.utc), value=float(v))
           for s, v in zip(t.seconds[closed:], values[closed:]) if not np.isnan(v)]
    HotPoint.objects.bulk_create(hot, batch_size=500)
    known = np.flatnonzero(~np.isnan(values))
    if series.stat == Series.Stat.INDEX and len(known):  # the next consumption starts from the last index known
        series.last_ts = datetime.fromtimestamp(int(t.seconds[known[-1]]), tz=timezone.utc)
        series.last_value = float(values[known[-1]])
        series.save(update_fields=["last_ts", "last_value"])
