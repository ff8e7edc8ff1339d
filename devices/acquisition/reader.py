"""Read one device: its register map in blocks, over its link, decoded into a Reading.

A dead meter costs its own timeout and nothing else; a meter answering nonsense is marked
offline with the reason and none of its values are kept."""

import asyncio
from collections.abc import Iterator

from django.utils import timezone
from pymodbus.exceptions import ModbusException

from devices.acquisition.spec import DeviceSpec, Reading
from devices.acquisition.transport import LinkPool
from devices.catalogue.schema import Register
from devices.modbus.blocks import DEFAULT_MAX_GAP, Block, plan
from devices.modbus.decoding import BlockDecoder, GarbageValue

# Modbus exception codes (Modbus application protocol v1.1b3, §7).
EXCEPTION_NAMES = {
    1: "illegal function", 2: "illegal data address", 3: "illegal data value", 4: "server device failure",
    5: "acknowledge", 6: "server device busy", 8: "memory parity error", 10: "gateway path unavailable",
    11: "gateway target device failed to respond",
}
RETRY_PAUSE_SECONDS = 0.05  # first pause between retries of one request; doubles each time


class ReadFailed(Exception):
    def __init__(self, reason: str, exception_code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.exception_code = exception_code


def register_addresses(spec: DeviceSpec) -> Iterator[tuple[int, int, Register]]:
    """(address, circuit index, register) for every value to read; device-wide values once (index 0)."""
    register_map = spec.register_map
    indexes = [c.index for c in spec.circuits] or [1]
    for register in register_map.registers:
        if register.scope == "device":
            yield register.address, 0, register
            continue
        for index in indexes:
            yield register.address + (index - 1) * register_map.circuit_stride, index, register


def _is_timeout(error: ModbusException) -> bool:
    text = str(error).lower()
    return "timeout" in text or "no response" in text


async def _read_block(pool: LinkPool, spec: DeviceSpec, block: Block, reading: Reading) -> list[int]:
    reason = "no answer"
    for attempt in range(spec.retries + 1):
        if attempt:
            # Never longer than the device's own timeout: a configured device waits at least 50 ms
            # (the model's minimum), so only specs built in code (tests) pause less.
            pause = min(RETRY_PAUSE_SECONDS, spec.timeout_seconds)
            await asyncio.sleep(pause * 2 ** (attempt - 1))
        async with pool.lock(spec):
            # The line's current client: the last attempt's, or another device's, may have been dropped.
            link = pool.link(spec)
            if not await link.ensure_connected():
                reading.errors += 1
                reason = "connection failed"
                continue
            read = (link.client.read_holding_registers if spec.register_map.function == "holding"
                    else link.client.read_input_registers)
            reading.requests += 1
            try:
                # The client's own timeout (spec.timeout_seconds) bounds the call: no extra task per read.
                response = await read(block.start, count=block.count, device_id=spec.unit_id)
            except ModbusException as error:
                if _is_timeout(error):
                    reading.timeouts += 1
                    reason = "timeout"
                else:
                    reading.errors += 1
                    reason = f"communication error: {error}"
                # A late answer would be taken for the next one (RTU has no transaction id): reconnect.
                pool.drop(spec, link)
                continue
            if response.isError():
                reading.errors += 1
                code = getattr(response, "exception_code", None)
                raise ReadFailed(f"Modbus exception {code} ({EXCEPTION_NAMES.get(code, 'unknown')})", code)
            if len(response.registers) != block.count:
                reading.errors += 1
                raise ReadFailed(f"garbage answer: {len(response.registers)} registers instead of {block.count}")
            return list(response.registers)
    raise ReadFailed(reason)


def _reads(spec: DeviceSpec, pool: LinkPool, max_gap: int) -> list[tuple[Block, BlockDecoder]]:
    """The device's reads with their decoders, planned once per map, circuits and gap policy."""
    planned = pool.plans.get((spec.id, max_gap))
    # Equal, not identical: a Custom device's map is rebuilt from the database at every tick.
    if planned is not None and (planned[0] is spec.register_map or planned[0] == spec.register_map) \
            and planned[1] == spec.circuits:
        return planned[2]
    reads = [(block, BlockDecoder(block.start, block.count, block.registers))
             for block in plan(register_addresses(spec), spec.register_map.max_registers, max_gap)]
    pool.plans[(spec.id, max_gap)] = (spec.register_map, spec.circuits, reads)
    return reads


async def read_device(spec: DeviceSpec, pool: LinkPool, max_gap: int | None = None) -> Reading:
    if max_gap is None:
        max_gap = 0 if spec.id in pool.exact_reads else DEFAULT_MAX_GAP
    reading = Reading(device_id=spec.id, timestamp=timezone.now(), online=False)
    if spec.register_map is None:
        reading.reason = "no register map for this reference"
        return reading
    values: dict[int, dict[str, float | None]] = {}
    try:
        for block, decode_block in _reads(spec, pool, max_gap):
            words = await _read_block(pool, spec, block, reading)
            for circuit, code, value in decode_block(words):
                circuit_values = values.get(circuit)
                if circuit_values is None:
                    circuit_values = values[circuit] = {}
                circuit_values[code] = value
    except ReadFailed as failure:
        if failure.exception_code == 2 and max_gap > 0:
            # Some devices refuse reads across undefined registers: read exactly what is mapped.
            pool.exact_reads.add(spec.id)
            exact = await read_device(spec, pool, max_gap=0)
            exact.requests += reading.requests
            exact.errors += reading.errors
            exact.timeouts += reading.timeouts
            return exact
        reading.reason = failure.reason
        return reading
    except GarbageValue as garbage:
        reading.reason = f"garbage value: {garbage}"
        return reading
    reading.timestamp = timezone.now()
    reading.values = values
    reading.online = True
    return reading
