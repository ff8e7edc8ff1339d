"""Meters built from Socomec's public tables, not from our maps: each holds raw values where its
table puts them, and the catalogue's map for that reference must decode every one exactly. The
DIRIS B-30 once lacked U12 and PF, and Digiware I-3x modules read no energy, though the B30
table's per-load energy block has their layout."""


import pytest

from devices.acquisition.spec import CircuitSpec
from devices.catalogue import catalogue
from devices.catalogue.schema import Register
from tests.devices.conftest import device_spec, read_once
from webview.demo.modbus_server import SimulatedUnit

LOAD_STRIDE = 0x800  # Digiware and B30 tables: load #n's blocks 0x800 after load #(n-1)'s

# reference: {circuit index: [(code, register as the public table documents it, value)]}
# B30 table: OpenEMS/openems io.openems.edge.meter.socomec/doc/MODBUS tables of DIRIS B30.html.
B30 = [
    ("U12", Register("U12", 0x4814, "u32", 0.01), 401.27), ("PF", Register("PF", 0x4836, "s16", 0.001), 0.914),
    ("V1", Register("V1", 0x480C, "u32", 0.01), 231.05), ("I1", Register("I1", 0x481A, "u32", 0.001), 36.512),
    ("P", Register("P", 0x482C, "s32", 0.001), 24.318), ("EA_IMP", Register("EA_IMP", 0x4D83, "u32", 1), 1_234_567),
    ("AVG_I1", Register("AVG_I1", 0x489A, "u32", 0.001), 30.001), ("COSPHI1", Register("COSPHI1", 0x4939, "s16", 0.001), 0.93),
    ("THD_I1", Register("THD_I1", 0x4945, "u16", 0.01), 12.34), ("KF_I1", Register("KF_I1", 0x4949, "u16", 0.01), 1.31),
    ("H_I1_5", Register("H_I1_5", 0x4D0D, "u16", 0.01), 4.56), ("EA_IMP_T1", Register("EA_IMP_T1", 0x4F01, "u32", 1), 765_432),
    ("MAXAVG_P", Register("MAXAVG_P", 0x4BB1, "s32", 0.001), 25.0),
]
# Digiware load blocks as the B30 table lays them out, for loads 1-3 of an I-35.
DIGIWARE_LOADS = {n: [("EA_IMP", Register("EA_IMP", 0x4D83 + (n - 1) * LOAD_STRIDE, "u32", 1), 100_000 * n + 7),
                      ("ES", Register("ES", 0x4D8F + (n - 1) * LOAD_STRIDE, "u32", 1), 120_000 * n + 3),
                      ("PF", Register("PF", 0x4836 + (n - 1) * LOAD_STRIDE, "s16", 0.001), 0.9 + n / 100),
                      ("I1", Register("I1", 0x481A + (n - 1) * LOAD_STRIDE, "u32", 0.001), 10.5 * n)]
                  for n in (1, 2, 3)}
# U-30: network block 0x9000 (third-party U-30 extract; units from the B30 table's same block).
U30 = [("F", Register("F", 0x9007, "u32", 0.001), 49.987), ("V1", Register("V1", 0x9009, "u32", 0.01), 229.87),
       ("U12", Register("U12", 0x9011, "u32", 0.01), 398.12), ("UNB_V", Register("UNB_V", 0x901D, "u16", 0.01), 0.42),
       ("THD_V1", Register("THD_V1", 0x9118, "u16", 0.01), 2.73)]
# A-10 table (OpenEMS doc/MODBUS tables of Diris A-10.html): THD, max/avg, tariff energies.
A10 = [("THD_I1", Register("THD_I1", 0xC956, "u16", 0.1), 8.4), ("MAXAVG_I1", Register("MAXAVG_I1", 0xC77E, "u32", 0.001), 17.25),
       ("MAXAVG_P", Register("MAXAVG_P", 0xC786, "u32", 0.01), 10.12), ("EA_IMP_T1", Register("EA_IMP_T1", 0xC6A2, "u32", 1), 54_321)]
# A-30 table (ghiaia/mvmodbus2 socomec_a40.py) 0xC750, which the 2009 A40 instructions share.
A40 = [("AVG_I1", Register("AVG_I1", 0xC75E, "u32", 0.001), 350.125), ("AVG_P", Register("AVG_P", 0xC766, "u32", 0.01), 211.37),
       ("MAXAVG_I1", Register("MAXAVG_I1", 0xC77E, "u32", 0.001), 402.5), ("MAXAVG_S", Register("MAXAVG_S", 0xC78E, "u32", 0.01), 260.0)]

PROFILES = {"B-30 RS485": {1: B30}, "B-30 RF": {1: B30}, "I-35": DIGIWARE_LOADS, "I-31": DIGIWARE_LOADS,
            "U-30": {0: U30}, "A-10": {1: A10}, "A-40": {1: A40}, "A40v2": {1: A40}}


def _read(reference: str, rows: dict[int, list], meters):
    ref = catalogue().reference(reference)
    unit = SimulatedUnit(3)
    indexes = [c.index for c in ref.circuits] or [1]
    # A real meter answers at every address of its table: the map's other registers read 0 here.
    for register in ref.register_map.registers:
        for index in ([1] if register.scope == "device" else indexes):
            unit.set(register, 0, register.address + (index - 1) * ref.register_map.circuit_stride)
    for entries in rows.values():
        for _code, register, value in entries:
            unit.set(register, value, register.address)
    spec = device_spec(meters([unit]), 3, register_map=ref.register_map, timeout=1.0,
                       circuits=tuple(CircuitSpec(i, i, f"c{i}") for i in indexes))

    return read_once(spec)


@pytest.mark.parametrize("reference", sorted(PROFILES))
def test_a_meter_built_from_the_public_table_decodes_exactly(reference, meters):
    rows = PROFILES[reference]
    reading = _read(reference, rows, meters)
    assert reading.online, reading.reason
    for index, entries in rows.items():
        for code, register, value in entries:
            decoded = reading.values.get(index, {}).get(code)
            if decoded is None and index == 1:
                decoded = reading.values.get(0, {}).get(code)  # a device-wide value of the map
            assert decoded == pytest.approx(value, abs=register.scale / 2), (reference, index, code)
