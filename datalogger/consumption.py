"""Energy consumed per bucket (§8.5): sums of the consumption series over month, week, day,
hour or minute buckets whose edges fall on the site's local calendar (settings.TIME_ZONE).
Month to hour read the day blocks' hourly rollups (a row per day, no block decoded) when the
edges fall on UTC hours; minutes, and edges off the UTC hours, read the points. A bucket without any point is NaN: a gap, never a zero."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings

from datalogger import reader, rows
from datalogger.models import Series

STEPS = ("month", "week", "day", "hour", "minute")
HOUR = 3600


def _floor(moment: datetime, step: str) -> datetime:
    if step == "month":
        return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if step == "week":
        monday = moment - timedelta(days=moment.weekday())
        return monday.replace(hour=0, minute=0, second=0, microsecond=0)
    if step == "day":
        return moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if step == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    return moment.replace(second=0, microsecond=0)


def _next(moment: datetime, step: str) -> datetime:
    """The next edge in local wall time (a local day is 23 or 25 hours across a DST change)."""
    if step == "month":
        return moment.replace(year=moment.year + moment.month // 12, month=moment.month % 12 + 1)
    if step in ("week", "day"):
        days = 7 if step == "week" else 1
        return (moment.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=moment.tzinfo)
    # Hours and minutes are real ones, added in UTC: aware arithmetic in the zone is wall-clock
    # arithmetic, which skipped the repeated autumn hour (a 25-hour day drawn as 24 hours).
    step_length = timedelta(hours=1) if step == "hour" else timedelta(minutes=1)
    return (moment.astimezone(timezone.utc) + step_length).astimezone(moment.tzinfo)


def edges(start: datetime, end: datetime, step: str) -> list[datetime]:
    """Bucket edges from ``start`` (floored to the step in local time) to past ``end``."""
    zone = ZoneInfo(settings.TIME_ZONE)
    moment = _floor(start.astimezone(zone), step)
    result = [moment]
    while moment < end:
        moment = _next(moment, step)
        if step in ("hour", "minute"):
            moment = moment.astimezone(timezone.utc).astimezone(zone)  # real hours through DST
        else:
            moment = moment.replace(tzinfo=None).replace(tzinfo=zone)
        result.append(moment)
    return result


def _epochs(moments: list[datetime]) -> np.ndarray:
    return np.array([int(m.timestamp()) for m in moments], dtype=np.int64)


def consumed(series: list[Series], start: datetime, end: datetime, step: str) -> tuple[list[datetime], dict[int, np.ndarray]]:
    """The bucket starts (on the calendar), and for each series the sum of its points in each
    bucket; only points inside [start, end) count, so a range that starts mid-week makes its
    first week a partial one."""
    bucket_edges = edges(start, end, step)
    cuts = _epochs(bucket_edges)
    low, high = int(start.timestamp()), int(end.timestamp())
    sums = {}
    # The hours' rollups serve when the range and every bucket edge fall on a UTC hour (whole-hour
    # time zones); a zone such as Asia/Kolkata, or a range that starts or ends mid-hour, splits
    # hours: its sums come from the points.
    on_hours = step != "minute" and low % HOUR == 0 and high % HOUR == 0 and not np.any(cuts % HOUR)
    samples = _hours(series, start, end) if on_hours else _points(series, start, end)
    for pk, (seconds, values) in samples.items():
        keep = (seconds >= low) & (seconds < high)
        which = np.searchsorted(cuts, seconds[keep], side="right") - 1
        size = len(cuts) - 1
        total = np.bincount(which, weights=values[keep], minlength=size)[:size]
        present = np.bincount(which, minlength=size)[:size] > 0
        sums[pk] = np.where(present, total, np.nan)
    return bucket_edges[:-1], sums


def _points(series: list[Series], start: datetime, end: datetime) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    return {pk: (p.ts.astype(np.int64), p.values) for pk, p in reader.points_many(series, start, end).items()}


def _hours(series: list[Series], start: datetime, end: datetime) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per series, (UTC hour start, sum of the hour) from the blocks' rollups and the hot rows."""
    ids = [one.pk for one in series]
    rollups: dict[int, list] = {pk: [] for pk in ids}
    first_day, last_day = start.astimezone(timezone.utc).date(), end.astimezone(timezone.utc).date()
    for pk, day, hourly in rows.blocks(ids, first_day, last_day, "hourly"):
        if hourly is not None:
            rollups[pk].append((day, hourly))
    hot: dict[int, list] = {pk: [] for pk in ids}
    for pk, seconds, value, _quality in rows.hot(ids, start, end):
        hot[pk].append((seconds // 3600 * 3600, value))  # UTC hours
    result = {}
    hour = np.arange(24, dtype=np.int64) * 3600
    for pk in ids:
        seconds, values = [], []
        if rollups[pk]:
            days = np.array([day for day, _h in rollups[pk]], dtype=np.int64) * 86400
            seconds.append((days[:, None] + hour[None, :]).ravel())
            values.append(np.frombuffer(b"".join(h for _d, h in rollups[pk]), dtype="<f8"))
        if hot[pk]:
            seconds.append(np.array([s for s, _v in hot[pk]], dtype=np.int64))
            values.append(np.array([v for _s, v in hot[pk]], dtype=np.float64))
        if seconds:
            all_seconds, all_values = np.concatenate(seconds), np.concatenate(values)
            present = ~np.isnan(all_values)
            result[pk] = (all_seconds[present], all_values[present])
        else:
            result[pk] = (np.array([], dtype=np.int64), np.array([]))
    return result
