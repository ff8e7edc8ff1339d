"""Registers → engineering values, per the catalogue's type, word order and scale."""

import math
import struct
from collections.abc import Sequence

from devices.catalogue.schema import REGISTER_TYPES, Register


class GarbageValue(ValueError):
    """The meter answered something that cannot be a reading (NaN, infinity)."""


def _ordered(words: Sequence[int], word_order: str) -> Sequence[int]:
    return list(reversed(words)) if word_order == "little" else words


def raw_value(register: Register, words: Sequence[int]) -> int | float:
    """The register's raw number (before scale)."""
    size, fmt = REGISTER_TYPES[register.type]
    if len(words) != size:
        raise ValueError(f"{register.code} needs {size} words, got {len(words)}")
    payload = b"".join(int(w).to_bytes(2, "big") for w in _ordered(words, register.word_order))
    return struct.unpack(fmt, payload)[0]


def decode(register: Register, words: Sequence[int]) -> float | None:
    """The value in the quantity's unit; None where the meter says "not available"."""
    raw = raw_value(register, words)
    if register.not_available is not None and not register.type.startswith("f"):
        unsigned = int.from_bytes(b"".join(int(w).to_bytes(2, "big") for w in words), "big")
        if unsigned == register.not_available:
            return None
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise GarbageValue(f"{register.code} is {raw}")
        return raw * register.scale
    if register.scale == 1:
        return raw  # a 64-bit counter stays exact
    # An integer register's resolution is its scale: 1234 × 0.01 is 12.34, not 12.340000000000002.
    return round(raw * register.scale, _decimals(register.scale))


def _decimals(scale: float) -> int:
    return max(0, -math.floor(math.log10(abs(scale)) + 1e-9)) if scale < 1 else 0


def encode(register: Register, value: float) -> list[int]:
    """The registers a meter would hold for ``value`` (simulator and tests)."""
    size, fmt = REGISTER_TYPES[register.type]
    if register.type.startswith("f"):
        number = value / register.scale
    elif isinstance(value, int) and register.scale == 1:
        number = value  # exact beyond 2**53
    else:
        number = int(round(value / register.scale))
    payload = struct.pack(fmt, number)
    words = [int.from_bytes(payload[i:i + 2], "big") for i in range(0, size * 2, 2)]
    return list(_ordered(words, register.word_order))
