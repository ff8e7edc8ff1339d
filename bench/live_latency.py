"""Register-to-page latency benchmark (issue: Monitor).

A simulated meter changes a register; the acquisition loop (the worker's, with its 1-second
tick) polls it, stores and publishes the payload; daphne pushes it to a signed-in websocket
client subscribed as the Monitor page is. Measured: time from the register change to the new
value at the client, over many changes at random moments of the poll cycle. Target: p99 ≤ poll
interval + 250 ms.

    .venv/bin/python bench/live_latency.py [--changes 40] [--poll-seconds 1]
"""

import argparse
import asyncio
import json
import random
import statistics
import threading
import time
from dataclasses import replace

from live_server import daphne, free_port, p99, session_cookie  # noqa: I001  (sets Django up first)

import websockets

from devices.acquisition.loop import AcquisitionLoop
from devices.acquisition.spec import CircuitSpec, DeviceSpec
from devices.catalogue import catalogue
from webview.demo.modbus_server import SimulatedLink, SimulatedUnit, ThreadedLinks

DEVICE = 4343


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--poll-seconds", type=float, default=1.0)
    args = parser.parse_args()
    register_map = catalogue().reference("A-40").register_map
    current = next(register for register in register_map.registers if register.code == "I1")
    unit = SimulatedUnit(1)
    for register in register_map.registers:
        unit.set(register, 1.0)
    meter_port = free_port()
    meters = ThreadedLinks([SimulatedLink("127.0.0.1", meter_port, [unit])]).start()
    spec = DeviceSpec(id=DEVICE, name="bench", protocol="tcp", host="127.0.0.1", port=meter_port, serial_port="",
                      baudrate=0, parity="N", stopbits=1, unit_id=1, register_map=register_map,
                      circuits=(CircuitSpec(1, 1, "Load 1"),), poll_seconds=args.poll_seconds)
    loop = AcquisitionLoop(owner="bench-latency")
    ticking = threading.Event()

    def beat() -> None:  # the 1-second beat tick of Celery beat
        while not ticking.is_set():
            loop.submit([replace(spec)])
            ticking.wait(1.0)

    threading.Thread(target=beat, daemon=True).start()
    cookie = session_cookie()
    latencies: list[float] = []
    try:
        with daphne() as port:

            async def run() -> None:
                async with websockets.connect(f"ws://127.0.0.1:{port}/ws/live/", origin=f"http://127.0.0.1:{port}",
                                              additional_headers={"Cookie": cookie}) as socket_:
                    await socket_.send(json.dumps({"subscribe": [DEVICE]}))
                    await socket_.recv()
                    for change in range(args.changes):
                        await asyncio.sleep(random.uniform(0, args.poll_seconds))  # any moment of the cycle
                        value = round(10 + change * 0.5, 3)
                        unit.set(current, value)
                        changed = time.perf_counter()
                        while True:
                            message = json.loads(await asyncio.wait_for(socket_.recv(), 10))
                            if message["circuits"][0]["values"].get("I1") == value:
                                latencies.append(time.perf_counter() - changed)
                                break

            asyncio.run(run())
    finally:
        ticking.set()
        loop.stop()
        meters.stop()
    ms = [seconds * 1000 for seconds in latencies]
    target = args.poll_seconds * 1000 + 250
    print(f"{len(ms)} register changes, poll interval {args.poll_seconds:g} s")
    print(f"register → page: median {statistics.median(ms):.0f} ms, p99 {p99(ms):.0f} ms, max {max(ms):.0f} ms "
          f"(target p99 ≤ {target:.0f} ms)")


if __name__ == "__main__":
    main()
