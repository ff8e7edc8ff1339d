"""Registers → engineering values, per the catalogue's type, word order and scale.

Decoders are compiled once per register (struct format, scale, rounding), since acquisition
decodes every value of every device every few seconds."""

import math
import struct
from collections.abc import Sequence
from functools import cache

from devices.catalogue.schema import REGISTER_TYPES, Register


class GarbageValue(ValueError):
    """The meter answered something that cannot be a reading (NaN, infinity)."""


def _decimals(scale: float) -> int:
    return max(0, -math.floor(math.log10(abs(scale)) + 1e-9)) if abs(scale) < 1 else 0


class Decoder:
    __slots__ = ("code", "words", "unpack", "words_struct", "little", "scale", "decimals", "is_float", "not_available")

    def __init__(self, register: Register) -> None:
        size, fmt = REGISTER_TYPES[register.type]
        self.code = register.code
        self.words = size
        self.unpack = struct.Struct(fmt).unpack
        self.words_struct = struct.Struct(f">{size}H")
        self.little = register.word_order == "little"
        self.scale = register.scale
        self.decimals = _decimals(register.scale)
        self.is_float = register.type.startswith("f")
        self.not_available = register.not_available

    def raw(self, words: Sequence[int]) -> int | float:
        if len(words) != self.words:
            raise ValueError(f"{self.code} needs {self.words} words, got {len(words)}")
        payload = self.words_struct.pack(*(reversed(words) if self.little else words))
        return self.unpack(payload)[0]

    def __call__(self, words: Sequence[int]) -> float | None:
        raw = self.raw(words)
        if self.is_float:
            value = raw * self.scale
            # After the scale: a finite f64 times its scale can still overflow to infinity.
            if not math.isfinite(value):
                raise GarbageValue(f"{self.code} is {raw}")
            return value
        if self.not_available is not None:
            unsigned = 0
            for word in words:
                unsigned = unsigned << 16 | word
            if unsigned == self.not_available:
                return None
        if self.scale == 1:
            return raw  # a 64-bit counter stays exact
        # An integer register's resolution is its scale: 1234 × 0.01 is 12.34, not 12.340000000000002.
        return round(raw * self.scale, self.decimals)


@cache
def decoder(register: Register) -> Decoder:
    return Decoder(register)


def raw_value(register: Register, words: Sequence[int]) -> int | float:
    """The register's raw number (before scale)."""
    return decoder(register).raw(words)


def decode(register: Register, words: Sequence[int]) -> float | None:
    """The value in the quantity's unit; None where the meter says "not available"."""
    return decoder(register)(words)


def encode(register: Register, value: float) -> list[int]:
    """The registers a meter would hold for ``value`` (simulator and tests)."""
    size, fmt = REGISTER_TYPES[register.type]
    if register.type.startswith("f"):
        number = value / register.scale
    elif isinstance(value, int) and register.scale == 1:
        number = value  # exact beyond 2**53
    else:
        number = int(round(value / register.scale))
    words = list(struct.unpack(f">{size}H", struct.pack(fmt, number)))
    return words[::-1] if register.word_order == "little" else words


class BlockDecoder:
    """Decodes every value of one block read with a single struct call (most of a poll's CPU is
    here). Blocks holding little-endian or "not available" registers use per-register decoders."""

    def __init__(self, start: int, count: int, members) -> None:
        """``members``: (address, circuit, register) of the block."""
        self.words = struct.Struct(f">{count}H")
        ordered = sorted(members, key=lambda member: member[0])
        self.fast = all(r.word_order == "big" and r.not_available is None for _a, _c, r in ordered)
        self.fields = [(circuit, register.code, register.scale, _decimals(register.scale), register.type[0] == "f")
                       for _address, circuit, register in ordered]
        self.slow = [(address - start, circuit, register.code, register.words, decoder(register))
                     for address, circuit, register in ordered]
        fmt, position = ">", start
        for address, _circuit, register in ordered:
            fmt += "x" * (2 * (address - position)) + REGISTER_TYPES[register.type][1][1:]
            position = address + register.words
        self.values = struct.Struct(fmt)

    def __call__(self, words: Sequence[int]) -> list[tuple[int, str, float | None]]:
        if not self.fast:
            return [(circuit, code, decode_(words[offset:offset + size]))
                    for offset, circuit, code, size, decode_ in self.slow]
        raws = self.values.unpack_from(self.words.pack(*words))
        decoded = []
        for (circuit, code, scale, decimals, is_float), raw in zip(self.fields, raws):
            if is_float:
                value = raw * scale
                if not math.isfinite(value):  # after the scale, as in Decoder
                    raise GarbageValue(f"{code} is {raw}")
            else:
                value = raw if scale == 1 else round(raw * scale, decimals)
            decoded.append((circuit, code, value))
        return decoded
