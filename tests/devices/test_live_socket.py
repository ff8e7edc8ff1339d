"""/ws/live/ over the real Redis channel layer: who may open it, and what it delivers."""

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings

from devices.live import publish
from webview.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def socket(session_key: str | None = None, origin: tuple = ORIGIN) -> WebsocketCommunicator:
    headers = [origin, (b"host", b"127.0.0.1:8000")]
    if session_key:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session_key}".encode()))
    return WebsocketCommunicator(application, "/ws/live/", headers=headers)


@pytest.fixture
def session_of(client_as):
    def make(key: str) -> str:
        return client_as(key).session.session_key

    return make


async def test_anonymous_socket_is_refused():
    communicator = socket()
    connected, _ = await communicator.connect()
    assert not connected


async def test_other_origin_is_refused(session_of):
    from asgiref.sync import sync_to_async

    key = await sync_to_async(session_of)("user")
    communicator = socket(key, origin=(b"origin", b"http://evil.example"))
    connected, _ = await communicator.connect()
    assert not connected


async def test_profile_with_pending_password_change_is_refused(profiles):
    from asgiref.sync import sync_to_async
    from django.test import Client

    def session_before_change() -> str:
        client = Client()
        client.force_login(profiles["admin"], backend="cybersecurity.backends.ProfileBackend")
        return client.session.session_key

    communicator = socket(await sync_to_async(session_before_change)())
    connected, _ = await communicator.connect()
    assert not connected


async def test_subscribed_socket_receives_its_devices_only(session_of):
    from asgiref.sync import sync_to_async

    communicator = socket(await sync_to_async(session_of)("user"))
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"subscribe": [7]})
    assert await communicator.receive_json_from(timeout=5) == {"subscribed": [7]}
    await publish(8, {"device": 8, "status": "online"})
    await publish(7, {"device": 7, "status": "online", "circuits": []})
    assert await communicator.receive_json_from(timeout=5) == {"device": 7, "status": "online", "circuits": []}
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()


async def test_bad_subscription_is_answered_with_an_error(session_of):
    from asgiref.sync import sync_to_async

    communicator = socket(await sync_to_async(session_of)("user"))
    await communicator.connect()
    await communicator.send_json_to({"subscribe": ["all"]})
    assert "error" in await communicator.receive_json_from(timeout=5)
    await communicator.disconnect()
