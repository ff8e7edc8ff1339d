"""Closed days: the hot rows of each series packed into one day block, in one transaction per
series (upsert of the block, then the rows deleted). Run by beat; repeating it changes nothing."""

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from datalogger import codec
from datalogger.models import DayBlock, HotPoint, Series


def compact_before(day: date | None = None) -> int:
    """Pack every hot point older than ``day`` (UTC midnight; default today). Returns how many
    blocks were written."""
    day = day or datetime.now(timezone.utc).date()
    cutoff = codec.day_start(day)
    series_ids = HotPoint.objects.filter(ts__lt=cutoff).values_list("series_id", flat=True).distinct()
    return sum(_compact_series(series_id, cutoff) for series_id in list(series_ids))


@transaction.atomic
def _compact_series(series_id: int, cutoff: datetime) -> int:
    series = Series.objects.select_for_update().get(pk=series_id)
    rows = HotPoint.objects.filter(series=series, ts__lt=cutoff)
    by_day: dict[date, list[tuple[datetime, float, int]]] = defaultdict(list)
    for ts, value, quality in rows.values_list("ts", "value", "quality"):
        by_day[ts.astimezone(timezone.utc).date()].append((ts, value, quality))
    existing = {block.day: block for block in DayBlock.objects.filter(series=series, day__in=list(by_day))}
    written = []
    for day, points in by_day.items():
        block = existing.get(day)
        decoded = (codec.decode(day, block.period_minutes, block.data, block.quality, series.is_energy) if block
                   else codec.Day.empty(day, series.period_minutes, series.is_energy))
        values, quality = decoded.values.copy(), decoded.quality.copy()
        for ts, value, mark in points:
            slot = codec.slot_of(ts, decoded.period_minutes)
            values[slot], quality[slot] = value, mark
        encoded_values, encoded_quality = codec.encode(codec.Day(day, decoded.period_minutes, values, quality))
        written.append(DayBlock(series=series, day=day, period_minutes=decoded.period_minutes,
                                data=encoded_values, quality=encoded_quality,
                                hourly=codec.rollup(series.stat, values, decoded.period_minutes)))
    DayBlock.objects.bulk_create(written, update_conflicts=True, unique_fields=["series", "day"],
                                 update_fields=["data", "quality", "period_minutes", "hourly"])
    rows.delete()
    return len(written)


ENERGY_STATS = (Series.Stat.INDEX, Series.Stat.DELTA)


def apply_retention(now: datetime | None = None) -> int:
    """Delete the points older than their data type's retention (settings.DATALOGGER_RETENTION_DAYS).
    Returns how many day blocks went."""
    now = now or datetime.now(timezone.utc)
    removed = 0
    for kind, days in settings.DATALOGGER_RETENTION_DAYS.items():
        stats = Q(series__stat__in=ENERGY_STATS) if kind == "energy" else ~Q(series__stat__in=ENERGY_STATS)
        cutoff = now - timedelta(days=days)
        removed += DayBlock.objects.filter(stats, day__lt=cutoff.date()).delete()[0]
        HotPoint.objects.filter(stats, ts__lt=cutoff).delete()
    return removed
