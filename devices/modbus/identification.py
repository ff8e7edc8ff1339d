"""Socomec's identification zone: the vendor signature one character per register, product
names two characters per register (see catalogue.schema.Identification)."""

from collections.abc import Sequence


def signature_words(signature: str) -> list[int]:
    return [ord(char) for char in signature]


def read_signature(words: Sequence[int]) -> str:
    return "".join(chr(word & 0xFF) for word in words)


def string_words(text: str, words: int) -> list[int]:
    data = text.encode("ascii", "replace")[: words * 2].ljust(words * 2, b"\x00")
    return [int.from_bytes(data[i:i + 2], "big") for i in range(0, words * 2, 2)]


def read_string(words: Sequence[int]) -> str:
    data = b"".join(int(word).to_bytes(2, "big") for word in words)
    return data.split(b"\x00", 1)[0].decode("ascii", "replace").strip()
