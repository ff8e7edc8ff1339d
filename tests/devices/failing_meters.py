"""Modbus TCP meters that fail the way field meters do, as real socket servers on 127.0.0.1.

Each kind is an asyncio server in a thread of its own, so that the acquisition under test runs
its own event loop as in the worker:

- ``refused``: nobody listens on the port (a meter switched off, a wrong port);
- ``unreachable``: the connection never completes (a host that is off, a firewall dropping
  packets): a listening socket whose accept queue is full, so that the kernel drops new SYNs;
- ``silent``: accepts and reads, never answers (a gateway whose serial line is dead);
- ``reset``: accepts, then resets the connection at once (a meter refusing one more client);
- ``reset_on_request``: reads the first request, then resets (a meter rebooting mid-read);
- ``garbage``: answers every request with bytes that are no Modbus frame;
- ``wrong_tid``: answers with a well-formed frame for another transaction id.
"""

import asyncio
import socket
import struct
import threading

from tests.devices.conftest import free_port

KINDS = ("refused", "unreachable", "silent", "reset", "reset_on_request", "garbage", "wrong_tid")


def _reset(writer: asyncio.StreamWriter) -> None:
    # SO_LINGER 0: close() sends a RST instead of a FIN.
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def _silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while await reader.read(1024):
            pass
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _reset_at_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    _reset(writer)


async def _reset_on_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        await reader.read(1024)
    except ConnectionError:
        pass
    _reset(writer)


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while await reader.read(1024):
            writer.write(b"\xde\xad\xbe\xef" * 8)
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _wrong_tid(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers function 3/4 reads with the right registers, under the next transaction id."""
    try:
        while True:
            transaction, _protocol, length, unit = struct.unpack(">HHHB", await reader.readexactly(7))
            function, _start, count = struct.unpack(">BHH", await reader.readexactly(length - 1))
            body = struct.pack(">BB", function, 2 * count) + b"\x00\x01" * count
            writer.write(struct.pack(">HHHB", (transaction + 1) & 0xFFFF, 0, len(body) + 1, unit) + body)
    except (asyncio.IncompleteReadError, ConnectionError, struct.error):
        pass
    finally:
        writer.close()


_HANDLERS = {"silent": _silent, "reset": _reset_at_once, "reset_on_request": _reset_on_request,
             "garbage": _garbage, "wrong_tid": _wrong_tid}


class FailingMeters:
    """``start(kind)`` → the port of a new failing meter; ``stop()`` closes every server."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="failing-meters", daemon=True)
        self.thread.start()
        self.servers: list[asyncio.AbstractServer] = []
        self.connections: set[asyncio.StreamWriter] = set()
        self.sockets: list[socket.socket] = []

    def start(self, kind: str) -> int:
        if kind == "refused":
            return free_port()
        if kind == "unreachable":
            return self._black_hole()
        return asyncio.run_coroutine_threadsafe(self._serve(_HANDLERS[kind]), self.loop).result(timeout=5)

    def _black_hole(self) -> int:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)  # never accepted: the queue holds one connection, the fillers fill it
        port = listener.getsockname()[1]
        self.sockets.append(listener)
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            try:
                filler.connect(("127.0.0.1", port))
            except BlockingIOError:
                pass  # pending: it holds its place in the queue all the same
            self.sockets.append(filler)
        return port

    async def _serve(self, handler) -> int:
        async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections.add(writer)
            try:
                await handler(reader, writer)
            finally:
                self.connections.discard(writer)

        server = await asyncio.start_server(tracked, "127.0.0.1", 0)
        self.servers.append(server)
        return server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        async def close() -> None:
            for server in self.servers:
                server.close()
            # Connections a client left open end with the servers (Python 3.11 leaves them).
            for writer in list(self.connections):
                writer.close()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(timeout=5)
        for sock in self.sockets:
            sock.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()
