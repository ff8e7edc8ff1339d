import asyncio
import os
import socket

import pytest

from devices.acquisition.reader import read_device
from devices.acquisition.spec import CircuitSpec, DeviceSpec, Reading
from devices.acquisition.transport import LinkPool
from devices.catalogue.schema import Register, RegisterMap
from webview.demo.modbus_server import SimulatedLink, SimulatedUnit, ThreadedLinks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_range(count: int, start: int = 21000, stop: int = 60000) -> int:
    """The first port of ``count`` consecutive free ones (each checked by binding it)."""
    base = start + (os.getpid() * 37) % 1000 * 20  # runs in parallel start from different places
    while base + count < stop:
        if all(_bindable(port) for port in range(base, base + count)):
            return base
        base += count
    raise RuntimeError(f"no {count} consecutive free ports between {start} and {stop}")


# A small map in Socomec's style: 32-bit words, high word first, scaled integers.
TEST_MAP = RegisterMap(
    name="test", function="holding", max_registers=20, circuit_stride=0,
    registers=(
        Register("V1", 100, "u32", 0.01, scope="device"),
        Register("F", 102, "u32", 0.01, scope="device"),
        Register("I1", 104, "u32", 0.001),
        Register("P", 106, "s32", 0.01),
        Register("EA_IMP", 120, "u64", 0.001),
        Register("PF", 130, "s16", 0.001),
    ),
)


def device_spec(port: int, unit_id: int = 1, *, device_id: int = 1, register_map: RegisterMap = TEST_MAP,
                timeout: float = 0.3, retries: int = 0, circuits=(CircuitSpec(11, 1, "Load 1"),)) -> DeviceSpec:
    return DeviceSpec(id=device_id, name=f"meter-{device_id}", protocol="tcp", host="127.0.0.1", port=port,
                      serial_port="", baudrate=0, parity="N", stopbits=1, unit_id=unit_id, register_map=register_map,
                      circuits=tuple(circuits), poll_seconds=1.0, timeout_seconds=timeout, retries=retries)


@pytest.fixture
def meters():
    """Start simulated links: ``meters({unit_id: SimulatedUnit, ...})`` → port; all stopped after."""
    running: list[ThreadedLinks] = []

    def start(units: list[SimulatedUnit], port: int | None = None) -> int:
        port = port or free_port()
        running.append(ThreadedLinks([SimulatedLink("127.0.0.1", port, units)]).start())
        return port

    yield start
    for links in running:
        links.stop()


def unit_with_values(unit_id: int, values: dict[str, float], register_map: RegisterMap = TEST_MAP) -> SimulatedUnit:
    unit = SimulatedUnit(unit_id)
    for register in register_map.registers:
        unit.set(register, values.get(register.code, 0))
    return unit


def read_once(spec: DeviceSpec) -> Reading:
    """One read of a device through a pool of its own, closed after (no Redis, no live cache)."""
    async def run() -> Reading:
        pool = LinkPool()
        try:
            return await read_device(spec, pool)
        finally:
            pool.close()

    return asyncio.run(run())
