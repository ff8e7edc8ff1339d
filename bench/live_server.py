"""What the live benchmarks share: Django set up on a throwaway data dir, a signed-in session,
a real daphne serving the gateway, and percentiles. Import this module first."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA_DIR = Path(tempfile.mkdtemp(prefix="webview-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ["WEBVIEW_DATA_DIR"] = str(DATA_DIR)
os.environ["WEBVIEW_E2E_DATABASE_NAME"] = str(DATA_DIR / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from cybersecurity import services  # noqa: E402
from cybersecurity.models import Profile  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie() -> str:
    """A User profile's session in the benchmark database, as a Cookie header value."""
    call_command("migrate", verbosity=0)
    services.ensure_profiles()
    client = Client()
    client.force_login(Profile.objects.get(key="user"), backend="cybersecurity.backends.ProfileBackend")
    return f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}"


@contextlib.contextmanager
def daphne():
    """A daphne process serving the gateway on a free port; yields the port."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
                               "webview.asgi:application"], cwd=ROOT, env=os.environ.copy(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "daphne did not start"
                time.sleep(0.1)  # polling the port until it listens, with a deadline
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def p99(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.99) - 1)]
