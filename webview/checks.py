"""System checks for a misconfigured gateway (caught at start, not at the first request)."""

import os

import redis
from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def data_dir_writable(app_configs, **kwargs):
    if not os.access(settings.DATA_DIR, os.W_OK):
        return [Error(f"The data directory {settings.DATA_DIR} is not writable.",
                      hint="Set WEBVIEW_DATA_DIR to a writable folder.", id="webview.E001")]
    return []


@register(deploy=True)
def redis_reachable(app_configs, **kwargs):
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        hint = ("Start it with `python manage.py embedded_redis` (the run command does)."
                if settings.EMBEDDED_REDIS else "Check REDIS_URL.")
        return [Warning(f"Redis at {settings.REDIS_URL} is not reachable: {error}", hint=hint, id="webview.W001")]
    return []
