"""Consumption per bucket (§8.5): equal to the index difference across any range and any step,
with edges on the local calendar, from the hourly rollups or the points alike."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from datalogger.closing import store_period
from datalogger.compaction import compact_before
from datalogger.consumption import consumed, edges
from datalogger.models import Series
from devices import services

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
T0 = datetime(2026, 3, 20, 0, 0, tzinfo=timezone.utc)  # the clocks go forward on 29 March


@pytest.fixture
def history(settings):
    settings.TIME_ZONE = "Europe/Paris"
    device = services.add_device(reference="A-10", name="General", host="127.0.0.1", unit_id=1)
    rng = np.random.default_rng(7)
    index, indexes = 50_000.0, {}
    for n in range(16 * 144):  # 16 days of 10-minute periods, a few missed
        ts = T0 + timedelta(minutes=10 * n)
        index += float(rng.uniform(0, 2))
        if 500 <= n < 520:
            continue  # a meter offline for three hours
        store_period(device.pk, ts, 10, {"1|EA_IMP|l": repr(index)})
        indexes[ts] = index
    compact_before((T0 + timedelta(days=12)).date())  # most days packed, the last ones still hot
    return Series.objects.get(code="EA_IMP", stat=Series.Stat.DELTA), indexes


def index_at(indexes: dict, moment: datetime) -> float:
    """The counter at ``moment``: the index of the last period ending at or before it."""
    return indexes[max(ts for ts in indexes if ts + timedelta(minutes=10) <= moment)]


def test_each_step_sums_to_the_index_difference(history):
    series, indexes = history
    start = datetime(2026, 3, 22, 0, 0, tzinfo=PARIS)
    for step, span in [("week", timedelta(days=10)), ("day", timedelta(days=10)), ("hour", timedelta(days=3)),
                       ("minute", timedelta(hours=6)), ("day", timedelta(hours=37, minutes=20)),
                       ("day", timedelta(days=2, hours=5, minutes=30))]:  # ends mid-hour in a packed day
        end = start + span
        starts, sums = consumed([series], start, end, step)
        assert sums[series.pk][~np.isnan(sums[series.pk])].sum() == pytest.approx(
            index_at(indexes, end) - index_at(indexes, start), rel=1e-12), step
    starts, _sums = consumed([series], start, start + timedelta(days=10), "day")
    assert starts[7] == datetime(2026, 3, 29, tzinfo=PARIS)  # local days: 23 hours when the clocks go forward
    assert starts[8].timestamp() - starts[7].timestamp() == 23 * 3600


def test_a_bucket_without_data_is_a_gap_not_a_zero(history):
    series, _indexes = history
    outage = T0 + timedelta(minutes=10 * 505)
    start = outage.replace(minute=0)
    starts, sums = consumed([series], start, start + timedelta(hours=1), "hour")
    assert np.isnan(sums[series.pk][0])


def test_month_edges_follow_the_calendar(settings):
    settings.TIME_ZONE = "Europe/Paris"
    months = edges(datetime(2026, 1, 15, tzinfo=timezone.utc), datetime(2026, 4, 2, tzinfo=timezone.utc), "month")
    assert [m.strftime("%Y-%m-%d %H:%M %z") for m in months] == [
        "2026-01-01 00:00 +0100", "2026-02-01 00:00 +0100", "2026-03-01 00:00 +0100", "2026-04-01 00:00 +0200",
        "2026-05-01 00:00 +0200"]


def test_days_of_a_time_zone_off_the_utc_hours(history, settings):
    """Local midnight at hh:30 UTC splits an hour's rollup: each day comes out right."""
    settings.TIME_ZONE = "Asia/Kolkata"
    local = ZoneInfo(settings.TIME_ZONE)
    start = datetime(2026, 3, 22, tzinfo=local)
    starts, sums = consumed([series := history[0]], start, start + timedelta(days=6), "day")
    for n, day in enumerate(starts):
        assert day.utcoffset().total_seconds() % 3600  # the edges really are off the UTC hours
        assert sums[series.pk][n] == pytest.approx(
            index_at(history[1], day + timedelta(days=1)) - index_at(history[1], day), rel=1e-12), day
