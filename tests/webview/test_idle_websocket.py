"""Defect: a live websocket on a silent device was torn down every ~5 s. redis-py 8 made
``socket_timeout`` default to 5 s, the channel layer's blocking receive (BZPOPMIN, 5 s) then died
with "Timeout reading from ...". A signed-in socket subscribed to a device that sends nothing
must stay open, then get the next change: on the embedded Redis (unix socket, as ``make run``)
and on a Redis server (TCP)."""

import asyncio
import json

import pytest
import websockets
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django.test import Client

from devices.live import group_name
from tests.webview.processes import daphne, database_env, embedded_redis, environment

pytestmark = pytest.mark.django_db(transaction=True)

DEVICE = 4242
SILENCE = 20.0  # seconds without a message: four times the 5-s default that broke it


def _session_cookie(ready_profile) -> str:
    client = Client()
    client.force_login(ready_profile("user"), backend="cybersecurity.backends.ProfileBackend")
    return f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}"


async def _silent_then_change(port: int, cookie: str, redis_url: str) -> dict:
    layer_config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    layer = RedisChannelLayer(hosts=[redis_url], prefix=layer_config["prefix"])  # the publisher's side
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/live/", origin=f"http://127.0.0.1:{port}",
                                  additional_headers={"Cookie": cookie}, ping_interval=None) as socket_:
        await socket_.send(json.dumps({"subscribe": [DEVICE]}))
        assert json.loads(await asyncio.wait_for(socket_.recv(), 10)) == {"subscribed": [DEVICE]}
        # The silence itself is what is tested: nothing arrives, and the socket is not closed.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(socket_.recv(), SILENCE)
        change = {"device": DEVICE, "status": "online", "circuits": []}
        await layer.group_send(group_name(DEVICE), {"type": "live.update", "payload": change})
        received = json.loads(await asyncio.wait_for(socket_.recv(), 10))
    await layer.flush()
    return received


@pytest.mark.parametrize("redis_kind", ["embedded", "server"])
def test_silent_socket_stays_open_then_gets_the_next_change(redis_kind, ready_profile, tmp_path):
    cookie = _session_cookie(ready_profile)  # the session is in the database (cached_db sessions)
    with embedded_redis(tmp_path / "data") if redis_kind == "embedded" else _server() as redis_url:
        env = environment(**database_env(), REDIS_URL=redis_url)
        with daphne(env, tmp_path / "daphne.log") as (port, server):
            received = asyncio.run(_silent_then_change(port, cookie, redis_url))
            log = server.output()
    assert received == {"device": DEVICE, "status": "online", "circuits": []}
    assert "Traceback" not in log, log[-4000:]


class _server:
    """The Redis server of the suite (REDIS_URL, TCP), as a context manager like embedded_redis."""

    def __enter__(self) -> str:
        assert settings.REDIS_URL.startswith("redis://"), settings.REDIS_URL
        return settings.REDIS_URL

    def __exit__(self, *exc) -> None:
        return None
