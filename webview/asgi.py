"""ASGI entry point: HTTP through Django, websockets through Channels (daphne serves both)."""

import os

from django.core.asgi import get_asgi_application

from webview.access_log import stamp_in_utc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webview.settings")
stamp_in_utc()
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from cybersecurity.websocket import PermissionMapWebsocketMiddleware  # noqa: E402
from webview.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Same-origin only, then the session and the permission map, like every view.
        "websocket": AllowedHostsOriginValidator(
            PermissionMapWebsocketMiddleware(URLRouter(websocket_urlpatterns))
        ),
    }
)
