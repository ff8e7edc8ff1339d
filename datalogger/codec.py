"""The day block codec: values as little-endian float32 (averages, minimums, maximums) or
float64 (energy indexes and consumptions, whose digits float32 would lose past 10^7), NaN for a
missing point; quality as one byte per slot, kept only when some point is not good."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import numpy as np

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


def encode(day: Day) -> tuple[bytes, bytes | None]:
    quality = day.quality.tobytes() if day.quality.any() else None
    return day.values.tobytes(), quality


def hourly(values: np.ndarray, period_minutes: int) -> bytes:
    """The day's rollup: the sum of the points of each UTC hour, NaN for an hour without any."""
    by_hour = values.astype(np.float64).reshape(24, 60 // period_minutes)
    present = ~np.isnan(by_hour)
    sums = np.where(present, by_hour, 0.0).sum(axis=1)
    return np.where(present.any(axis=1), sums, np.nan).astype("<f8").tobytes()


def decode(day: date, period_minutes: int, values: bytes, quality: bytes | None, is_energy: bool) -> Day:
    array = np.frombuffer(bytes(values), dtype=dtype_for(is_energy))
    marks = (np.frombuffer(bytes(quality), dtype=np.uint8) if quality
             else np.zeros(len(array), dtype=np.uint8))
    return Day(day, period_minutes, array, marks)


def next_day(day: date) -> date:
    return day + timedelta(days=1)
