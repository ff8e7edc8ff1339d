"""Demo history (`manage.py seed_history`): plausible past integration periods for the demo
site's devices, with the simulator's own daily and weekly profiles (webview/demo/physics.py
in numpy form), written straight into day blocks by datalogger/seeding.py, so that a year is
seeded in seconds. The energy index ends where the simulator's counter starts, so history and
live values join."""

from collections.abc import Callable
from datetime import datetime, timezone

import numpy as np

from datalogger.models import Series
from datalogger.seeding import Histories, Timeline, seed_device
from devices.models import Device
from webview.demo import physics
from webview.demo.site import SimulatedMeter, load_site

Stat = Series.Stat
Progress = Callable[[int, int, str], None]


def load_factor(t: Timeline, seed: int) -> np.ndarray:
    """physics.load_factor over the whole timeline."""
    working = 1 / (1 + np.exp(-(t.hours - 7.5) * 2)) - 1 / (1 + np.exp(-(t.hours - 19) * 2))
    base = 0.15 + np.where(t.weekdays >= 5, 0.35, 0.75) * working
    wiggle = 0.06 * np.sin(t.seconds / 600 + seed) + 0.03 * np.sin(t.seconds / 97 + 2 * seed)
    factor = np.clip(base + wiggle, 0.02, 1.0)
    minute_of_day = (t.seconds % 86400) // 60
    overloaded = (minute_of_day - seed) % 1440 < 5
    return factor * np.where(overloaded, 1.3, 1.0)


def _spread(avg: np.ndarray, relative: float) -> dict[str, np.ndarray]:
    """avg/min/max of a period whose samples wandered ``relative`` around their average."""
    return {Stat.AVG: avg, Stat.MIN: avg * (1 - relative), Stat.MAX: avg * (1 + relative)}


def circuit_history(t: Timeline, rated_kw: float, seed: int, end: datetime) -> dict[tuple[str, str], np.ndarray]:
    factor = load_factor(t, seed)
    pf = np.clip(0.92 + 0.03 * np.sin(t.seconds / 700 + seed), 0.6, 0.99)
    shares = [1 / 3 + 0.03 * np.sin(seed + phase * 2.1) for phase in (1, 2, 3)]
    p = rated_kw * factor * sum(shares)
    q = p * np.tan(np.arccos(pf))
    series: dict[tuple[str, str], np.ndarray] = {}
    for stat, values in _spread(p, 0.08).items():
        series[("P", stat)] = values
    for stat, values in _spread(q, 0.08).items():
        series[("Q", stat)] = values
    for stat, values in _spread(pf, 0.01).items():
        series[("PF", stat)] = np.clip(values, 0, 1)
    for phase, share in zip((1, 2, 3), shares):
        current = rated_kw * factor * share * 1000 / (physics.NOMINAL_VOLTAGE * pf)
        for stat, values in _spread(current, 0.08).items():
            series[(f"I{phase}", stat)] = values
    hours = t.period_minutes / 60
    for code, power in (("EA_IMP", p), ("ER_IMP", q)):
        consumed = power * hours
        # Backwards from the simulator's counter now, so that live values carry on from here.
        now_index = physics.counted_kwh(end, rated_kw) * (1 if code == "EA_IMP" else physics.REACTIVE_SHARE)
        index = now_index - np.cumsum(consumed[::-1])[::-1] + consumed
        series[(code, Stat.INDEX)] = index
        series[(code, Stat.DELTA)] = np.concatenate([[np.nan], np.diff(index)])
    return series


def load_history(t: Timeline, load: physics.Load | physics.AggregateLoad, end: datetime
                 ) -> dict[tuple[str, str], np.ndarray]:
    """A circuit's history; a general meter's (physics.AggregateLoad) is the sum of its parts'
    and of its own non-measured load, as the simulator adds them up live."""
    if not isinstance(load, physics.AggregateLoad):
        return circuit_history(t, load.rated_kw, load.seed, end)
    total = circuit_history(t, load.rest.rated_kw, load.rest.seed, end)
    for part in load.parts:
        for key, values in circuit_history(t, part.rated_kw, part.seed, end).items():
            if key[0] != "PF":
                total[key] = total[key] + values
    p, q = total[("P", Stat.AVG)], total[("Q", Stat.AVG)]
    for stat, values in _spread(p / np.hypot(p, q), 0.01).items():
        total[("PF", stat)] = np.clip(values, 0, 1)
    return total


def network_history(t: Timeline, seed: int = 1) -> dict[tuple[str, str], np.ndarray]:
    series = {}
    for phase in (1, 2, 3):
        volts = physics.NOMINAL_VOLTAGE * (1 + 0.01 * np.sin(t.seconds / 300 + phase + seed))
        for stat, values in _spread(volts, 0.004).items():
            series[(f"V{phase}", stat)] = values
    frequency = physics.NOMINAL_FREQUENCY + 0.03 * np.sin(t.seconds / 41 + seed)
    for stat, values in _spread(frequency, 0.0006).items():
        series[("F", stat)] = values
    return series


def insulation_history(t: Timeline, seed: int) -> dict[tuple[str, str], np.ndarray]:
    fault = np.sin(t.seconds / 5400 + seed) > 0.97
    rf = np.where(fault, 40.0, 450.0 + 150 * np.sin(t.seconds / 3000 + seed))
    cf = 1.2 + 0.4 * np.sin(t.seconds / 2000)
    zc = rf / np.sqrt(1 + (2 * np.pi * physics.NOMINAL_FREQUENCY * cf * 1e-6 * rf * 1e3) ** 2)
    return {**{("RF", stat): v for stat, v in _spread(rf, 0.03).items()},
            **{("CF", stat): v for stat, v in _spread(cf, 0.02).items()},
            **{("ZC", stat): v for stat, v in _spread(zc, 0.03).items()}}


def histories(meter: SimulatedMeter, t: Timeline, end: datetime) -> Histories:
    """By circuit index (0: device-wide), what the meter measured over the timeline."""
    seed = physics.seeded(meter.name)
    measured = {r.code for r in meter.reference.register_map.registers} if meter.reference.register_map else set()
    result: dict[int, dict] = {}
    network = {key: v for key, v in network_history(t).items() if key[0] in measured}
    if network and not meter.insulation:
        result[0] = network
    if meter.loads:
        for number, load in enumerate(meter.loads, start=1):
            result[number] = {key: v for key, v in load_history(t, load, end).items() if key[0] in measured}
    if meter.insulation and not meter.insulation.circuits:
        result[0] = {key: v for key, v in insulation_history(t, seed).items() if key[0] in measured}
    return result


def seed_demo_history(days: int, circuits: int | None = None, end: datetime | None = None,
                      progress: Progress | None = None) -> int:
    """Seed the demo site's devices configured here (by name); at most ``circuits`` measured
    circuits. Returns how many series were written."""
    end = end or datetime.now(timezone.utc)
    meters = {meter.name: meter for meter in load_site().meters}
    devices = [device for device in Device.objects.filter(name__in=list(meters)).order_by("pk")]
    written, budget = 0, circuits
    for done, device in enumerate(devices, start=1):
        meter = meters[device.name]
        loads = len(meter.loads)
        if budget is not None:
            if budget <= 0:
                break
            meter.loads = meter.loads[:budget]
            budget -= loads
        t = Timeline.ending(end, days, device.integration_minutes)
        written += seed_device(device, histories(meter, t, end), t, end)
        if progress:
            progress(done, len(devices), device.name)
    return written
