"""One persistent Modbus client per link (host:port, or serial port), shared by every device
behind it; requests on one link are serialised, links run in parallel.

A link that broke is closed and replaced by a fresh one; a closed link never connects again,
so a task still holding it cannot open a socket that nobody will close (issue 10: one leaked
socket per dropped link and cycle)."""

import asyncio
from collections.abc import Iterable

from pymodbus.client import AsyncModbusSerialClient, AsyncModbusTcpClient

from devices.acquisition.spec import DeviceSpec


class Link:
    def __init__(self, spec: DeviceSpec) -> None:
        # reconnect_delay=0: pymodbus would otherwise reconnect in a task of its own when the line
        # drops, racing ensure_connected() and overwriting one transport with another. The link
        # pool is the only one that reconnects.
        if spec.protocol == "rtu":
            self.client = AsyncModbusSerialClient(
                spec.serial_port, baudrate=spec.baudrate, parity=spec.parity, stopbits=spec.stopbits,
                timeout=spec.timeout_seconds, retries=0, reconnect_delay=0,
            )
        else:
            self.client = AsyncModbusTcpClient(spec.host, port=spec.port, timeout=spec.timeout_seconds, retries=0,
                                               reconnect_delay=0)
        self.closed = False

    async def ensure_connected(self) -> bool:
        """Connect if needed, within the client's own timeout (no second timer around it: an
        outer ``wait_for`` firing as the connection completes loses the transport it made)."""
        if self.closed:
            return False
        if self.client.connected:
            return True
        try:
            connected = bool(await self.client.connect())
        except (asyncio.TimeoutError, OSError):
            connected = False
        if not connected or self.closed:
            # A failed attempt, or one the pool gave up on meanwhile, lets its socket go now.
            self.client.close()
            return False
        return True

    def close(self) -> None:
        self.closed = True
        self.client.close()


class LinkPool:
    """Lives as long as its event loop (one per acquisition worker process, or one poll)."""

    def __init__(self) -> None:
        self._links: dict[tuple, Link] = {}
        # One lock per line, not per client: it outlives the clients a broken line goes through,
        # so a request waiting for it takes the line's current client, not a dropped one.
        self._locks: dict[tuple, asyncio.Lock] = {}
        # Devices that refuse reads across unmapped registers: read them register run by run.
        self.exact_reads: set[int] = set()
        self.plans: dict[tuple, list] = {}

    def lock(self, spec: DeviceSpec) -> asyncio.Lock:
        lock = self._locks.get(spec.link)
        if lock is None:
            lock = self._locks[spec.link] = asyncio.Lock()
        return lock

    def link(self, spec: DeviceSpec) -> Link:
        if spec.link not in self._links:
            self._links[spec.link] = Link(spec)
        return self._links[spec.link]

    def drop(self, spec: DeviceSpec, link: Link | None = None) -> None:
        """Close a link whose connection broke, so that the next request reconnects. With ``link``,
        only if it is still the pool's: a link another device already replaced stays."""
        current = self._links.get(spec.link)
        if link is not None and current is not link:
            link.close()
            return
        if current is not None:
            del self._links[spec.link]
            current.close()

    def keys(self) -> set[tuple]:
        """The links with an open (or opening) client."""
        return set(self._links)

    def close_links(self, keys: Iterable[tuple]) -> None:
        """Close the links of removed devices, or of links another worker now polls: their
        sockets would stay open for nothing (a meter accepts only a few clients)."""
        for key in keys:
            lock = self._locks.get(key)
            if lock is not None and not lock.locked():
                del self._locks[key]
            link = self._links.pop(key, None)
            if link is not None:
                link.close()

    def forget(self, device_id: int) -> None:
        """Drop what the pool planned for a removed device."""
        self.exact_reads.discard(device_id)
        for key in [key for key in self.plans if key[0] == device_id]:
            del self.plans[key]

    def close(self) -> None:
        for link in self._links.values():
            link.close()
        self._links.clear()
