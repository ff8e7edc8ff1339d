"""Decoders against their inverse, for every type, word order and scale (hypothesis)."""

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.catalogue.schema import REGISTER_TYPES, Register
from devices.modbus.blocks import plan
from devices.modbus.decoding import GarbageValue, decode, encode, raw_value

INT_RANGES = {"u16": (0, 2**16 - 1), "s16": (-2**15, 2**15 - 1), "u32": (0, 2**32 - 1),
              "s32": (-2**31, 2**31 - 1), "u64": (0, 2**64 - 1), "s64": (-2**63, 2**63 - 1)}


@given(type_=st.sampled_from(sorted(INT_RANGES)), order=st.sampled_from(["big", "little"]), data=st.data())
def test_integers_round_trip_through_registers(type_, order, data):
    low, high = INT_RANGES[type_]
    raw = data.draw(st.integers(low, high))
    register = Register("P", 0, type_, 1.0, word_order=order)
    words = encode(register, raw)
    assert len(words) == REGISTER_TYPES[type_][0] and all(0 <= w <= 0xFFFF for w in words)
    assert raw_value(register, words) == raw


@given(raw=st.integers(-2**31, 2**31 - 1), scale=st.sampled_from([1, 0.1, 0.01, 0.001, 10]))
def test_scale_gives_engineering_units(raw, scale):
    register = Register("P", 0, "s32", scale)
    assert decode(register, encode(register, raw * scale)) == pytest.approx(raw * scale, rel=1e-9, abs=scale)


@given(value=st.floats(allow_nan=False, allow_infinity=False, width=32), order=st.sampled_from(["big", "little"]))
def test_float32_round_trips(value, order):
    register = Register("V1", 0, "f32", word_order=order)
    assert decode(register, encode(register, value)) == struct.unpack(">f", struct.pack(">f", value))[0]


def test_word_order_matters():
    big = Register("EA_IMP", 0, "u32", word_order="big")
    little = Register("EA_IMP", 0, "u32", word_order="little")
    assert raw_value(big, [0x0001, 0x0002]) == 0x00010002
    assert raw_value(little, [0x0001, 0x0002]) == 0x00020001


def test_signed_values_are_negative_where_they_should_be():
    assert raw_value(Register("P", 0, "s16"), [0xFFFF]) == -1
    assert raw_value(Register("P", 0, "s32"), [0xFFFF, 0xFFFE]) == -2
    assert raw_value(Register("P", 0, "u32"), [0xFFFF, 0xFFFE]) == 0xFFFFFFFE


def test_64_bit_energy_index_keeps_every_wh():
    register = Register("EA_IMP", 0, "u64", 0.001)
    words = encode(register, 987654321098.765)
    assert decode(register, words) == pytest.approx(987654321098.765, abs=0.0005)


def test_not_available_marker_is_missing_not_a_number():
    register = Register("I1", 0, "u32", 0.001, not_available=0xFFFFFFFF)
    assert decode(register, [0xFFFF, 0xFFFF]) is None


@pytest.mark.parametrize("words", [[0x7FC0, 0x0000], [0x7F80, 0x0000], [0xFF80, 0x0000]])
def test_nan_and_infinity_are_garbage(words):
    with pytest.raises(GarbageValue):
        decode(Register("V1", 0, "f32"), words)


def test_wrong_word_count_is_refused():
    with pytest.raises(ValueError):
        raw_value(Register("V1", 0, "u32"), [1])


@given(addresses=st.lists(st.integers(0, 2000), min_size=1, max_size=60, unique=True),
       limit=st.integers(2, 125), gap=st.integers(0, 10))
def test_blocks_cover_every_register_within_the_read_limit(addresses, limit, gap):
    registers = [(a * 2, 0, Register("I1", a * 2, "u32")) for a in addresses]
    blocks = plan(registers, limit, gap)
    assert all(block.count <= limit for block in blocks)
    covered = [(address, block) for block in blocks for address, _c, _r in block.registers]
    assert sorted(a for a, _ in covered) == sorted(a for a, _c, _r in registers)
    assert all(block.start <= a and a + 2 <= block.end for a, block in covered)


@given(values=st.lists(st.integers(-2**31, 2**31 - 1), min_size=1, max_size=20), gap=st.integers(0, 3),
       little=st.booleans())
def test_a_block_decodes_like_its_registers_one_by_one(values, gap, little):
    from devices.modbus.decoding import BlockDecoder

    order = "little" if little else "big"
    members = [(10 + i * (2 + gap), 1, Register(f"H_I1_{i + 2}", 10 + i * (2 + gap), "s32", 0.01, word_order=order))
               for i in range(len(values))]
    count = members[-1][0] + 2 - 10
    words = [0] * count
    for (address, _c, register), raw in zip(members, values):
        words[address - 10:address - 8] = encode(register, raw * 0.01)
    decoded = BlockDecoder(10, count, members)(words)
    assert decoded == [(1, r.code, decode(r, words[a - 10:a - 8])) for a, _c, r in members]
