"""Reading history: a series' points over a time range from the day blocks and the hot rows
together, and their reduction to at most N buckets of (min, avg, max) on the server, so that a
year of 10-minute values reaches the browser as a thousand points."""

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from datalogger import codec
from datalogger.models import DayBlock, HotPoint, Series


@dataclass
class Points:
    """Sorted by time: start times (datetime64[s], UTC), values (NaN = missing), quality."""

    ts: np.ndarray
    values: np.ndarray
    quality: np.ndarray

    def __len__(self) -> int:
        return len(self.ts)


def _utc64(moment: datetime) -> np.datetime64:
    return np.datetime64(moment.astimezone(timezone.utc).replace(tzinfo=None), "s")


def points(series: Series, start: datetime, end: datetime) -> Points:
    """The series' points with start + period inside [start, end): blocks first, then hot rows,
    a hot row overriding a block's slot (a day not compacted yet)."""
    parts_ts, parts_values, parts_quality = [], [], []
    blocks = (DayBlock.objects.filter(series=series, day__gte=start.astimezone(timezone.utc).date(),
                                      day__lte=end.astimezone(timezone.utc).date())
              .order_by("day").values_list("day", "period_minutes", "values", "quality"))
    for day, period, values, quality in blocks:
        decoded = codec.decode(day, period, values, quality, series.is_energy)
        parts_ts.append(decoded.timestamps())
        parts_values.append(decoded.values.astype(np.float64))
        parts_quality.append(decoded.quality)
    hot = list(HotPoint.objects.filter(series=series, ts__gte=start, ts__lt=end).order_by("ts")
               .values_list("ts", "value", "quality"))
    if hot:
        parts_ts.append(np.array([_utc64(ts) for ts, _v, _q in hot], dtype="datetime64[s]"))
        parts_values.append(np.array([v for _t, v, _q in hot], dtype=np.float64))
        parts_quality.append(np.array([q for _t, _v, q in hot], dtype=np.uint8))
    if not parts_ts:
        return Points(np.array([], dtype="datetime64[s]"), np.array([]), np.array([], dtype=np.uint8))
    ts, values, quality = np.concatenate(parts_ts), np.concatenate(parts_values), np.concatenate(parts_quality)
    # A hot row wins over the block slot of the same time (stable sort keeps blocks before hot).
    order = np.argsort(ts, kind="stable")
    ts, values, quality = ts[order], values[order], quality[order]
    last_of_each = np.append(ts[1:] != ts[:-1], True)
    ts, values, quality = ts[last_of_each], values[last_of_each], quality[last_of_each]
    inside = (ts >= _utc64(start)) & (ts < _utc64(end)) & ~np.isnan(values)
    return Points(ts[inside], values[inside], quality[inside])


@dataclass
class Buckets:
    start: np.ndarray  # datetime64[s] of each bucket that holds data
    low: np.ndarray
    mean: np.ndarray
    high: np.ndarray


def bucket_width(start: datetime, end: datetime, buckets: int, period_minutes: int) -> int:
    """Seconds per bucket: whole periods, as few as fit ``buckets`` in [start, end)."""
    period = period_minutes * 60
    span = max(period, int((end - start).total_seconds()))
    periods_per_bucket = max(1, -(-span // (period * max(1, buckets))))
    return periods_per_bucket * period


def reduce(low: Points, mean: Points, high: Points, start: datetime, width: int) -> Buckets:
    """(min of the minimums, average of the averages, max of the maximums) per bucket of
    ``width`` seconds from ``start``; a bucket without data is left out (a gap, never a zero)."""
    origin = _utc64(start)

    def grouped(series: Points, ufunc) -> dict[int, float]:
        if not len(series):
            return {}
        index = ((series.ts - origin) // np.timedelta64(width, "s")).astype(np.int64)
        bounds = np.flatnonzero(np.append(True, index[1:] != index[:-1]))
        return dict(zip(index[bounds].tolist(), ufunc(series.values, bounds).tolist()))

    lows = grouped(low, np.minimum.reduceat)
    highs = grouped(high, np.maximum.reduceat)
    sums, counts = grouped(mean, np.add.reduceat), grouped(mean, lambda v, b: np.add.reduceat(np.ones_like(v), b))
    keys = sorted(set(sums) | set(lows) | set(highs))
    mean_values = np.array([sums[k] / counts[k] if k in sums else np.nan for k in keys])
    return Buckets(
        start=origin + np.array(keys, dtype=np.int64) * np.timedelta64(width, "s"),
        low=np.array([lows.get(k, np.nan) for k in keys]),
        mean=mean_values,
        high=np.array([highs.get(k, np.nan) for k in keys]),
    )
