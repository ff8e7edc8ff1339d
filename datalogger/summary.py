"""Trends' reduction of a minimum, average and maximum series to at most N (min, avg, max)
buckets. Buckets of whole hours are read from the day blocks' hourly rollups (a year of
10-minute points is then 24 values a day instead of 144), and from the points themselves on
the range's partial first and last days and on any day with hot rows; shorter buckets from the
points."""

from datetime import datetime, timezone

import numpy as np

from datalogger import codec, reader, rows
from datalogger.models import Series

DAY = 86400
_ROLES = ("min", "avg", "max")


def summarise(low: Series, mean: Series, high: Series, start: datetime, end: datetime,
              buckets: int) -> tuple[int, reader.Buckets]:
    """(bucket width in seconds, the buckets) of [start, end)."""
    # Buckets laid on the UTC hours, so that the hours' rollups fall whole into them.
    origin = start.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    width = reader.bucket_width(origin, end, buckets, mean.period_minutes)
    if width % reader.HOUR == 0 and tuple(one.stat for one in (low, mean, high)) == _ROLES:
        read = hourly_points([low, mean, high], start, end)
    else:
        origin, width = start, reader.bucket_width(start, end, buckets, mean.period_minutes)
        read = reader.points_many(list({low, mean, high}), start, end)
    buckets = reader.reduce(read[low.pk], read[mean.pk], read[high.pk], origin, width)
    buckets.start = np.maximum(buckets.start, reader.utc64(start))  # a first bucket begun before: its data start
    return width, buckets


def hourly_points(series: list[Series], start: datetime, end: datetime) -> dict[int, reader.Points]:
    """Each measure series over [start, end): an hour's rollup (with its point count as weight)
    for each hour of the whole days inside the range, the points elsewhere."""
    ids = [one.pk for one in series]
    low_s, high_s = int(start.timestamp()), int(end.timestamp())
    inner = (-(-low_s // DAY), high_s // DAY - 1)  # the days wholly inside [start, end)
    hot: dict[int, list] = {pk: [] for pk in ids}
    for row in rows.hot(ids, start, end):
        hot[row[0]].append(row[1:])
    hot_days = {pk: {seconds // DAY for seconds, _v, _q in points} for pk, points in hot.items()}
    raw: dict[int, list] = {pk: [] for pk in ids}
    hours: dict[int, list] = {pk: [] for pk in ids}
    unread = set()
    first_day, last_day = start.astimezone(timezone.utc).date(), end.astimezone(timezone.utc).date()
    for pk, day, period, rollup, data, quality in rows.rollups(ids, first_day, last_day, inner):
        if data is not None:
            raw[pk].append((day, period, data, quality))
        elif rollup is None or day in hot_days[pk]:
            unread.add(pk)  # a day without its rollup, or with late points not packed yet
        else:
            hours[pk].append((day, rollup))
    low, high = reader.utc64(start), reader.utc64(end)
    result = {pk: _merge(_rollup_points(hours[pk]), reader.assemble(raw[pk], hot[pk], False, low, high))
              for pk in ids if pk not in unread}
    result.update(reader.points_many([one for one in series if one.pk in unread], start, end))
    return result


def _rollup_points(days: list) -> reader.Points:
    if not days:
        return reader.empty()
    starts = np.array([day for day, _r in days], dtype=np.int64) * DAY
    ts = (starts[:, None] + np.arange(codec.HOURS, dtype=np.int64)[None, :] * reader.HOUR).ravel()
    blob = np.frombuffer(b"".join(rollup for _d, rollup in days), dtype=np.uint8).reshape(len(days), -1)
    values = blob[:, :codec.HOURS * 4].copy().view("<f4").ravel().astype(np.float64)
    counts = blob[:, codec.HOURS * 4:codec.MEASURE_ROLLUP_BYTES].ravel()
    some = counts > 0
    return reader.Points(ts[some].astype("datetime64[s]"), values[some], np.zeros(int(some.sum()), dtype=np.uint8),
                         counts[some].astype(np.float64))


def _merge(hours: reader.Points, points: reader.Points) -> reader.Points:
    """The rollup hours and the points (on other days) in time order."""
    if not len(points):
        return hours
    if not len(hours):
        return points
    ts = np.concatenate([hours.ts, points.ts])
    order = np.argsort(ts, kind="stable")
    weight = np.concatenate([hours.weight, np.ones(len(points))])
    return reader.Points(ts[order], np.concatenate([hours.values, points.values])[order],
                         np.concatenate([hours.quality, points.quality])[order], weight[order])
