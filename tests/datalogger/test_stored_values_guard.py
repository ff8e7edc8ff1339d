"""The value guard (datalogger/values.py) on the paths that store values other than imports: the
live accumulation and the closing of its periods, seeding, and the day-block codec. A NaN, an
infinity or a value past the bounds never becomes a stored point; the good values beside it do."""

import asyncio
import math
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from datalogger import accumulator, codec, values
from datalogger.closing import close_ended_periods
from datalogger.models import DayBlock, HotPoint, Series
from datalogger.seeding import Timeline, write_series
from devices import live
from devices.acquisition.spec import Reading
from devices.models import Device

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)  # a period start (10-minute periods)
Stat = Series.Stat


def poll(spec, at: datetime, **reading_values) -> None:
    async def record():
        client = live.redis_client()
        try:
            await live.LiveRecorder(client).record(spec, Reading(spec.id, at, True, values={1: reading_values}))
        finally:
            await client.aclose()

    asyncio.run(record())


def stored(spec, code: str, stat: str) -> dict[datetime, float]:
    return {ts: value for ts, value in HotPoint.objects.filter(series__device_id=spec.id, series__code=code,
                                                               series__stat=stat).values_list("ts", "value")}


def all_storable() -> bool:
    return all(values.storable(value, values.kind_of(stat)) == value
               for value, stat in HotPoint.objects.values_list("value", "series__stat"))


@pytest.mark.parametrize("garbage", [math.inf, -math.inf, math.nan, 1e300, -2e12])
def test_a_poll_with_garbage_stores_its_good_values_and_not_the_garbage(redis, meter, garbage):
    # Was: an infinity or NaN failed the whole live script (HINCRBYFLOAT refuses them), losing the
    # poll's live payload too; 1e300 was stored, and turned into infinity in the float32 day block.
    poll(meter, T0 + timedelta(minutes=1), P=10.0, Q=garbage, EA_IMP=1000.0)
    poll(meter, T0 + timedelta(minutes=5), P=30.0, Q=5.0, EA_IMP=garbage)
    assert redis.get(live.live_key(meter.id))  # the live payload was stored
    assert close_ended_periods(redis, now=T0 + timedelta(minutes=11)) == 1
    assert stored(meter, "P", Stat.AVG) == {T0: 20.0}
    assert stored(meter, "Q", Stat.AVG) == {T0: 5.0} and stored(meter, "Q", Stat.MAX) == {T0: 5.0}
    assert stored(meter, "EA_IMP", Stat.INDEX) == {T0: 1000.0}
    assert all_storable()


def test_closing_skips_garbage_fields_and_keeps_the_good_ones(redis, meter):
    # Was: a NaN index was stored as NULL (an IntegrityError that left the period open for every
    # later run), an infinity as infinity.
    name = accumulator.key(meter.id, int(T0.timestamp()), 10)
    redis.hset(name, mapping={"1|P|s": "inf", "1|P|n": "1", "1|P|lo": "inf", "1|P|hi": "inf",
                              "1|Q|s": "6.0", "1|Q|n": "2", "1|Q|lo": "-nan", "1|Q|hi": "4.0",
                              "1|S|s": "1e300", "1|S|n": "1", "1|S|lo": "1e300", "1|S|hi": "1e300",
                              "1|EA_IMP|l": "nan", "1|ER_IMP|l": "not a number", "1|EA_EXP|l": "12.5"})
    redis.sadd(accumulator.OPEN_PERIODS, name)
    assert close_ended_periods(redis, now=T0 + timedelta(minutes=11)) == 1
    assert not redis.smembers(accumulator.OPEN_PERIODS)  # closed: not retried for ever
    assert not stored(meter, "P", Stat.AVG) and not stored(meter, "S", Stat.MAX)
    assert stored(meter, "Q", Stat.AVG) == {T0: 3.0} and stored(meter, "Q", Stat.MAX) == {T0: 4.0}
    assert not stored(meter, "Q", Stat.MIN)
    assert not stored(meter, "EA_IMP", Stat.INDEX) and stored(meter, "EA_EXP", Stat.INDEX) == {T0: 12.5}
    assert not Series.objects.filter(code="EA_IMP", stat=Stat.INDEX, last_value__isnull=False).exists()
    assert all_storable()


def test_a_consumption_past_the_energy_range_is_not_stored(meter):
    from datalogger.closing import store_period

    store_period(meter.id, T0, 10, {"1|EA_IMP|l": "1.0"})
    store_period(meter.id, T0 + timedelta(minutes=10), 10, {"1|EA_IMP|l": repr(2.0 ** 53 + 2 ** 11)})
    assert stored(meter, "EA_IMP", Stat.INDEX) == {T0: 1.0}
    assert not stored(meter, "EA_IMP", Stat.DELTA)
    assert all_storable()


@pytest.mark.django_db
def test_seeding_writes_garbage_as_gaps(meter):
    # Was: written as they came, infinity included, into day blocks and hot rows.
    end = T0 + timedelta(days=1, hours=3)
    t = Timeline.ending(end, 1, 10)
    measure = np.full(len(t.seconds), 230.0)
    measure[[0, 5, -1, -2]] = [math.inf, math.nan, 1e300, -math.inf]
    energy = np.arange(len(t.seconds), dtype=np.float64) + 100.0
    energy[[1, -1]] = [-5.0, 2.0 ** 60]
    device = Device.objects.get(pk=meter.id)
    today = codec.day_start(end.date())
    for code, stat, array in (("V1", Stat.AVG, measure), ("EA_IMP", Stat.INDEX, energy)):
        series = Series.objects.create(device=device, circuit_index=0, code=code, stat=stat, period_minutes=10)
        write_series(series, t, array, today)
    assert all_storable()
    for block in DayBlock.objects.select_related("series"):
        decoded = codec.decode(block.day, 10, block.data, block.quality, block.series.is_energy)
        kept = decoded.values[~np.isnan(decoded.values)].astype(np.float64)
        assert np.all(values.storable_array(kept, values.kind_of(block.series.stat)) == kept)
    index = Series.objects.get(code="EA_IMP")
    assert index.last_value == energy[-2]  # the last storable index: the next consumption starts there


def test_the_codec_never_stores_an_infinity():
    # A measure past float32's range (a point stored before the guard) is a gap in its day
    # block, not an infinity; so is it in the hourly rollup.
    day = codec.Day.empty(T0.date(), 10, is_energy=False)
    with np.errstate(over="ignore"):
        day.values[:3] = [1.0, 1e300, -math.inf]
    data, _quality = codec.encode(day)
    decoded = codec.decode(T0.date(), 10, data, None, False)
    assert decoded.values[0] == 1.0 and np.isnan(decoded.values[1]) and np.isnan(decoded.values[2])
    for stat in ("avg", "max"):
        hourly, _counts = codec.measure_rollup(codec.rollup(stat, day.values, 10))
        assert hourly[0] == 1.0
    energy = codec.Day.empty(T0.date(), 10, is_energy=True)
    energy.values[:2] = [5.0, math.inf]
    decoded = codec.decode(T0.date(), 10, codec.encode(energy)[0], None, True)
    assert decoded.values[0] == 5.0 and np.isnan(decoded.values[1])
    sums = np.frombuffer(codec.rollup("delta", energy.values, 10), dtype="<f8")
    assert sums[0] == 5.0
