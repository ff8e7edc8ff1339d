"""A float register whose value is NaN or infinite, or becomes infinite once scaled, is garbage
(GarbageValue, the reading goes offline), never a value that the datalogger would store; on the
per-register path and on the one-struct-call block path alike."""

import math
import struct

import pytest

from devices.catalogue.schema import Register
from devices.modbus.decoding import BlockDecoder, GarbageValue, decode


def words_of(fmt: str, value: float) -> list[int]:
    packed = struct.pack(fmt, value)
    return list(struct.unpack(f">{len(packed) // 2}H", packed))


@pytest.mark.parametrize("register, value", [
    (Register("P", 0, "f64", 10.0), 1e308),  # finite in the register, infinite once scaled
    (Register("P", 0, "f64", 1.0), math.inf),
    (Register("P", 0, "f64", 1.0), math.nan),
    (Register("P", 0, "f32", 1.0), math.nan),
])
def test_a_float_that_is_or_becomes_non_finite_is_garbage(register, value):
    words = words_of(">d" if register.type == "f64" else ">f", value)
    with pytest.raises(GarbageValue):
        decode(register, words)
    with pytest.raises(GarbageValue):
        BlockDecoder(0, len(words), [(0, 1, register)])(words)


def test_a_finite_float_decodes_on_both_paths():
    register = Register("P", 0, "f64", 10.0)
    words = words_of(">d", 1e300)
    assert decode(register, words) == BlockDecoder(0, 4, [(0, 1, register)])(words)[0][2] == 1e301
