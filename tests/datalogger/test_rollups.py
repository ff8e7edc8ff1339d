"""Trends over long ranges read the day blocks' hourly rollups: the buckets they give equal
those of the points themselves, edge days, late points and days without a rollup included; on
the suite's database (SQLite and PostgreSQL)."""

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from datalogger import codec, reader, summary
from datalogger.compaction import compact_before
from datalogger.models import DayBlock, HotPoint, Series
from devices import services

pytestmark = pytest.mark.django_db
Stat = Series.Stat
DAY0 = datetime(2026, 3, 1, tzinfo=timezone.utc)
DAYS = 6


@pytest.fixture
def measures() -> tuple[Series, Series, Series]:
    """P's minimum, average and maximum over six UTC days of 10-minute points, with gaps (a
    missed poll here and there, and a whole missing hour), packed into day blocks."""
    device = services.add_device(reference="A-10", name="General", host="127.0.0.1", unit_id=1)
    rng = np.random.default_rng(5)
    stamps = [DAY0 + timedelta(minutes=10 * n) for n in range(DAYS * 144)]
    kept = [ts for n, ts in enumerate(stamps) if rng.random() > 0.1 and not (30 <= n < 36)]
    mean = rng.normal(50, 20, len(kept))
    spread = rng.uniform(0, 10, (2, len(kept)))
    series = []
    for stat, values in ((Stat.MIN, mean - spread[0]), (Stat.AVG, mean), (Stat.MAX, mean + spread[1])):
        one = Series.objects.create(device=device, circuit_index=1, code="P", stat=stat, period_minutes=10)
        HotPoint.objects.bulk_create(HotPoint(series=one, ts=ts, value=float(v)) for ts, v in zip(kept, values))
        series.append(one)
    compact_before((DAY0 + timedelta(days=DAYS)).date())
    assert DayBlock.objects.count() == 3 * DAYS and not HotPoint.objects.exists()
    return tuple(series)


def from_points(low: Series, mean: Series, high: Series, start: datetime, end: datetime,
                origin: datetime, width: int) -> reader.Buckets:
    read = reader.points_many([low, mean, high], start, end)
    return reader.reduce(read[low.pk], read[mean.pk], read[high.pk], origin, width)


def assert_same(got: reader.Buckets, expected: reader.Buckets) -> None:
    assert np.array_equal(got.start, expected.start)
    assert np.array_equal(got.low, expected.low) and np.array_equal(got.high, expected.high)
    assert np.allclose(got.mean, expected.mean, rtol=1e-6)


def test_whole_hour_buckets_from_rollups_equal_those_from_the_points(measures):
    low, mean, high = measures
    start, end = DAY0 + timedelta(hours=7, minutes=20), DAY0 + timedelta(days=DAYS - 1, hours=13, minutes=40)
    width, buckets = summary.summarise(low, mean, high, start, end, 20)
    assert width % 3600 == 0 and width > reader.ROLLUP_FROM and len(buckets.start) <= 20
    hours = summary.hourly_points([mean], start, end)[mean.pk]
    assert hours.weight is not None and hours.weight.max() == 6  # whole hours stood for six points
    expected = from_points(low, mean, high, start, end, DAY0 + timedelta(hours=7), width)
    assert buckets.start[0] == np.datetime64("2026-03-01T07:20:00")  # the range's start, not the hour's
    expected.start[0] = buckets.start[0]
    assert_same(buckets, expected)


def test_a_late_point_in_a_packed_day_counts(measures):
    low, mean, high = measures
    at = DAY0 + timedelta(days=2, hours=12)  # the slot holds a point already: the late one replaces it
    for one, value in ((low, -1e6), (mean, 1e5), (high, 1e6)):
        HotPoint.objects.create(series=one, ts=at, value=value)
    start, end = DAY0, DAY0 + timedelta(days=DAYS)
    width, buckets = summary.summarise(low, mean, high, start, end, 10)
    assert buckets.low.min() == -1e6 and buckets.high.max() == 1e6
    assert_same(buckets, from_points(low, mean, high, start, end, start, width))


def test_a_day_without_its_rollup_is_read_from_its_points(measures):
    low, mean, high = measures
    DayBlock.objects.filter(series=mean, day=(DAY0 + timedelta(days=3)).date()).update(hourly=None)
    start, end = DAY0, DAY0 + timedelta(days=DAYS)
    width, buckets = summary.summarise(low, mean, high, start, end, 10)
    assert_same(buckets, from_points(low, mean, high, start, end, start, width))


def test_short_buckets_come_from_the_points(measures):
    low, mean, high = measures
    start = DAY0 + timedelta(hours=5, minutes=10)
    width, buckets = summary.summarise(low, mean, high, start, start + timedelta(days=1), 200)
    assert width == 600 and len(buckets.start) <= 200
    assert_same(buckets, from_points(low, mean, high, start, start + timedelta(days=1), start, width))


def test_a_rollup_holds_each_hours_reduction_and_count():
    values = np.arange(144, dtype=np.float32)
    values[6:12] = np.nan  # hour 1 has no point
    values[13] = np.nan  # hour 2 has five
    for stat, expected in (("min", 12.0), ("avg", np.mean([12, 14, 15, 16, 17])), ("max", 17.0)):
        hours, counts = codec.measure_rollup(codec.rollup(stat, values, 10))
        assert np.isnan(hours[1]) and counts[1] == 0
        assert hours[2] == pytest.approx(expected) and counts[2] == 5 and counts[0] == 6
    assert codec.rollup("index", values, 10) is None
