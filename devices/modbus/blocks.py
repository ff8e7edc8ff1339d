"""Group a device's registers into as few reads as its limit allows."""

from collections.abc import Iterable
from dataclasses import dataclass

from devices.catalogue.schema import Register

# Reading a few unused registers costs less than another request on a slow RS485 line;
# a device that refuses gaps is re-planned with max_gap=0 (see acquisition.reader).
DEFAULT_MAX_GAP = 8


@dataclass(frozen=True)
class Block:
    start: int
    count: int
    # (address, circuit index or 0 for a device-wide value, register)
    registers: tuple[tuple[int, int, Register], ...]

    @property
    def end(self) -> int:
        return self.start + self.count


def plan(items: Iterable[tuple[int, int, Register]], max_registers: int, max_gap: int = DEFAULT_MAX_GAP) -> list[Block]:
    """``items`` are (address, circuit index, register); returns reads of at most
    ``max_registers`` words, merging neighbours separated by at most ``max_gap`` words."""
    ordered = sorted(items, key=lambda item: item[0])
    blocks: list[Block] = []
    start = end = None
    members: list[tuple[int, int, Register]] = []
    for address, circuit, register in ordered:
        stop = address + register.words
        if start is not None and address - end <= max_gap and stop - start <= max_registers:
            end = max(end, stop)
            members.append((address, circuit, register))
            continue
        if start is not None:
            blocks.append(Block(start, end - start, tuple(members)))
        start, end, members = address, stop, [(address, circuit, register)]
    if start is not None:
        blocks.append(Block(start, end - start, tuple(members)))
    return blocks
