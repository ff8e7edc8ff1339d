"""Every catalogue map, served by a simulated meter and read back: the gateway's values equal the
meter's within its resolution, for every family, type, word order and scale in the catalogue."""

import random

import pytest

from devices.acquisition.spec import CircuitSpec
from devices.catalogue import catalogue
from devices.catalogue.loader import CATALOGUE_DIR, Catalogue, CatalogueError
from devices.catalogue.schema import CAPABILITIES, Register
from webview.demo.modbus_server import SimulatedUnit
from tests.devices.conftest import device_spec, read_once

MAPPED = sorted({ref.register_map.name: ref for ref in catalogue().references.values() if ref.register_map}.values(),
                key=lambda ref: ref.reference)


def plausible(register: Register, rng: random.Random) -> float:
    """A value the register can hold, in engineering units."""
    steps = {"u16": 2**16 - 1, "s16": 2**15 - 1, "u32": 10**8, "s32": 10**8, "u64": 10**12, "s64": 10**12}
    if register.type.startswith("f"):
        return round(rng.uniform(-1000, 1000), 2)
    raw = rng.randint(0, steps[register.type])
    if register.type.startswith("s") and rng.random() < 0.5:
        raw = -raw
    if register.not_available is not None and raw == register.not_available:
        raw -= 1
    return raw * register.scale


def test_the_catalogue_lists_every_reference_of_the_manual():
    manual = {"D-50", "D-50v2", "D-70", "G-30/G-40", "G-50/G-60", "M-50", "M-70", "D-40", "I-30", "I-30 dc", "I-31",
              "I-33", "I-35", "I-35 dc", "I-43", "I-45", "I-60", "I-61", "IO-10", "IO-20", "S-130", "S-135",
              "S-Datacenter", "U-10", "U-20", "U-30", "U-31 dc", "U-32 dc", "R-60", "Ci", "E03", "E04", "E13", "E14",
              "E17", "E18", "E23", "E24", "E27", "E28", "E33", "E34", "E43", "E44", "E44R", "E47", "E48", "E53",
              "ECI32", "ECI3", "A-10", "A-20", "A-30", "A-40", "A-40 Ethernet", "A-40 Profibus", "A14", "A17",
              "A17 2In", "A17 THD", "A17 THD In", "A60", "A80", "B-10", "B-30 RF", "B-30 RS485", "ATyS p M", "C55",
              "C65", "C66", "A10", "A20", "A20v2", "A40v2", "A40v3"}
    assert manual <= set(catalogue().references)


def test_every_reference_names_its_source_or_says_it_shares_a_map():
    for family in catalogue().families.values():
        assert family.sources
        for ref in family.references:
            assert set(ref.capabilities) <= set(CAPABILITIES)
            assert ref.register_map is not None or ref.is_gateway or ref.map_note, ref.reference


@pytest.mark.parametrize("reference", MAPPED, ids=lambda ref: f"{ref.reference}:{ref.register_map.name}")
def test_read_values_equal_the_meter_s(reference, meters):
    rng = random.Random(reference.reference)
    register_map = reference.register_map
    circuits = reference.circuits or ()
    indexes = [c.index for c in circuits] or [1]
    unit = SimulatedUnit(7)
    expected: dict[int, dict[str, float]] = {}
    for register in register_map.registers:
        for index in ([0] if register.scope == "device" else indexes):
            value = plausible(register, rng)
            address = register.address + (max(index, 1) - 1) * register_map.circuit_stride
            unit.set(register, value, address)
            expected.setdefault(index, {})[register.code] = value
    spec = device_spec(meters([unit]), 7, register_map=register_map, timeout=1.0,
                       circuits=tuple(CircuitSpec(i, i, f"c{i}") for i in indexes))

    reading = read_once(spec)
    assert reading.online, reading.reason
    for index, values in expected.items():
        for code, value in values.items():
            resolution = abs(next(r.scale for r in register_map.registers if r.code == code))
            assert reading.values[index][code] == pytest.approx(value, abs=resolution / 2 + 1e-9), (index, code)


def test_a_bad_catalogue_file_is_refused_with_its_place(tmp_path):
    (tmp_path / "quantities.yaml").write_text((CATALOGUE_DIR / "quantities.yaml").read_text())
    (tmp_path / "bad.yaml").write_text(
        "family: bad\nlabel: Bad\nsources: [here]\nregister_maps:\n  m:\n    registers:\n"
        "      - {code: NOPE, address: 1, type: u16}\nreferences:\n  - {reference: X-1, register_map: m}\n")
    with pytest.raises(CatalogueError, match="bad.yaml map m register NOPE@1: unknown quantity code NOPE"):
        Catalogue(tmp_path)


def test_every_quantity_label_is_marked_for_translation():
    import yaml

    from devices.catalogue.labels import LABELS

    data = yaml.safe_load((CATALOGUE_DIR / "quantities.yaml").read_text(encoding="utf-8"))
    in_file = {q["label"] for q in data["quantities"]} | {s["label"] for s in data["series"]}
    assert set(LABELS) == in_file


def test_quantity_labels_read_in_the_active_language():
    from django.utils import translation

    quantities = catalogue().quantities
    with translation.override("fr"):
        assert quantities["V1"].translated == "Tension simple V1"
        assert quantities["H_I2_5"].translated == "Harmonique 5 de I2"
    assert quantities["H_I2_5"].translated == "Harmonic 5 of I2"
