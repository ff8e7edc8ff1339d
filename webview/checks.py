"""System checks for a misconfigured gateway (caught at start, not at the first request)."""

import os
from pathlib import Path

import redis
import yaml
from django.conf import settings
from django.core.checks import Error, Warning, register

from devices.catalogue.loader import CATALOGUE_DIR, Catalogue, CatalogueError


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


def catalogue_errors(directory: Path = CATALOGUE_DIR) -> list[Error]:
    """The catalogue files (devices/catalogue/*.yaml) loaded and validated as the gateway will
    use them: a bad file stops the start with the file and entry at fault (the loader's promise),
    never a wrong reading later."""
    try:
        Catalogue(directory)
    except CatalogueError as error:
        message = str(error)
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as error:  # a malformed entry the schema did not name
        message = f"{type(error).__name__}: {error}"
    else:
        return []
    return [Error(f"The device catalogue in {directory} is invalid: {message}",
                  hint="Correct that file (the catalogue's YAML files name their source tables).", id="webview.E002")]


@register()
def catalogue_valid(app_configs, **kwargs):
    return catalogue_errors()
