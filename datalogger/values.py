"""The one guard on what the datalogger stores: every path that writes a point (closing the
live accumulation, importing files, seeding a history) asks it first, so that no stored value is
NaN, infinite or beyond what the storage and the sums over it can carry.

The bounds, and why:

- Measures (averages, minimums, maximums): |value| ≤ 10^12 in the quantity's unit. The largest
  real ones are a site's power in kW or an insulation resistance in kΩ, around 10^6; garbage from
  a meter or a file (a float register read with the wrong word order, 1e309) is far beyond.
  Closed days keep measures as float32 (datalogger/codec.py), whose largest value is 3.4·10^38:
  10^12 sits 26 orders below it, so a stored measure never turns into infinity in a day block,
  nor do the sums of an hour's or a year's points that rollups and Trends compute in float64.
- Energy (indexes and consumptions): 0 ≤ value ≤ 2^53 (9.007·10^15) in kWh, kvarh or kVAh.
  A counter never counts below zero, and float64 (the energy blocks, the database's FloatField)
  holds every integer exactly only up to 2^53: beyond, two indexes a period apart differ by
  rounding noise, and a consumption is no longer the index difference.
- Times (imported files; the live path stamps periods with the gateway's own clock): from
  1990-01-01 UTC, older than any Socomec datalogging gateway whose files we read (annexes I-II)
  and far from the edges where datetime arithmetic overflows (year 1), to now + 1 day, which
  covers a file written in any time zone (UTC+14 at most) by a gateway whose clock ran ahead,
  and refuses year 9999.
"""

import math
from datetime import datetime, timedelta, timezone
from enum import StrEnum

import numpy as np
from django.utils.translation import gettext as _


class Kind(StrEnum):
    MEASURE = "measure"
    ENERGY = "energy"


MEASURE_LIMIT = 1e12
ENERGY_LIMIT = float(2 ** 53)
EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
FUTURE_TOLERANCE = timedelta(days=1)
ENERGY_STATS = frozenset({"index", "delta"})  # Series.Stat values whose points are energy


def kind_of(stat: str) -> Kind:
    """The kind of a series' values from its statistic (Series.Stat)."""
    return Kind.ENERGY if stat in ENERGY_STATS else Kind.MEASURE


# The closed range of each kind; NaN fails every comparison and infinity lies outside.
MEASURE_RANGE, ENERGY_RANGE = (-MEASURE_LIMIT, MEASURE_LIMIT), (0.0, ENERGY_LIMIT)
_ENERGY = Kind.ENERGY  # an Enum member looked up on its class costs more than the check itself


def _range(kind: Kind) -> tuple[float, float]:
    return ENERGY_RANGE if kind == _ENERGY else MEASURE_RANGE


def refusal(value: float, kind: Kind) -> str | None:
    """Why ``value`` cannot be stored as a point of this kind (words for the user), or None."""
    low, high = _range(kind)
    if low <= value <= high:
        return None
    if not math.isfinite(value):
        return _("not a finite number")
    if kind == Kind.ENERGY:
        return _("outside the range of energy, 0 to 2^53 (9.007e15)")
    return _("outside the range of measures, ±1e12")


def storable(value: float | int | None, kind: Kind) -> float | None:
    """The value as it may be stored, or None when it must not be (missing, non-finite, out of
    range). On the acquisition's path: every sample of every poll goes through it."""
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # an int beyond float64, a stray string
        return None
    low, high = ENERGY_RANGE if kind == _ENERGY else MEASURE_RANGE  # inline: the hot path
    return number if low <= number <= high else None


def storable_array(values: np.ndarray, kind: Kind) -> np.ndarray:
    """``values`` (float64) with every value that must not be stored turned into NaN, a gap."""
    values = np.asarray(values, dtype=np.float64)
    low, high = _range(kind)
    with np.errstate(invalid="ignore"):
        return np.where((values >= low) & (values <= high), values, np.nan)


def moment_refusal(ts: datetime, now: datetime | None = None) -> str | None:
    """Why a point cannot be stored at ``ts`` (timezone-aware; naive: a wall-clock time, checked
    with a day's margin for its zone), or None."""
    now = now or datetime.now(timezone.utc)
    earliest, latest = EARLIEST, now + FUTURE_TOLERANCE
    if ts.tzinfo is None:  # its zone may be up to 14 hours either side of UTC
        earliest = (earliest - timedelta(days=1)).replace(tzinfo=None)
        latest = (latest + timedelta(days=1)).replace(tzinfo=None)
    if ts < earliest:
        return _("before %(earliest)s") % {"earliest": EARLIEST.date().isoformat()}
    if ts > latest:
        return _("in the future")
    return None
