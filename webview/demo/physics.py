"""Physically consistent values for the demo site: loads follow daily and weekly profiles,
P ≈ √3·U·I·PF per phase, energy counters integrate power, harmonics decay with their order,
insulation drifts and sometimes falls, the transfer switch changes position now and then.

Deterministic for a given seed and time, so a restarted simulator picks up where it was."""

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timezone

NOMINAL_VOLTAGE = 230.0
NOMINAL_FREQUENCY = 50.0


def base_load(now: datetime) -> float:
    """0-1: working hours on weekdays, a lower night and weekend (no wiggles: what a meter's
    average over its integration period follows)."""
    hour = now.hour + now.minute / 60
    working = 1 / (1 + math.exp(-(hour - 7.5) * 2)) - 1 / (1 + math.exp(-(hour - 19) * 2))
    weekend = now.weekday() >= 5
    return 0.15 + (0.35 if weekend else 0.75) * working


def load_factor(now: datetime, seed: int) -> float:
    """0-1: the daily and weekly profile, and slow wiggles."""
    wiggle = 0.06 * math.sin(now.timestamp() / 600 + seed) + 0.03 * math.sin(now.timestamp() / 97 + 2 * seed)
    return max(0.02, min(1.0, base_load(now) + wiggle))


@dataclass
class Network:
    """The voltage side, shared by every load of a site."""

    seed: int = 1

    def values(self, now: datetime) -> dict[str, float]:
        t = now.timestamp()
        values = {"F": NOMINAL_FREQUENCY + 0.03 * math.sin(t / 41 + self.seed)}
        sag = voltage_sag(now)
        for phase in (1, 2, 3):
            dip = sag if phase == 1 else 1.0  # a single-phase dip, as most are
            values[f"V{phase}"] = NOMINAL_VOLTAGE * dip * (1 + 0.01 * math.sin(t / 300 + phase + self.seed))
            values[f"THD_V{phase}"] = 2.5 + 0.8 * math.sin(t / 900 + phase)
            for order in range(2, 64):
                values[f"H_V{phase}_{order}"] = _harmonic(values[f"THD_V{phase}"], order)
        for pair, (a, b) in {"U12": (1, 2), "U23": (2, 3), "U31": (3, 1)}.items():
            values[pair] = math.sqrt(3) * (values[f"V{a}"] + values[f"V{b}"]) / 2
            values[f"THD_{pair}"] = (values[f"THD_V{a}"] + values[f"THD_V{b}"]) / 2
        values["UNB_V"] = 0.4 + 0.2 * math.sin(t / 500)
        # The meter's averages over its integration period: the slow part of the same drift.
        values["AVG_F"] = NOMINAL_FREQUENCY + 0.01 * math.sin(t / 3000 + self.seed)
        for phase in (1, 2, 3):
            values[f"AVG_V{phase}"] = NOMINAL_VOLTAGE * (1 + 0.005 * math.sin(t / 3000 + phase + self.seed))
        for pair, (a, b) in {"U12": (1, 2), "U23": (2, 3), "U31": (3, 1)}.items():
            values[f"AVG_{pair}"] = math.sqrt(3) * (values[f"AVG_V{a}"] + values[f"AVG_V{b}"]) / 2
        return values


def voltage_sag(now: datetime) -> float:
    """An EN 50160 voltage dip for the demo's alarms: phase 1 at 70 % for the first minute of
    every second hour."""
    return 0.7 if now.hour % 2 == 0 and now.minute == 0 else 1.0


# A meter's counter on the demo site, as if it had counted since 2020 at 40 % of its rating: a
# restarted simulator and the seeded history (webview/demo/history.py) both start from it.
COUNTING_SINCE = datetime(2020, 1, 1, tzinfo=timezone.utc)
AVERAGE_LOAD = 0.4
REACTIVE_SHARE = 0.4  # the reactive counter, relative to the active one


def counted_kwh(now: datetime, rated_kw: float) -> float:
    return rated_kw * AVERAGE_LOAD * (now - COUNTING_SINCE).total_seconds() / 3600


def overload(now: datetime, seed: int) -> float:
    """A load above its rating for five minutes a day (a per-load alarm condition)."""
    return 1.3 if (now.hour * 60 + now.minute - seed) % 1440 < 5 else 1.0


def _harmonic(thd: float, order: int) -> float:
    # Odd orders dominate (5th, 7th...), triplens less in a balanced three-phase load.
    weight = (1.0 if order % 2 else 0.15) * (0.5 if order % 3 == 0 else 1.0)
    return round(thd * weight * 1.6 / order, 3)


@dataclass
class Load:
    """One measured circuit: rated power, power factor, energy counters kept in kWh."""

    rated_kw: float
    seed: int
    power_factor: float = 0.92
    energy: dict[str, float] = field(default_factory=lambda: {"EA_IMP": 0.0, "EA_EXP": 0.0, "ER_IMP": 0.0,
                                                               "ER_EXP": 0.0, "ES": 0.0})
    tariffs: dict[int, float] = field(default_factory=lambda: {1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0})
    last: datetime | None = None
    latest: dict[str, float] = field(default_factory=dict)  # the values of the last sample

    def reset_counters(self) -> None:
        self.energy = dict.fromkeys(self.energy, 0.0)
        self.tariffs = dict.fromkeys(self.tariffs, 0.0)

    def values(self, now: datetime, network: dict[str, float]) -> dict[str, float]:
        factor = load_factor(now, self.seed) * overload(now, self.seed)
        pf = max(0.6, min(0.99, self.power_factor + 0.03 * math.sin(now.timestamp() / 700 + self.seed)))
        tan = math.tan(math.acos(pf))
        values: dict[str, float] = {}
        total_p = 0.0
        for phase in (1, 2, 3):
            share = 1 / 3 + 0.03 * math.sin(self.seed + phase * 2.1)
            p = self.rated_kw * factor * share
            v = network[f"V{phase}"]
            values[f"P{phase}"] = p
            values[f"Q{phase}"] = p * tan
            values[f"S{phase}"] = math.hypot(p, p * tan)
            values[f"PF{phase}"] = pf
            values[f"I{phase}"] = p * 1000 / (v * pf)
            thd = 8 + 12 * (1 - factor)
            values[f"THD_I{phase}"] = thd
            values[f"KF_I{phase}"] = 1 + thd / 40
            for order in range(2, 64):
                values[f"H_I{phase}_{order}"] = _harmonic(thd, order)
            total_p += p
        values["P"], values["Q"] = total_p, total_p * tan
        values["S"] = math.hypot(values["P"], values["Q"])
        values["PF"] = values["COSPHI"] = pf
        values["TANPHI"] = tan
        values["IN"] = abs(values["I1"] - values["I2"]) * 0.6 + 0.1
        values["THD_IN"] = 30.0
        values["KF_IN"] = 1.75
        for phase in (1, 2, 3):
            # Displacement (fundamental) factor: a little above the true power factor, as harmonics lower PF.
            cos = min(0.995, pf + 0.01)
            values[f"COSPHI{phase}"] = cos
            values[f"TANPHI{phase}"] = math.tan(math.acos(cos))
        values.update(self._averages(now, network))
        values["UNB_I"] = 100 * (max(values[f"I{p}"] for p in (1, 2, 3)) / (sum(values[f"I{p}"] for p in (1, 2, 3)) / 3) - 1)
        self._integrate(now, values)
        values.update(self.energy)
        values.update({f"EA_IMP_T{t}": kwh for t, kwh in self.tariffs.items()})
        self.latest = values
        return values

    def _averages(self, now: datetime, network: dict[str, float]) -> dict[str, float]:
        """Averages over the integration period (the profile without its wiggles), and their
        maxima since the last reset: the load at its rating once, as a maximum demand does."""
        tan = math.tan(math.acos(self.power_factor))
        values = {}
        for prefix, factor in (("AVG_", base_load(now)), ("MAXAVG_", 1.0)):
            p = self.rated_kw * factor
            values[f"{prefix}P"], values[f"{prefix}Q"] = p, p * tan
            values[f"{prefix}S"] = math.hypot(p, p * tan)
            for phase in (1, 2, 3):
                share = 1 / 3 + 0.03 * math.sin(self.seed + phase * 2.1)
                volts = network.get(f"AVG_V{phase}", NOMINAL_VOLTAGE)
                values[f"{prefix}I{phase}"] = p * share * 1000 / (volts * self.power_factor)
            values[f"{prefix}IN"] = abs(values[f"{prefix}I1"] - values[f"{prefix}I2"]) * 0.6 + 0.1
        values["AVG_PF"] = self.power_factor
        return values

    def _integrate(self, now: datetime, values: dict[str, float]) -> None:
        if self.last is not None:
            hours = max(0.0, (now - self.last).total_seconds()) / 3600
            self.energy["EA_IMP"] += values["P"] * hours
            self.energy["ER_IMP"] += values["Q"] * hours
            self.energy["ES"] += values["S"] * hours
            tariff = 1 if 6 <= now.hour < 22 and now.weekday() < 5 else 2
            self.tariffs[tariff] += values["P"] * hours
        self.last = now


# What a general meter sums from the loads downstream of it (the rest is its own load).
ADDITIVE = ("P", "Q", "S", "P1", "P2", "P3", "Q1", "Q2", "Q3", "S1", "S2", "S3", "I1", "I2", "I3", "IN",
            "EA_IMP", "EA_EXP", "ER_IMP", "ER_EXP", "ES", "EA_IMP_T1", "EA_IMP_T2", "EA_IMP_T3", "EA_IMP_T4",
            "AVG_P", "AVG_Q", "AVG_S", "AVG_I1", "AVG_I2", "AVG_I3", "AVG_IN",
            "MAXAVG_P", "MAXAVG_Q", "MAXAVG_S", "MAXAVG_I1", "MAXAVG_I2", "MAXAVG_I3", "MAXAVG_IN")


@dataclass
class AggregateLoad:
    """A general meter's circuit: the sub-metered loads downstream of it plus ``rest``, the part no
    sub-meter sees. Powers, currents and energy counters add up (currents in phase: a demo's
    approximation), power factors follow from the sums, so the general meter, its sub-meters and
    the hierarchy's non-measured point agree. The parts are sampled by their own meters first
    (SimulatedSite.update), so no load is integrated twice."""

    rest: Load
    parts: list[Load] = field(default_factory=list)

    @property
    def rated_kw(self) -> float:
        return self.rest.rated_kw + sum(part.rated_kw for part in self.parts)

    def reset_counters(self) -> None:
        self.rest.reset_counters()

    def values(self, now: datetime, network: dict[str, float]) -> dict[str, float]:
        values = dict(self.rest.values(now, network))
        for part in self.parts:
            sample = part.latest or part.values(now, network)
            for code in ADDITIVE:
                values[code] = values.get(code, 0.0) + sample.get(code, 0.0)
        for suffix in ("", "1", "2", "3"):
            p, q = values[f"P{suffix}"], values[f"Q{suffix}"]
            s = math.hypot(p, q)
            values[f"S{suffix}"] = s
            values[f"PF{suffix}"] = p / s if s else 1.0
        values["COSPHI"], values["TANPHI"] = values["PF"], values["Q"] / values["P"] if values["P"] else 0.0
        values["AVG_PF"] = values["AVG_P"] / values["AVG_S"] if values["AVG_S"] else 1.0
        return values


@dataclass
class Insulation:
    """ISOM L-60 on an IT network, and the F-60 circuits that share its leakage: Rf drifts, and
    every few hours an insulation fault on one circuit brings Rf down (an alarm condition)."""

    seed: int = 3
    circuits: int = 0  # an F-60's circuits; 0 for the L-60 itself

    def fault(self, now: datetime) -> bool:
        return math.sin(now.timestamp() / 5400 + self.seed) > 0.97

    def values(self, now: datetime) -> dict[str, float]:
        t = now.timestamp()
        rf = 40.0 if self.fault(now) else 450.0 + 150 * math.sin(t / 3000 + self.seed)
        cf = 1.2 + 0.4 * math.sin(t / 2000)
        zc = rf / math.sqrt(1 + (2 * math.pi * NOMINAL_FREQUENCY * cf * 1e-6 * rf * 1e3) ** 2)
        return {"RF": rf, "CF": cf, "ZC": zc, "V1": NOMINAL_VOLTAGE, "F": NOMINAL_FREQUENCY}

    def circuit_values(self, now: datetime) -> list[dict[str, float]]:
        """Per F-60 circuit: the fault shows on one circuit (its IL up, its Rf down), the
        healthy ones see a share of the network's capacitance."""
        network = self.values(now)
        faulty = self.seed % max(1, self.circuits)
        values = []
        for index in range(self.circuits):
            share = (index + 1) / (self.circuits * (self.circuits + 1) / 2)
            at_fault = self.fault(now) and index == faulty
            values.append({"IDN": 30.0, "IL": 8.0 + 0.5 * index if at_fault else 0.014 + 0.001 * index,
                           "RF": network["RF"] if at_fault else 400.0 + 20 * index, "CF": network["CF"] * share})
        return values


@dataclass
class TransferSwitch:
    """ATyS on source I (the mains), switching to II (the genset) for three minutes each hour: a
    test or an outage. Values as the ATyS p M status block sends them (position and source-state
    codes, operating-mode word), and the counters the manual's Counters tab shows."""

    seed: int = 5
    counters: dict[str, float] = field(default_factory=lambda: {
        "CNT_POS_0": 82, "CNT_POS_1": 70, "CNT_POS_2": 36, "CNT_CYCLES": 42, "CNT_ENGINE_STARTS": 68,
        "ENGINE_RUN_S": 1_239_152, "ENGINE_ON_LOAD_S": 143_684, "SUPPLY_SRC1_S": 1_377_962, "SUPPLY_SRC2_S": 144_124})
    position: int = 1
    last: datetime | None = None

    def values(self, now: datetime) -> dict[str, float]:
        wanted = 2 if 20 <= now.minute < 23 else 1
        self._count_time(now)  # the time since the last sample was spent on the position before
        if wanted != self.position:
            self.counters["CNT_POS_0"] += 1
            self.counters[f"CNT_POS_{wanted}"] += 1
            if wanted == 1:
                self.counters["CNT_CYCLES"] += 1
            else:
                self.counters["CNT_ENGINE_STARTS"] += 1
            self.position = wanted
        outage = wanted == 2
        t = now.timestamp()
        return {
            "POS": float(self.position), "POS_CODE": float(self.position + 1),  # 2 position I, 3 position II
            "ATS_MODE": float(0x0010),  # automatic
            "SRC1_STATE": 0.0 if outage else 2.0, "SRC2_STATE": 2.0 if outage else 0.0,
            "SRC1_AVAILABLE": 0.0 if outage else 1.0, "SRC2_AVAILABLE": 1.0 if outage else 0.0,
            "SRC1_V": 0.0 if outage else NOMINAL_VOLTAGE * (1 + 0.01 * math.sin(t / 300 + self.seed)),
            "SRC2_V": NOMINAL_VOLTAGE * (1 + 0.02 * math.sin(t / 60)) if outage else 0.0,
            "SRC1_F": 0.0 if outage else NOMINAL_FREQUENCY + 0.03 * math.sin(t / 41),
            "SRC2_F": NOMINAL_FREQUENCY + 0.2 * math.sin(t / 30) if outage else 0.0,
            # Inputs and outputs as the manual's I/O tab wires them (1 closed, 0 open).
            "IN_1": float(self.position == 1), "IN_2": float(self.position == 2), "IN_3": 0.0,
            "OUT_1": float(outage), "OUT_2": float(not outage), "OUT_6": float(outage),
            **self.counters,
        }

    def reset_counters(self) -> None:
        self.counters = dict.fromkeys(self.counters, 0.0)

    def _count_time(self, now: datetime) -> None:
        if self.last is not None:
            seconds = max(0.0, (now - self.last).total_seconds())
            self.counters["SUPPLY_SRC1_S" if self.position == 1 else "SUPPLY_SRC2_S"] += seconds
            if self.position == 2:
                self.counters["ENGINE_RUN_S"] += seconds
                self.counters["ENGINE_ON_LOAD_S"] += seconds
        self.last = now


def seeded(name: str) -> int:
    return random.Random(name).randint(1, 10_000)
