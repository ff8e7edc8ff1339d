"""Meters that fail the way field meters do, on 127.0.0.1, served from an asyncio loop the test
owns: a port that refuses, one that accepts and stays silent, one that resets after connect, one
that answers garbage, and one that answers a well-formed reply with the wrong transaction id."""

import asyncio
import socket
import struct
from enum import StrEnum

from tests.devices.conftest import free_port

MBAP = struct.Struct(">HHHB")  # transaction id, protocol id, length, unit id


class Fault(StrEnum):
    REFUSED = "refused"
    SILENT = "silent"
    RESET = "reset"
    GARBAGE = "garbage"
    WRONG_TRANSACTION = "wrong-transaction"


# What a misplaced device (a web server on the meter's port) says: not Modbus in any way.
GARBAGE = b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"


class FaultyMeter:
    """One failing endpoint; ``start`` runs in the owner's event loop."""

    def __init__(self, fault: Fault) -> None:
        self.fault = fault
        self.port = 0
        self.server: asyncio.Server | None = None
        self.port_holder: socket.socket | None = None  # REFUSED: holds the port, never listens

    async def start(self) -> None:
        if self.fault is Fault.REFUSED:
            # Bound without listen(): a connection to it is refused, and no other program can take it.
            self.port_holder = socket.socket()
            self.port_holder.bind(("127.0.0.1", 0))
            self.port = self.port_holder.getsockname()[1]
            return
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", free_port())
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.port_holder is not None:
            self.port_holder.close()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            if self.fault is Fault.RESET:
                # SO_LINGER 0: close() sends a RST rather than a FIN, as a meter's stack that gives up.
                writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                                           struct.pack("ii", 1, 0))
                return
            while True:
                request = await _read_request(reader)
                if self.fault is Fault.GARBAGE:
                    writer.write(GARBAGE)
                elif self.fault is Fault.WRONG_TRANSACTION:
                    writer.write(_reply_with_wrong_transaction(request))
                await writer.drain()  # SILENT reads every request and answers none
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    """One MBAP frame; IncompleteReadError when the client hangs up."""
    header = await reader.readexactly(MBAP.size)
    _transaction, _protocol, length, _unit = MBAP.unpack(header)
    return header + await reader.readexactly(max(length - 1, 0))


def _reply_with_wrong_transaction(request: bytes) -> bytes:
    """A correct read-registers answer (all zero words) whose transaction id is not the request's."""
    transaction, protocol, _length, unit = MBAP.unpack(request[:MBAP.size])
    function = request[MBAP.size] if len(request) > MBAP.size else 3
    count = struct.unpack(">H", request[MBAP.size + 3:MBAP.size + 5])[0] if len(request) >= MBAP.size + 5 else 1
    body = bytes([function, 2 * count]) + bytes(2 * count)
    return MBAP.pack((transaction + 1) & 0xFFFF, protocol, len(body) + 1, unit) + body
