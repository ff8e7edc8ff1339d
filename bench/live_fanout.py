"""Live fan-out benchmark (issue: Monitor).

A real daphne serves the gateway; N websocket clients (the `websockets` library) sign in with a
session cookie and subscribe to one device on /ws/live/. The benchmark then
publishes live payloads through the Redis channel layer, as the acquisition loop does, and
measures the time until every client has the message (fan-out) and per-client delivery times.
Baseline in the same run: one Redis PUBLISH/SUBSCRIBE round trip to the same number of plain
Redis subscribers, to show what the channel layer and daphne add.

    .venv/bin/python bench/live_fanout.py [--clients 200] [--rounds 20]
"""

import argparse
import asyncio
import json
import statistics
import time

from live_server import daphne, p99, session_cookie  # noqa: I001  (sets Django up first)

import websockets
from django.conf import settings
from redis.asyncio import Redis

from devices import live

DEVICE = 4242


class LiveClient:
    """One browser tab on the Monitor page: subscribed to the device, noting when each message arrives."""

    def __init__(self, socket) -> None:
        self.socket = socket
        self.arrivals: dict[float, float] = {}

    async def listen(self) -> None:
        async for raw in self.socket:
            message = json.loads(raw)
            if "circuits" in message:
                self.arrivals[message["circuits"][0]["values"]["SENT"]] = time.perf_counter()


async def connect_clients(port: int, cookie: str, count: int) -> list[LiveClient]:
    clients = []
    for _ in range(count):
        socket_ = await websockets.connect(f"ws://127.0.0.1:{port}/ws/live/", origin=f"http://127.0.0.1:{port}",
                                           additional_headers={"Cookie": cookie}, max_queue=None)
        await socket_.send(json.dumps({"subscribe": [DEVICE]}))
        assert "subscribed" in json.loads(await socket_.recv())
        client = LiveClient(socket_)
        asyncio.get_running_loop().create_task(client.listen())
        clients.append(client)
    return clients


async def fanout(factories, rounds: int) -> tuple[list[float], list[float]]:
    alls, each = [], []
    for n in range(rounds):
        sent = time.perf_counter()
        await live.publish(DEVICE, {"device": DEVICE, "status": "online", "timestamp": None,
                                    "circuits": [{"id": 1, "index": 1, "name": "L", "values": {"SENT": sent}}]})
        deadline = time.monotonic() + 10
        while sum(sent in client.arrivals for client in factories) < len(factories):
            assert time.monotonic() < deadline, "not every client received the message"
            await asyncio.sleep(0.001)
        arrivals = [client.arrivals[sent] - sent for client in factories]
        alls.append(max(arrivals))
        each.extend(arrivals)
        await asyncio.sleep(0.05)
    return alls, each


async def redis_baseline(count: int, rounds: int) -> list[float]:
    redis = Redis.from_url(settings.REDIS_URL, max_connections=count + 5)  # one connection per subscriber
    subscribers = [redis.pubsub() for _ in range(count)]
    for pubsub in subscribers:
        await pubsub.subscribe("bench-fanout")
    times = []
    for _ in range(rounds):
        sent = time.perf_counter()
        await redis.publish("bench-fanout", "x")
        for pubsub in subscribers:
            while await pubsub.get_message(ignore_subscribe_messages=True, timeout=5) is None:
                pass
        times.append(time.perf_counter() - sent)
    for pubsub in subscribers:
        await pubsub.aclose()
    await redis.aclose()
    return times



def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    cookie = session_cookie()
    with daphne() as port:

        async def run():
            factories = await connect_clients(port, cookie, args.clients)
            result = await fanout(factories, args.rounds)
            for client in factories:
                await client.socket.close()
            baseline = await redis_baseline(args.clients, args.rounds)
            return result, baseline

        (alls, each), baseline = asyncio.run(run())
    ms = lambda seconds: seconds * 1000  # noqa: E731
    print(f"{args.clients} websocket clients on one device, {args.rounds} publications")
    print(f"fan-out to all clients: median {ms(statistics.median(alls)):.1f} ms, p99 {ms(p99(alls)):.1f} ms")
    print(f"per-client delivery:    median {ms(statistics.median(each)):.1f} ms, p99 {ms(p99(each)):.1f} ms")
    print(f"baseline Redis pub/sub to {args.clients} subscribers: median {ms(statistics.median(baseline)):.1f} ms "
          f"(ratio {statistics.median(alls) / statistics.median(baseline):.1f}×)")


if __name__ == "__main__":
    main()
