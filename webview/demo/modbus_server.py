"""Simulated Modbus TCP meters on pymodbus's SimData/SimDevice API: one server per host:port
answering for several unit ids, as a gateway does. Used by `manage.py simulate` and the tests.

Values live in plain dicts (address → 16-bit word) that the owner changes at will; every read
copies them into the answer. Writes are refused (exception 1, illegal function) except to a
unit's command registers, such as the counter reset its map documents."""

import asyncio
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from pymodbus.constants import ExcCodes
from pymodbus.server import ModbusSerialServer, ModbusTcpServer
from pymodbus.simulator import DataType, SimData, SimDevice

from devices.catalogue.schema import Register
from devices.modbus.decoding import encode


@dataclass
class SimulatedUnit:
    """One unit id: its words, and the faults a test may inject."""

    unit_id: int
    words: dict[int, int] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow or dead meter)
    exception: ExcCodes | None = None  # answer every read with this Modbus exception
    reads: int = 0
    # Writable command registers: address → what a write of these values does.
    commands: dict[int, Callable[[list[int]], None]] = field(default_factory=dict)

    def set(self, register: Register, value: float, address: int | None = None) -> None:
        start = register.address if address is None else address
        for offset, word in enumerate(encode(register, value)):
            self.words[start + offset] = word

    def set_words(self, address: int, words: Iterable[int]) -> None:
        for offset, word in enumerate(words):
            self.words[address + offset] = word


def _runs(addresses: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous (start, count) runs of the mapped addresses; the rest answers "illegal address"."""
    runs: list[tuple[int, int]] = []
    for address in sorted(set(addresses)):
        if runs and runs[-1][0] + runs[-1][1] == address:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((address, 1))
    return runs


async def _answer(unit: SimulatedUnit, function_code, start_address, address, count, current_registers, set_values):
    if unit.delay:
        await asyncio.sleep(unit.delay)
    if unit.exception is not None:
        return unit.exception
    if set_values is not None:
        command = unit.commands.get(address)
        if command is None:
            return ExcCodes.ILLEGAL_FUNCTION
        command(list(set_values))
        return None
    unit.reads += 1
    for offset in range(count):
        current_registers[address - start_address + offset] = unit.words.get(address + offset, 0)
    return None


async def _absent(function_code, start_address, address, count, current_registers, set_values):
    return ExcCodes.GATEWAY_NO_RESPONSE


# Any other unit id answers as a gateway does for a device that is not there (exception 11).
ABSENT_UNITS = SimDevice(id=0, simdata=[SimData(address=0, count=65535, values=0, datatype=DataType.REGISTERS)],
                         action=_absent)


def sim_device(unit: SimulatedUnit) -> SimDevice:
    runs = _runs([*unit.words, *unit.commands]) or [(0, 1)]
    blocks = [SimData(address=start, count=count, values=0, datatype=DataType.REGISTERS) for start, count in runs]
    # The same words answer function 3 (holding) and 4 (input): shared blocks.
    return SimDevice(id=unit.unit_id, simdata=blocks, action=partial(_answer, unit))


class SimulatedLink:
    """A Modbus TCP endpoint (a meter with Ethernet, or a gateway with meters behind it)."""

    def __init__(self, host: str, port: int, units: Iterable[SimulatedUnit]) -> None:
        self.host, self.port = host, port
        self.units = {unit.unit_id: unit for unit in units}
        self.server: ModbusTcpServer | None = None

    async def start(self) -> None:
        devices = [sim_device(unit) for unit in self.units.values()] + [ABSENT_UNITS]
        self.server = ModbusTcpServer(devices, address=(self.host, self.port))
        await self.server.serve_forever(background=True)

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.shutdown()
            self.server = None


class SimulatedSerialLink(SimulatedLink):
    """The same meters on an RS485 line (Modbus RTU), e.g. one end of a socat pty pair."""

    def __init__(self, serial_port: str, units: Iterable[SimulatedUnit], baudrate: int = 38400) -> None:
        super().__init__("", 0, units)
        self.serial_port, self.baudrate = serial_port, baudrate

    async def start(self) -> None:
        # On a bus nobody answers for an absent address: no catch-all device here.
        devices = [sim_device(unit) for unit in self.units.values()]
        self.server = ModbusSerialServer(devices, port=self.serial_port, baudrate=self.baudrate)
        await self.server.serve_forever(background=True)


class ThreadedLinks:
    """Run simulated links in a background event loop (tests; `simulate` runs them in its own)."""

    def __init__(self, links: Iterable[SimulatedLink]) -> None:
        self.links = list(links)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="simulated-meters", daemon=True)

    def call(self, coroutine, timeout: float = 10.0):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def start(self) -> "ThreadedLinks":
        self.thread.start()
        for link in self.links:
            self.call(link.start())
        return self

    def stop(self) -> None:
        for link in self.links:
            self.call(link.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
