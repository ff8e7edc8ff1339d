"""Reading real pymodbus servers on loopback: decoding, routing by unit id, faults."""

import asyncio
import time

import pytest
from pymodbus.constants import ExcCodes

from devices.acquisition.reader import read_device
from devices.acquisition.transport import LinkPool
from devices.catalogue.schema import Register, RegisterMap
from tests.devices.conftest import TEST_MAP, device_spec, free_port, unit_with_values

VALUES = {"V1": 231.45, "F": 49.98, "I1": 12.345, "P": -4.56, "EA_IMP": 12345678.901, "PF": -0.87}


def read(spec, pool=None):
    async def run():
        link_pool = pool or LinkPool()
        try:
            return await read_device(spec, link_pool)
        finally:
            if pool is None:
                link_pool.close()

    return asyncio.run(run())


def test_values_are_decoded_in_engineering_units(meters):
    port = meters([unit_with_values(1, VALUES)])
    reading = read(device_spec(port))
    assert reading.online, reading.reason
    assert reading.values[0] == pytest.approx({"V1": 231.45, "F": 49.98})
    assert reading.values[1] == pytest.approx({"I1": 12.345, "P": -4.56, "EA_IMP": 12345678.901, "PF": -0.87})


def test_each_unit_behind_one_gateway_answers_its_own_values(meters):
    port = meters([unit_with_values(4, {"I1": 4.0}), unit_with_values(6, {"I1": 6.0})])
    assert read(device_spec(port, 4)).values[1]["I1"] == pytest.approx(4.0)
    assert read(device_spec(port, 6)).values[1]["I1"] == pytest.approx(6.0)


def test_reads_respect_the_device_s_largest_read(meters):
    small = RegisterMap(name="small", function="holding", max_registers=4, registers=TEST_MAP.registers)
    unit = unit_with_values(1, VALUES)
    port = meters([unit])
    reading = read(device_spec(port, register_map=small))
    assert reading.online and reading.values[1]["EA_IMP"] == pytest.approx(VALUES["EA_IMP"])
    assert reading.requests >= 4  # 14 words of registers in reads of at most 4


def test_modbus_exception_marks_the_device_offline_with_its_meaning(meters):
    unit = unit_with_values(1, VALUES)
    unit.exception = ExcCodes.DEVICE_FAILURE
    reading = read(device_spec(meters([unit])))
    assert not reading.online
    assert reading.reason == "Modbus exception 4 (server device failure)"
    assert reading.values == {}


def test_unknown_unit_behind_a_gateway_is_offline(meters):
    port = meters([unit_with_values(1, VALUES)])
    reading = read(device_spec(port, unit_id=9, timeout=0.3))
    assert not reading.online and reading.reason


def test_a_timeout_costs_the_timeout_and_is_counted(meters):
    unit = unit_with_values(1, VALUES)
    unit.delay = 2.0
    port = meters([unit])
    started = time.monotonic()
    reading = read(device_spec(port, timeout=0.3))
    assert not reading.online and reading.reason == "timeout"
    assert reading.timeouts == 1
    assert time.monotonic() - started < 1.5


def test_refused_connection_is_offline():
    reading = read(device_spec(free_port()))
    assert not reading.online and reading.reason == "connection failed"


def test_a_dead_meter_does_not_delay_others(meters):
    dead = unit_with_values(1, VALUES)
    dead.delay = 5.0
    alive_port = meters([unit_with_values(1, VALUES)])
    dead_port = meters([dead])

    async def both():
        pool = LinkPool()
        try:
            timed = []

            async def timed_read(spec):
                start = time.monotonic()
                reading = await read_device(spec, pool)
                timed.append((spec.port, reading.online, time.monotonic() - start))

            await asyncio.gather(timed_read(device_spec(dead_port, timeout=1.0)),
                                 timed_read(device_spec(alive_port, device_id=2)))
            return {port: (online, seconds) for port, online, seconds in timed}
        finally:
            pool.close()

    results = asyncio.run(both())
    assert results[alive_port][0] is True and results[alive_port][1] < 0.5
    assert results[dead_port][0] is False


def test_a_meter_that_disappears_and_comes_back(meters):
    unit = unit_with_values(1, VALUES)
    port = free_port()

    async def scenario():
        from webview.demo.modbus_server import SimulatedLink

        pool = LinkPool()
        link = SimulatedLink("127.0.0.1", port, [unit])
        await link.start()
        first = await read_device(device_spec(port), pool)
        await link.stop()
        gone = await read_device(device_spec(port), pool)
        await link.start()
        back = await read_device(device_spec(port), pool)
        await link.stop()
        pool.close()
        return first, gone, back

    first, gone, back = asyncio.run(scenario())
    assert first.online and not gone.online and back.online
    assert back.values[1]["I1"] == pytest.approx(VALUES["I1"])


def test_gap_refused_by_the_device_is_read_exactly(meters):
    # TEST_MAP has holes (108-119, 124-129): the simulated meter refuses reads across them.
    reading = read(device_spec(meters([unit_with_values(1, VALUES)])))
    assert reading.online
    assert reading.errors >= 1  # the first, gap-spanning read was refused


def test_garbage_float_is_never_kept_as_a_value(meters):
    floats = RegisterMap(name="f", function="holding", max_registers=10,
                         registers=(Register("I1", 10, "f32"), Register("V1", 12, "f32")))
    unit = unit_with_values(1, {"I1": 1.5, "V1": 230.0}, floats)
    unit.set_words(12, [0x7FC0, 0x0000])  # NaN
    reading = read(device_spec(meters([unit]), register_map=floats))
    assert not reading.online and "garbage" in reading.reason
    assert reading.values == {}


def test_garbage_bytes_instead_of_modbus_are_survived():
    port = free_port()

    async def scenario():
        async def babble(reader, writer):
            await reader.read(12)
            writer.write(b"\x00\x01HELLO, THIS IS NOT MODBUS\xff\xff")
            await writer.drain()

        server = await asyncio.start_server(babble, "127.0.0.1", port)
        pool = LinkPool()
        try:
            return await read_device(device_spec(port, timeout=0.5), pool)
        finally:
            pool.close()
            server.close()

    reading = asyncio.run(scenario())
    assert not reading.online
    assert reading.values == {}


def test_a_device_refusing_gaps_is_remembered(meters):
    port = meters([unit_with_values(1, VALUES)])

    async def twice():
        pool = LinkPool()
        try:
            return await read_device(device_spec(port), pool), await read_device(device_spec(port), pool)
        finally:
            pool.close()

    first, second = asyncio.run(twice())
    assert first.online and second.online
    assert first.errors >= 1 and second.errors == 0
