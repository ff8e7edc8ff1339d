"""Reading history: a series' points over a time range from the day blocks and the hot rows
together, and their reduction to at most N buckets of (min, avg, max) on the server, so that a
year of 10-minute values reaches the browser as a thousand points."""

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from datalogger import codec, rows
from datalogger.models import Series


@dataclass
class Points:
    """Sorted by time: start times (datetime64[s], UTC), values (NaN = missing), quality, and
    for an hour's rollup standing for several points, how many (None: one point each)."""

    ts: np.ndarray
    values: np.ndarray
    quality: np.ndarray
    weight: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ts)


def utc64(moment: datetime) -> np.datetime64:
    return np.datetime64(moment.astimezone(timezone.utc).replace(tzinfo=None), "s")


def empty() -> Points:
    return Points(np.array([], dtype="datetime64[s]"), np.array([]), np.array([], dtype=np.uint8))


def points(series: Series, start: datetime, end: datetime) -> Points:
    """The series' points starting inside [start, end), missing ones left out."""
    return points_many([series], start, end)[series.pk]


def points_many(series: list[Series], start: datetime, end: datetime) -> dict[int, Points]:
    """Several series' points in two queries (their day blocks, then their hot rows); a hot row
    wins over the block slot of the same time (a day not compacted yet)."""
    by_id = {one.pk: one for one in series}
    first_day, last_day = start.astimezone(timezone.utc).date(), end.astimezone(timezone.utc).date()
    blocks: dict[int, list] = {pk: [] for pk in by_id}
    for row in rows.blocks(list(by_id), first_day, last_day, "period_minutes, data, quality"):
        blocks[row[0]].append(row[1:])
    hot: dict[int, list] = {pk: [] for pk in by_id}
    for row in rows.hot(list(by_id), start, end):
        hot[row[0]].append(row[1:])
    low, high = utc64(start), utc64(end)
    return {pk: assemble(blocks[pk], hot[pk], one.is_energy, low, high) for pk, one in by_id.items()}


def assemble(blocks: list, hot: list, is_energy: bool, low: np.datetime64, high: np.datetime64) -> Points:
    parts = [_decode_blocks(blocks, is_energy)] if blocks else []
    if hot:
        seconds, values, quality = zip(*hot)
        parts.append(Points(np.array(seconds, dtype=np.int64).astype("datetime64[s]"),
                            np.array(values, dtype=np.float64), np.array(quality, dtype=np.uint8)))
    if not parts:
        return empty()
    if len(parts) == 1:
        ts, values, quality = parts[0].ts, parts[0].values, parts[0].quality
    else:
        ts = np.concatenate([part.ts for part in parts])
        values = np.concatenate([part.values for part in parts])
        quality = np.concatenate([part.quality for part in parts])
    if len(parts) > 1 and len(parts[0].ts) and len(parts[1].ts) and parts[1].ts[0] <= parts[0].ts[-1]:
        # Hot rows inside packed days (compaction not run yet for them): sort, the later part wins.
        order = np.argsort(ts, kind="stable")
        ts, values, quality = ts[order], values[order], quality[order]
        last_of_each = np.append(ts[1:] != ts[:-1], True)
        ts, values, quality = ts[last_of_each], values[last_of_each], quality[last_of_each]
    inside = (ts >= low) & (ts < high) & ~np.isnan(values)
    return Points(ts[inside], values[inside], quality[inside])


def _decode_blocks(blocks: list, is_energy: bool) -> Points:
    """Consecutive day blocks (day number, period, data, quality) in one pass: their bytes
    joined, their slot times broadcast."""
    dtype = codec.dtype_for(is_energy)
    groups: dict[int, list] = {}
    for row in blocks:  # normally one integration period for the whole range
        groups.setdefault(row[1], []).append(row)
    parts = []
    for period, group in groups.items():
        per_day = codec.slots(period)
        values = np.frombuffer(b"".join(row[2] for row in group), dtype=dtype).astype(np.float64)
        days = np.array([row[0] for row in group], dtype=np.int64) * 86400
        offsets = np.arange(per_day, dtype=np.int64) * (period * 60)
        ts = (days[:, None] + offsets[None, :]).ravel().astype("datetime64[s]")
        quality = np.zeros(len(values), dtype=np.uint8)
        for n, row in enumerate(group):
            if row[3]:
                quality[n * per_day:(n + 1) * per_day] = np.frombuffer(row[3], dtype=np.uint8)
        parts.append((ts, values, quality))
    if len(parts) == 1:
        return Points(*parts[0])
    ts, values, quality = (np.concatenate(column) for column in zip(*parts))
    order = np.argsort(ts, kind="stable")
    return Points(ts[order], values[order], quality[order])


@dataclass
class Buckets:
    start: np.ndarray  # datetime64[s] of each bucket that holds data
    low: np.ndarray
    mean: np.ndarray
    high: np.ndarray


def bucket_width(start: datetime, end: datetime, buckets: int, period_minutes: int) -> int:
    """Seconds per bucket: whole periods, as few as fit ``buckets`` in [start, end); whole hours
    past ROLLUP_FROM (at most a fifth fewer buckets), so that the hours' rollups serve."""
    period = period_minutes * 60
    span = max(period, int((end - start).total_seconds()))
    width = max(1, -(-span // (period * max(1, buckets)))) * period
    if width > ROLLUP_FROM:
        return -(-width // HOUR) * HOUR
    return width


HOUR = 3600
ROLLUP_FROM = 4 * HOUR


def reduce(low: Points, mean: Points, high: Points, start: datetime, width: int) -> Buckets:
    """(min of the minimums, average of the averages, max of the maximums) per bucket of
    ``width`` seconds from ``start``; a bucket without data is left out (a gap, never a zero).
    Every period weighs the same in the average, also when hours' rollups stand for them."""
    origin = utc64(start)
    step = np.timedelta64(width, "s")

    def grouped(series: Points, ufunc, weighted: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bucket keys, ``ufunc`` over each bucket and the bucket weights (point counts); the
        points are sorted by time, so a bucket is a run of equal keys (no sort needed)."""
        if not len(series):
            return np.array([], dtype=np.int64), np.array([]), np.array([], dtype=np.int64)
        index = (series.ts - origin).astype(np.int64) // width
        first = np.flatnonzero(np.concatenate(([True], index[1:] != index[:-1])))
        if weighted and series.weight is not None:
            return index[first], ufunc(series.values * series.weight, first), np.add.reduceat(series.weight, first)
        return index[first], ufunc(series.values, first), np.diff(np.append(first, len(index)))

    def spread(keys: np.ndarray, values: np.ndarray, into: np.ndarray) -> np.ndarray:
        out = np.full(len(into), np.nan)
        out[np.searchsorted(into, keys)] = values
        return out

    low_keys, lows, _sizes = grouped(low, np.minimum.reduceat)
    high_keys, highs, _sizes = grouped(high, np.maximum.reduceat)
    mean_keys, sums, counts = grouped(mean, np.add.reduceat, weighted=True)
    same = np.array_equal(low_keys, mean_keys) and np.array_equal(high_keys, mean_keys)
    keys = mean_keys if same else np.union1d(np.union1d(low_keys, high_keys), mean_keys)
    return Buckets(start=origin + keys * step, low=spread(low_keys, lows, keys),
                   mean=spread(mean_keys, sums / counts if len(counts) else sums, keys),
                   high=spread(high_keys, highs, keys))
