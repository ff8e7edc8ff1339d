"""Modbus RTU uses the same code path: a simulated RS485 line over a socat pty pair."""

import asyncio
import shutil
import subprocess
import time
from dataclasses import replace

import pytest

from devices.acquisition.reader import read_device
from devices.acquisition.transport import LinkPool
from webview.demo.modbus_server import SimulatedSerialLink, ThreadedLinks
from tests.devices.conftest import device_spec, unit_with_values

pytestmark = pytest.mark.skipif(shutil.which("socat") is None, reason="socat is installed by `make test`")


@pytest.fixture
def pty_pair(tmp_path):
    meter_end, gateway_end = tmp_path / "meter", tmp_path / "gateway"
    process = subprocess.Popen(["socat", f"pty,raw,echo=0,link={meter_end}", f"pty,raw,echo=0,link={gateway_end}"],
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    while not (meter_end.exists() and gateway_end.exists()):
        assert time.monotonic() < deadline, "socat made no pty pair"
        time.sleep(0.02)
    yield str(meter_end), str(gateway_end)
    process.terminate()
    process.wait(timeout=5)


def test_two_meters_on_one_rs485_line(pty_pair):
    meter_end, gateway_end = pty_pair
    line = ThreadedLinks([SimulatedSerialLink(meter_end, [unit_with_values(3, {"I1": 3.25}),
                                                          unit_with_values(7, {"I1": 7.5})])]).start()
    try:
        base = replace(device_spec(0, timeout=1.0), protocol="rtu", host="", serial_port=gateway_end, baudrate=38400)

        async def both():
            pool = LinkPool()
            try:
                return await asyncio.gather(read_device(replace(base, unit_id=3), pool),
                                            read_device(replace(base, id=2, unit_id=7), pool))
            finally:
                pool.close()

        first, second = asyncio.run(both())
    finally:
        line.stop()
    assert first.online, first.reason
    assert second.online, second.reason
    assert first.values[1]["I1"] == pytest.approx(3.25)
    assert second.values[1]["I1"] == pytest.approx(7.5)
