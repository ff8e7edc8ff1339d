"""Reading history: a series' points over a time range from the day blocks and the hot rows
together, and their reduction to at most N buckets of (min, avg, max) on the server, so that a
year of 10-minute values reaches the browser as a thousand points."""

from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from django.db import connections

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


def _empty() -> Points:
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
    query = (DayBlock.objects.filter(series__in=list(by_id), day__gte=first_day, day__lte=last_day)
             .order_by("series", "day").values_list("series", "day", "period_minutes", "data", "quality"))
    # The ORM's per-value converters cost more than the decoding: the rows are read raw (the
    # day comes as a date or an ISO string, numpy takes both).
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            blocks[row[0]].append(row[1:])
    hot: dict[int, list] = {pk: [] for pk in by_id}
    query = (HotPoint.objects.filter(series__in=list(by_id), ts__gte=start, ts__lt=end)
             .order_by("series", "ts").values_list("series", "ts", "value", "quality"))
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        for pk, ts, value, quality in cursor.fetchall():
            hot[pk].append((ts, value, quality))
    low, high = _utc64(start), _utc64(end)
    return {pk: _assemble(blocks[pk], hot[pk], one.is_energy, low, high) for pk, one in by_id.items()}


def _assemble(blocks: list, hot: list, is_energy: bool, low: np.datetime64, high: np.datetime64) -> Points:
    parts = [_decode_blocks(blocks, is_energy)] if blocks else []
    if hot:
        parts.append(Points(_moments([ts for ts, _v, _q in hot]),
                            np.array([v for _t, v, _q in hot], dtype=np.float64),
                            np.array([q for _t, _v, q in hot], dtype=np.uint8)))
    if not parts:
        return _empty()
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


EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()


def _moments(moments: list) -> np.ndarray:
    """Times as datetime64[s] (UTC): PostgreSQL gives aware datetimes, SQLite naive ones in UTC
    (or strings)."""
    if moments and isinstance(moments[0], str):
        return np.array([moment[:19] for moment in moments], dtype="datetime64[s]")
    if moments and moments[0].tzinfo is None:
        moments = [moment.replace(tzinfo=timezone.utc) for moment in moments]
    return np.array([int(moment.timestamp()) for moment in moments], dtype=np.int64).astype("datetime64[s]")


def days_of(days: list) -> np.ndarray:
    """Dates as datetime64[D]: PostgreSQL gives date objects (their ordinals are fast to turn
    into numbers), SQLite ISO strings (which numpy parses)."""
    if days and not isinstance(days[0], str):
        return (np.array([day.toordinal() for day in days], dtype=np.int64) - EPOCH_ORDINAL).astype("datetime64[D]")
    return np.array(days, dtype="datetime64[D]")


def _decode_blocks(blocks: list, is_energy: bool) -> Points:
    """Consecutive day blocks in one pass: their bytes joined, their slot times broadcast."""
    dtype = codec.dtype_for(is_energy)
    groups: dict[int, list] = {}
    for row in blocks:  # normally one integration period for the whole range
        groups.setdefault(row[1], []).append(row)
    parts = []
    for period, rows in groups.items():
        per_day = codec.slots(period)
        values = np.frombuffer(b"".join(bytes(row[2]) for row in rows), dtype=dtype).astype(np.float64)
        days = days_of([row[0] for row in rows]).astype("datetime64[s]")
        offsets = np.arange(per_day) * np.timedelta64(period * 60, "s")
        ts = (days[:, None] + offsets[None, :]).ravel()
        quality = np.zeros(len(values), dtype=np.uint8)
        for n, row in enumerate(rows):
            if row[3]:
                quality[n * per_day:(n + 1) * per_day] = np.frombuffer(bytes(row[3]), dtype=np.uint8)
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
    """Seconds per bucket: whole periods, as few as fit ``buckets`` in [start, end)."""
    period = period_minutes * 60
    span = max(period, int((end - start).total_seconds()))
    periods_per_bucket = max(1, -(-span // (period * max(1, buckets))))
    return periods_per_bucket * period


def reduce(low: Points, mean: Points, high: Points, start: datetime, width: int) -> Buckets:
    """(min of the minimums, average of the averages, max of the maximums) per bucket of
    ``width`` seconds from ``start``; a bucket without data is left out (a gap, never a zero)."""
    origin = _utc64(start)
    step = np.timedelta64(width, "s")

    def grouped(series: Points, ufunc) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Bucket keys, ``ufunc`` over each bucket and the bucket sizes; the points are sorted
        by time, so a bucket is a run of equal keys (no sort needed)."""
        if not len(series):
            return np.array([], dtype=np.int64), np.array([]), np.array([], dtype=np.int64)
        index = (series.ts - origin).astype(np.int64) // width
        first = np.flatnonzero(np.concatenate(([True], index[1:] != index[:-1])))
        sizes = np.diff(np.append(first, len(index)))
        return index[first], ufunc(series.values, first), sizes

    def spread(keys: np.ndarray, values: np.ndarray, into: np.ndarray) -> np.ndarray:
        out = np.full(len(into), np.nan)
        out[np.searchsorted(into, keys)] = values
        return out

    low_keys, lows, _sizes = grouped(low, np.minimum.reduceat)
    high_keys, highs, _sizes = grouped(high, np.maximum.reduceat)
    mean_keys, sums, counts = grouped(mean, np.add.reduceat)
    same = np.array_equal(low_keys, mean_keys) and np.array_equal(high_keys, mean_keys)
    keys = mean_keys if same else np.union1d(np.union1d(low_keys, high_keys), mean_keys)
    return Buckets(start=origin + keys * step, low=spread(low_keys, lows, keys),
                   mean=spread(mean_keys, sums / counts if len(counts) else sums, keys),
                   high=spread(high_keys, highs, keys))
