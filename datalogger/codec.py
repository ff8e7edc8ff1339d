"""The day block codec: values as little-endian float32 (averages, minimums, maximums) or
float64 (energy indexes and consumptions, whose digits float32 would lose past 10^7), NaN for a
missing point; quality as one byte per slot, kept only when some point is not good.

What it writes passes the value guard (datalogger/values.py) too: a value the guard refuses, such
as a point stored before there was one that float32 turned into infinity, becomes a gap."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import numpy as np

from datalogger.values import Kind, kind_of, storable_array

MINUTES_PER_DAY = 1440


def dtype_for(is_energy: bool) -> np.dtype:
    return np.dtype("<f8") if is_energy else np.dtype("<f4")


def slots(period_minutes: int) -> int:
    return MINUTES_PER_DAY // period_minutes


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.utc)


def slot_of(ts: datetime, period_minutes: int) -> int:
    ts = ts.astimezone(timezone.utc)
    return (ts.hour * 60 + ts.minute) // period_minutes


@dataclass
class Day:
    """A day of one series, decoded: values (NaN = missing) and quality per slot."""

    day: date
    period_minutes: int
    values: np.ndarray
    quality: np.ndarray

    @classmethod
    def empty(cls, day: date, period_minutes: int, is_energy: bool) -> "Day":
        n = slots(period_minutes)
        return cls(day, period_minutes, np.full(n, np.nan, dtype=dtype_for(is_energy)), np.zeros(n, dtype=np.uint8))

    def timestamps(self) -> np.ndarray:
        """Slot start times as numpy datetime64[s] (UTC)."""
        start = np.datetime64(self.day.isoformat(), "s")
        return start + np.arange(len(self.values)) * np.timedelta64(self.period_minutes * 60, "s")


def _kind(dtype: np.dtype) -> Kind:
    return Kind.ENERGY if dtype == np.dtype("<f8") else Kind.MEASURE


def encode(day: Day) -> tuple[bytes, bytes | None]:
    quality = day.quality.tobytes() if day.quality.any() else None
    dtype = day.values.dtype
    return storable_array(day.values, _kind(dtype)).astype(dtype).tobytes(), quality


def hourly(values: np.ndarray, period_minutes: int) -> bytes:
    """A consumption day's rollup: the sum of the points of each UTC hour (24 float64), NaN for
    an hour without any."""
    by_hour = storable_array(values, Kind.ENERGY).reshape(24, 60 // period_minutes)
    present = ~np.isnan(by_hour)
    sums = np.where(present, by_hour, 0.0).sum(axis=1)
    return np.where(present.any(axis=1), sums, np.nan).astype("<f8").tobytes()


HOURS = 24
# A measure day's rollup: per UTC hour, the statistic's own reduction (the minimum of the
# minimums, the mean of the averages, the maximum of the maximums) as 24 float32, then how many
# points each hour holds as 24 bytes (the mean's weight when hours are merged; 0 = no point).
MEASURE_ROLLUP_BYTES = HOURS * 4 + HOURS
_MEASURE_REDUCTIONS = {"min": np.nanmin, "avg": np.nanmean, "max": np.nanmax}


def rollup(stat: str, values: np.ndarray, period_minutes: int) -> bytes | None:
    """The day's hourly rollup for a series of this statistic; None for an energy index, which
    is read point by point."""
    if stat == "delta":
        return hourly(values, period_minutes)
    reduction = _MEASURE_REDUCTIONS.get(stat)
    if reduction is None:
        return None
    by_hour = storable_array(values, kind_of(stat)).reshape(HOURS, 60 // period_minutes)
    counts = (~np.isnan(by_hour)).sum(axis=1)
    reduced = np.full(HOURS, np.nan)
    some = counts > 0
    reduced[some] = reduction(by_hour[some], axis=1)
    return reduced.astype("<f4").tobytes() + counts.astype(np.uint8).tobytes()


def measure_rollup(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(the 24 hourly values as float64, their point counts) of a measure day's rollup."""
    values = np.frombuffer(data, dtype="<f4", count=HOURS).astype(np.float64)
    return values, np.frombuffer(data, dtype=np.uint8, offset=HOURS * 4, count=HOURS)


def decode(day: date, period_minutes: int, values: bytes, quality: bytes | None, is_energy: bool) -> Day:
    array = np.frombuffer(bytes(values), dtype=dtype_for(is_energy))
    marks = (np.frombuffer(bytes(quality), dtype=np.uint8) if quality
             else np.zeros(len(array), dtype=np.uint8))
    return Day(day, period_minutes, array, marks)


def next_day(day: date) -> date:
    return day + timedelta(days=1)
