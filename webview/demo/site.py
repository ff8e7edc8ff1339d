"""The simulated site: which meters answer where, and the values they hold each second."""

import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from devices.catalogue import catalogue
from devices.catalogue.schema import Reference
from devices.custom_maps import build_register_map, with_register_map
from devices.modbus.identification import signature_words, string_words
from webview.demo.modbus_server import SimulatedLink, SimulatedUnit
from webview.demo.physics import (REACTIVE_SHARE, AggregateLoad, Insulation, Load, Network, TransferSwitch,
                                  counted_kwh, seeded)

TARIFF_1_SHARE = 0.62
DEMO_SITE = Path(__file__).resolve().parent / "demo_site.yaml"
DEMO_MAPS = Path(__file__).resolve().parent / "demo_maps.yaml"


@dataclass
class SimulatedMeter:
    unit: SimulatedUnit
    reference: Reference
    name: str
    area: str
    port_offset: int
    network: Network
    loads: list[Load | AggregateLoad] = field(default_factory=list)
    insulation: Insulation | None = None
    switch: TransferSwitch | None = None
    map_name: str = ""  # a map of demo_maps.yaml the device is read with
    circuit_names: list[str] = field(default_factory=list)
    usages: list[str] = field(default_factory=list)  # a predefined usage's external key per circuit
    measures: list[str] = field(default_factory=list)  # the meters downstream of a general meter
    network_type: str = "3P+N"  # as the device is set up (Settings › Sources)

    def update(self, now: datetime) -> None:
        register_map = self.reference.register_map
        if register_map is None:
            return
        grid = self.network.values(now)
        device_values = dict(grid)
        if self.insulation:
            device_values.update(self.insulation.values(now))
        if self.switch:
            device_values.update(self.switch.values(now))
        if self.insulation and self.insulation.circuits:
            per_circuit = self.insulation.circuit_values(now)
        else:
            per_circuit = [load.values(now, grid) for load in self.loads] or [device_values]
        for register in register_map.registers:
            if register.scope == "device":
                self.unit.set(register, device_values.get(register.code, per_circuit[0].get(register.code, 0.0)))
                continue
            for index, values in enumerate(per_circuit, start=1):
                address = register.address + (index - 1) * register_map.circuit_stride
                value = values.get(register.code, device_values.get(register.code, 0.0))
                self.unit.set(register, value, address)
        self._identify()

    def listen_for_reset(self) -> None:
        """The counter reset its map documents zeroes the counters (energies, switchings)."""
        register_map = self.reference.register_map
        if register_map is not None and register_map.reset is not None:
            self.unit.commands[register_map.reset.address] = self._reset

    def _reset(self, values: list[int]) -> None:
        if values != [self.reference.register_map.reset.value]:
            return  # another value resets nothing, as on the meters
        for load in self.loads:
            load.reset_counters()
        if self.switch:
            self.switch.reset_counters()

    def _identify(self) -> None:
        ident = self.reference.register_map.identification
        if ident is None:
            return
        self.unit.set_words(ident.signature_address, signature_words(ident.signature))
        if self.reference.product_codes:
            self.unit.set_words(ident.product_code_address, [self.reference.product_codes[0]])
        if ident.product_name_address is not None and self.reference.product_names:
            name = self.reference.product_names[0].upper()
            self.unit.set_words(ident.product_name_address, string_words(name, ident.product_name_words))


@dataclass
class SimulatedSite:
    meters: list[SimulatedMeter]

    def links(self, host: str, base_port: int) -> list[SimulatedLink]:
        by_offset: dict[int, list[SimulatedUnit]] = {}
        for meter in self.meters:
            by_offset.setdefault(meter.port_offset, []).append(meter.unit)
        return [SimulatedLink(host, base_port + offset, units) for offset, units in sorted(by_offset.items())]

    def update(self, now: datetime) -> None:
        # General meters last: they add up what their sub-meters have just sampled.
        for meter in sorted(self.meters, key=lambda m: bool(m.measures)):
            meter.update(now)


def demo_maps(path: Path = DEMO_MAPS) -> dict[str, dict]:
    """The register maps of demo_maps.yaml by name, as build_register_map takes them."""
    return {entry["name"]: entry for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["maps"]}


def _reference(entry: dict, maps: dict[str, dict]) -> Reference:
    reference = catalogue().reference(entry["reference"])
    if "map" not in entry:
        return reference
    definition = maps[entry["map"]]
    return with_register_map(reference, build_register_map(**definition), definition["circuits"], definition["note"])


def load_site(path: Path = DEMO_SITE) -> SimulatedSite:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    maps = demo_maps()
    network = Network(seed=1)
    meters = []
    for link in config["links"]:
        for entry in link["units"]:
            reference = _reference(entry, maps)
            seed = seeded(entry["name"])
            meter = SimulatedMeter(unit=SimulatedUnit(int(entry["unit"])), reference=reference, name=entry["name"],
                                   area=entry.get("area", ""), port_offset=int(link["port_offset"]), network=network,
                                   map_name=entry.get("map", ""), circuit_names=entry.get("circuits", []),
                                   usages=entry.get("usages", []), measures=entry.get("measures", []),
                                   network_type=str(entry.get("network", "3P+N")))
            if "insulation_circuits" in reference.capabilities:
                meter.insulation = Insulation(seed=seed, circuits=len(reference.circuits))
            elif "insulation" in reference.capabilities:
                meter.insulation = Insulation(seed=seed)
            elif "transfer_switch" in reference.capabilities:
                meter.switch = TransferSwitch(seed=seed)
            meter.listen_for_reset()
            for number, rated in enumerate(entry.get("rated_kw", []), start=1):
                load = Load(rated_kw=float(rated), seed=seed + number)
                counted = counted_kwh(datetime.now(timezone.utc), float(rated))
                # As the seeded history ends (webview/demo/history.py): no counter seems to reset.
                load.energy["EA_IMP"], load.energy["ER_IMP"] = counted, counted * REACTIVE_SHARE
                load.energy["ES"] = counted * math.hypot(1, REACTIVE_SHARE)
                # Tariff 1 (weekdays 6-22 h) takes most of it, tariff 2 the nights and weekends.
                load.tariffs[1], load.tariffs[2] = counted * TARIFF_1_SHARE, counted * (1 - TARIFF_1_SHARE)
                meter.loads.append(load)
            meters.append(meter)
    by_name = {meter.name: meter for meter in meters}
    for meter in meters:
        if meter.measures:
            if len(meter.loads) != 1:
                raise ValueError(f"{meter.name}: a general meter has one circuit, its rated_kw the non-measured part")
            parts = [load for name in meter.measures for load in by_name[name].loads]
            meter.loads = [AggregateLoad(rest=meter.loads[0], parts=parts)]
    return SimulatedSite(meters)
