"""Datalogger storage (§9.9): readings accumulated per integration period in Redis, stored as
avg/min/max, energy index and consumption, packed into day blocks; against the real Redis and
the suite's database (SQLite and PostgreSQL)."""

import asyncio
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from django.conf import settings
from hypothesis import given, settings as hypothesis_settings, strategies as st
from redis import Redis

from datalogger import accumulator, reader
from datalogger.closing import close_ended_periods, store_period
from datalogger.compaction import compact_before
from datalogger.models import DayBlock, HotPoint, Quality, Series
from devices import live
from devices.acquisition.spec import Reading

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # a period start (10-minute periods)
Stat = Series.Stat


def poll(spec, at: datetime, **values) -> None:
    """What the acquisition loop does with one good poll: the live store script, which also
    accumulates the open period."""
    async def record():
        client = live.redis_client()
        try:
            await live.LiveRecorder(client).record(spec, Reading(spec.id, at, True, values={1: values}))
        finally:
            await client.aclose()

    asyncio.run(record())


def stored(spec, code: str, stat: str) -> dict[datetime, tuple[float, int]]:
    series = Series.objects.get(device_id=spec.id, code=code, stat=stat)
    result = reader.points(series, T0 - timedelta(days=2), T0 + timedelta(days=4))
    return {ts.astype(datetime).replace(tzinfo=timezone.utc): (v, q)
            for ts, v, q in zip(result.ts, result.values.tolist(), result.quality.tolist())}


def test_a_period_stores_average_extremes_index_and_consumption(redis, meter):
    poll(meter, T0 + timedelta(minutes=1), P=10.0, EA_IMP=1000.0)
    poll(meter, T0 + timedelta(minutes=5), P=30.0, EA_IMP=1002.5)
    poll(meter, T0 + timedelta(minutes=9), P=20.0, EA_IMP=1004.0)
    assert close_ended_periods(redis, now=T0 + timedelta(minutes=10)) == 0  # not ended (grace)
    assert close_ended_periods(redis, now=T0 + timedelta(minutes=11)) == 1
    poll(meter, T0 + timedelta(minutes=15), P=40.0, EA_IMP=1010.0)
    assert close_ended_periods(redis, now=T0 + timedelta(minutes=21)) == 1
    assert stored(meter, "P", Stat.AVG)[T0] == (20.0, Quality.GOOD)
    assert (stored(meter, "P", Stat.MIN)[T0][0], stored(meter, "P", Stat.MAX)[T0][0]) == (10.0, 30.0)
    assert stored(meter, "EA_IMP", Stat.INDEX)[T0 + timedelta(minutes=10)] == (1010.0, Quality.GOOD)
    # The first period has no index before it: its consumption is unknown, not zero.
    assert stored(meter, "EA_IMP", Stat.DELTA) == {T0 + timedelta(minutes=10): (6.0, Quality.GOOD)}
    assert not redis.smembers(accumulator.OPEN_PERIODS) and not redis.keys(f"{accumulator.PREFIX}{meter.id}:*")


def test_an_offline_poll_is_not_sampled_and_a_missed_period_is_a_gap(redis, meter):
    poll(meter, T0 + timedelta(minutes=2), P=10.0, EA_IMP=100.0)
    asyncio.run(_offline(meter, T0 + timedelta(minutes=12)))
    poll(meter, T0 + timedelta(minutes=32), P=12.0, EA_IMP=130.0)
    close_ended_periods(redis, now=T0 + timedelta(hours=1))
    assert sorted(stored(meter, "P", Stat.AVG)) == [T0, T0 + timedelta(minutes=30)]  # 8:10 and 8:20: gaps
    # The consumption of the periods missed lands in the next one, marked estimated.
    assert stored(meter, "EA_IMP", Stat.DELTA) == {T0 + timedelta(minutes=30): (30.0, Quality.ESTIMATED)}


async def _offline(spec, at):
    client = live.redis_client()
    try:
        await live.LiveRecorder(client).record(spec, Reading(spec.id, at, False, reason="timeout"))
    finally:
        await client.aclose()


def fields(**values) -> dict[str, str]:
    return {f"1|{code}|l": repr(value) for code, value in values.items()}


def test_storing_a_period_twice_changes_nothing(meter):
    store_period(meter.id, T0, 10, fields(EA_IMP=100.0))
    store_period(meter.id, T0 + timedelta(minutes=10), 10, fields(EA_IMP=104.0))
    store_period(meter.id, T0 + timedelta(minutes=10), 10, fields(EA_IMP=104.0))  # a retried closer
    assert HotPoint.objects.count() == 3
    assert stored(meter, "EA_IMP", Stat.DELTA) == {T0 + timedelta(minutes=10): (4.0, Quality.GOOD)}


def test_a_counter_reset_and_a_rollover(meter):
    store_period(meter.id, T0, 10, fields(EA_IMP=5000.0))
    store_period(meter.id, T0 + timedelta(minutes=10), 10, fields(EA_IMP=3.0))  # reset (meter replaced)
    assert stored(meter, "EA_IMP", Stat.DELTA)[T0 + timedelta(minutes=10)] == (3.0, Quality.ESTIMATED)
    register = next(r for r in meter.register_map.registers if r.code == "EA_IMP")
    span = 2 ** (16 * register.words) * register.scale  # where the A-10's counter wraps
    store_period(meter.id, T0 + timedelta(minutes=20), 10, fields(EA_IMP=span - 2.0))
    store_period(meter.id, T0 + timedelta(minutes=30), 10, fields(EA_IMP=5.0))
    assert stored(meter, "EA_IMP", Stat.DELTA)[T0 + timedelta(minutes=30)] == (pytest.approx(7.0), Quality.GOOD)


def test_consumption_equals_the_index_difference_over_any_range(meter):
    rng = np.random.default_rng(4)
    index = 9_876_543.21  # beyond float32's digits: indexes are kept in float64
    indexes = {}
    for n in range(3 * 144):  # three days of 10-minute periods, a few missed
        ts = T0 + timedelta(minutes=10 * n)
        index += float(rng.uniform(0, 3))
        if rng.random() < 0.05:
            continue
        store_period(meter.id, ts, 10, fields(EA_IMP=index))
        indexes[ts] = index
    compact_before((T0 + timedelta(days=2)).date())  # two days packed, the third still hot
    assert DayBlock.objects.exists() and HotPoint.objects.exists()
    deltas, stored_indexes = stored(meter, "EA_IMP", Stat.DELTA), stored(meter, "EA_IMP", Stat.INDEX)
    assert stored_indexes == {ts: (value, Quality.GOOD) for ts, value in indexes.items()}
    times = sorted(indexes)
    for a, b in [(1, 50), (17, 300), (140, 150), (0, len(times) - 1)]:
        consumed = sum(v for ts, (v, _q) in deltas.items() if times[a] < ts <= times[b])
        assert consumed == pytest.approx(indexes[times[b]] - indexes[times[a]], abs=1e-6)


def test_compaction_packs_closed_days_once(meter):
    for n in range(2 * 144):
        store_period(meter.id, T0 + timedelta(minutes=10 * n), 10, {"1|P|s": "2.0", "1|P|n": "1", "1|P|lo": "2.0",
                                                                   "1|P|hi": "2.0"})
    before = stored(meter, "P", Stat.AVG)
    written = compact_before((T0 + timedelta(days=3)).date())
    assert written == 3 * 3  # avg, min and max over the three UTC days the points span
    assert compact_before((T0 + timedelta(days=3)).date()) == 0 and not HotPoint.objects.exists()
    assert stored(meter, "P", Stat.AVG) == before
    block = DayBlock.objects.filter(series__stat=Stat.AVG).first()
    assert len(block.data) == 144 * 4 and block.quality is None  # float32, all good: no quality bytes


@hypothesis_settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(0, 1e4), st.floats(0, 1e4)), min_size=1, max_size=300),
       st.integers(1, 50))
def test_buckets_keep_min_below_avg_below_max_and_the_true_extremes(samples, buckets):
    ts = np.datetime64("2026-01-01T00:00:00") + np.arange(len(samples)) * np.timedelta64(600, "s")
    mean = np.array([s[0] for s in samples])
    low, high = mean - np.array([s[1] for s in samples]), mean + np.array([s[2] for s in samples])
    quality = np.zeros(len(samples), dtype=np.uint8)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    width = reader.bucket_width(start, start + timedelta(minutes=10 * len(samples)), buckets, 10)
    result = reader.reduce(reader.Points(ts, low, quality), reader.Points(ts, mean, quality),
                           reader.Points(ts, high, quality), start, width)
    assert len(result.start) <= buckets
    assert np.all(result.low <= result.mean + 1e-9) and np.all(result.mean <= result.high + 1e-9)
    assert result.low.min() == low.min() and result.high.max() == high.max()


def test_retention_per_data_type(meter, settings):
    settings.DATALOGGER_RETENTION_DAYS = {"measure": 30, "energy": 365}
    from datalogger.compaction import apply_retention

    old, recent = T0 - timedelta(days=100), T0 - timedelta(days=3)
    for ts in (old, old + timedelta(minutes=10), recent, recent + timedelta(minutes=10)):
        store_period(meter.id, ts, 10, {"1|P|s": "1.0", "1|P|n": "1", "1|P|lo": "1.0", "1|P|hi": "1.0",
                                       "1|EA_IMP|l": repr(ts.timestamp() / 1e6)})
    compact_before(T0.date())
    apply_retention(now=T0)
    kept_measures = {p.day for p in DayBlock.objects.filter(series__code="P")}
    kept_energy = {p.day for p in DayBlock.objects.filter(series__code="EA_IMP")}
    assert kept_measures == {recent.date()}  # 100 days old measurements went (30-day retention)
    assert kept_energy == {old.date(), recent.date()}  # energy is kept a year here
