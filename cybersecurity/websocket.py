"""Websockets obey the same permission map as views: the session cookie says who, the route
says what (permissions.WEBSOCKET_RULES); a refused socket is closed before it is accepted."""

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import WebsocketDenier

from cybersecurity.permissions import WEBSOCKET_RULES, Verdict, judge


def route_of(path: str) -> str:
    return path.lstrip("/")


class _Gate:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        verdict = await database_sync_to_async(self._judge)(scope)
        if verdict is not Verdict.ALLOW:
            return await WebsocketDenier()(scope, receive, send)
        return await self.inner(scope, receive, send)

    @staticmethod
    def _judge(scope) -> Verdict:
        user = scope.get("user")
        rule = WEBSOCKET_RULES.get(route_of(scope["path"]))
        return judge(user, rule, name=route_of(scope["path"]))


def PermissionMapWebsocketMiddleware(inner):  # noqa: N802 (reads like the middleware class it wraps)
    return AuthMiddlewareStack(_Gate(inner))
