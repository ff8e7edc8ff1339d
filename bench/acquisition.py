"""Acquisition benchmark (issue: devices and acquisition).

One cycle over 50, 200 and 500 simulated devices of 60 registers each, on loopback, ten devices
behind each Modbus TCP endpoint (as behind a gateway). Compares, in the same run:
  - bare pymodbus: one client per endpoint, the same reads, endpoints in parallel;
  - ours: read_device (blocks, decoding, fault handling) over the LinkPool;
  - ours + live cache: the full cycle, with the Redis payload, counters and channel-layer fan-out.
The simulated meters run in a child process so that CPU time counts the gateway side only.

    .venv/bin/python bench/acquisition.py [--sizes 50 200 500] [--cycles 5]
"""

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from pymodbus.client import AsyncModbusTcpClient  # noqa: E402

from devices.acquisition.cycle import by_link, poll_devices  # noqa: E402
from devices.acquisition.reader import read_device  # noqa: E402
from devices.acquisition.spec import CircuitSpec, DeviceSpec  # noqa: E402
from devices.acquisition.transport import LinkPool  # noqa: E402
from devices import live  # noqa: E402
from devices.catalogue.schema import Register, RegisterMap  # noqa: E402
from webview.demo.modbus_server import SimulatedLink, SimulatedUnit  # noqa: E402

UNITS_PER_LINK = 10
BASE_PORT = 17000
START = 50000
MAP = RegisterMap(name="bench", function="holding", max_registers=125, registers=tuple(
    Register(code, START + 2 * i, "u32", 0.01) for i, code in enumerate(
        ["V1", "V2", "V3", "U12", "U23", "U31", "I1", "I2", "I3", "IN", "F", "P", "Q", "S", "P1", "P2", "P3", "Q1",
         "Q2", "Q3", "S1", "S2", "S3", "PF", "PF1", "PF2", "PF3", "EA_IMP", "ER_IMP", "ES"])))


def serve(links: int, ready) -> None:
    async def main():
        servers = []
        for link in range(links):
            units = []
            for unit_id in range(1, UNITS_PER_LINK + 1):
                unit = SimulatedUnit(unit_id)
                for register in MAP.registers:
                    unit.set(register, 123.45)
                units.append(unit)
            server = SimulatedLink("127.0.0.1", BASE_PORT + link, units)
            await server.start()
            servers.append(server)
        ready.set()
        await asyncio.Event().wait()

    asyncio.run(main())


def specs(devices: int) -> list[DeviceSpec]:
    return [DeviceSpec(id=n, name=f"d{n}", protocol="tcp", host="127.0.0.1", port=BASE_PORT + n // UNITS_PER_LINK,
                       serial_port="", baudrate=0, parity="N", stopbits=1, unit_id=n % UNITS_PER_LINK + 1,
                       register_map=MAP, circuits=(CircuitSpec(n, 1, "Load 1"),), timeout_seconds=2.0)
            for n in range(devices)]


async def bare_cycle(clients: dict[int, AsyncModbusTcpClient], device_specs: list[DeviceSpec]) -> None:
    by_port: dict[int, list[DeviceSpec]] = {}
    for spec in device_specs:
        by_port.setdefault(spec.port, []).append(spec)

    async def one_link(port: int, link_specs: list[DeviceSpec]) -> None:
        client = clients[port]
        for spec in link_specs:
            response = await client.read_holding_registers(START, count=60, device_id=spec.unit_id)
            assert not response.isError()

    await asyncio.gather(*(one_link(port, link_specs) for port, link_specs in by_port.items()))


async def measure(cycle, cycles: int) -> tuple[float, float]:
    await cycle()  # connect and warm up
    walls, cpus = [], []
    for _ in range(cycles):
        wall, cpu = time.perf_counter(), time.process_time()
        await cycle()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


async def bench(devices: int, cycles: int) -> dict[str, tuple[float, float]]:
    device_specs = specs(devices)
    ports = sorted({spec.port for spec in device_specs})
    clients = {port: AsyncModbusTcpClient("127.0.0.1", port=port, timeout=2) for port in ports}
    await asyncio.gather(*(client.connect() for client in clients.values()))
    results = {"bare pymodbus": await measure(lambda: bare_cycle(clients, device_specs), cycles)}
    for client in clients.values():
        client.close()

    pool = LinkPool()

    links = list(by_link(device_specs).values())

    async def ours():
        async def one_link(link_specs):
            return [await read_device(spec, pool) for spec in link_specs]

        readings = [r for per_link in await asyncio.gather(*(one_link(s) for s in links)) for r in per_link]
        assert all(reading.online for reading in readings), {r.reason for r in readings}

    results["ours (read + decode)"] = await measure(ours, cycles)
    redis = live.redis_client()
    recorder = live.LiveRecorder(redis)
    results["ours + live cache"] = await measure(lambda: poll_devices(device_specs, pool, recorder), cycles)
    pool.close()
    await redis.aclose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--cycles", type=int, default=5)
    args = parser.parse_args()
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(max(args.sizes) // UNITS_PER_LINK, ready), daemon=True)
    server.start()
    ready.wait(60)
    print(f"{'devices':>8} {'variant':<22} {'cycle ms':>9} {'CPU ms':>8} {'× bare':>7}")
    try:
        for size in args.sizes:
            results = asyncio.run(bench(size, args.cycles))
            bare_wall = results["bare pymodbus"][0]
            for variant, (wall, cpu) in results.items():
                print(f"{size:>8} {variant:<22} {wall * 1000:>9.1f} {cpu * 1000:>8.1f} {wall / bare_wall:>7.2f}")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
