"""One persistent Modbus client per link (host:port, or serial port), shared by every device
behind it; requests on one link are serialised, links run in parallel."""

import asyncio

from pymodbus.client import AsyncModbusSerialClient, AsyncModbusTcpClient

from devices.acquisition.spec import DeviceSpec


class Link:
    def __init__(self, spec: DeviceSpec) -> None:
        if spec.protocol == "rtu":
            self.client = AsyncModbusSerialClient(
                spec.serial_port, baudrate=spec.baudrate, parity=spec.parity, stopbits=spec.stopbits,
                timeout=spec.timeout_seconds, retries=0,
            )
        else:
            self.client = AsyncModbusTcpClient(spec.host, port=spec.port, timeout=spec.timeout_seconds, retries=0,
                                               reconnect_delay=0)
        self.lock = asyncio.Lock()

    async def ensure_connected(self, timeout: float) -> bool:
        if self.client.connected:
            return True
        try:
            return bool(await asyncio.wait_for(self.client.connect(), timeout))
        except (asyncio.TimeoutError, OSError):
            return False

    def close(self) -> None:
        self.client.close()


class LinkPool:
    """Lives as long as its event loop (one per acquisition worker process, or one poll)."""

    def __init__(self) -> None:
        self._links: dict[tuple, Link] = {}
        # Devices that refuse reads across unmapped registers: read them register run by run.
        self.exact_reads: set[int] = set()
        self.plans: dict[tuple, list] = {}

    def link(self, spec: DeviceSpec) -> Link:
        if spec.link not in self._links:
            self._links[spec.link] = Link(spec)
        return self._links[spec.link]

    def drop(self, spec: DeviceSpec) -> None:
        """Forget a link whose connection broke, so that the next poll reconnects."""
        link = self._links.pop(spec.link, None)
        if link is not None:
            link.close()

    def close(self) -> None:
        for link in self._links.values():
            link.close()
        self._links.clear()
