"""What a command says when a service it needs is not running (DESIGN.md "Public contract" ›
Commands): one line on standard error naming the service and what to do, exit status 1, no
traceback. manage.py applies it to every command, so that no command has to.

Redis (the embedded one under the data dir, or REDIS_URL) and the database (SQLite under the
data dir, or DATABASE_URL) are recognised anywhere in the exception's chain: a Celery publish
wraps the Redis error in kombu's, Django wraps the driver's in its own."""

from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

EXIT_STATUS = 1


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0].strip()


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def _translated(message: str, **values: str) -> str:
    """Translated when Django's apps are loaded (the error may come from their start-up)."""
    try:
        from django.utils.translation import gettext

        message = gettext(message)
    except Exception:  # AppRegistryNotReady, settings not loaded: the English text will do
        pass
    return message % values


def _redis_reason(error: BaseException) -> str:
    from django.conf import settings

    if getattr(settings, "EMBEDDED_REDIS", False):
        return _translated(
            "Redis is not running: the embedded one (%(url)s) runs with the gateway, so start it first "
            "(make run), or set REDIS_URL to a running Redis.", url=settings.REDIS_URL)
    return _translated("Redis at %(url)s is not reachable (%(detail)s): start it, or set REDIS_URL to a running Redis.",
                       url=_without_password(settings.REDIS_URL), detail=_first_line(error))


def _database_reason(error: BaseException) -> str:
    from django.conf import settings
    from django.db import connection

    detail = _first_line(error)
    if connection.vendor == "sqlite":
        path = str(settings.DATABASES["default"]["NAME"])
        if detail.startswith(("no such table", "no such column")):
            return _translated("The database %(path)s is not set up (%(detail)s): run manage.py migrate first.",
                               path=path, detail=detail)
        return _translated("The database %(path)s cannot be used (%(detail)s).", path=path, detail=detail)
    return _translated(
        "The database at %(url)s is not reachable (%(detail)s): start it, or set DATABASE_URL to a running database.",
        url=_without_password(getattr(settings, "DATABASE_URL", "") or connection.settings_dict.get("HOST", "")),
        detail=detail)


def unavailable_service(error: BaseException) -> str | None:
    """The one-line reason when ``error`` means Redis or the database is not there, else None."""
    from django.db.utils import InterfaceError, OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    broker_errors: tuple[type[BaseException], ...] = ()
    try:
        from kombu.exceptions import OperationalError as BrokerError

        broker_errors = (BrokerError,)
    except ImportError:
        pass
    for link in _chain(error):
        if isinstance(link, (RedisConnectionError, RedisTimeoutError)):
            return _redis_reason(link)
        if isinstance(link, (OperationalError, InterfaceError)):
            return _database_reason(link)
    if broker_errors and any(isinstance(link, broker_errors) for link in _chain(error)):
        return _redis_reason(error)  # the broker is this Redis (webview/settings.py)
    return None
