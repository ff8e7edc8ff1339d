"""Browser tests: headless Chromium (pytest-playwright) against daphne serving the test database.

pytest-django's live_server is a WSGI thread without websockets, so the gateway runs as the
real ASGI server in a subprocess. Everything the browser sees must be committed: tests use
``django_db(transaction=True)`` and the ``profiles``/``ready_profile`` fixtures.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0  # seconds for daphne to import Django and listen


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last: sync Playwright keeps an event loop running in the main
    thread from its first use to the end of the session, which would make the ORM and
    pytest-asyncio refuse to work in any test that came after."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)  # stable sort


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    """Django refuses sync ORM calls while an event loop runs (Playwright's); the tests' own
    ORM calls are plain synchronous ones, so allow them, for the browser tests only."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"daphne exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)  # poll interval, not a wait for an outcome
    pytest.fail(f"daphne did not listen on {port} within {START_TIMEOUT}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def daphne_server(django_db_setup, tmp_path_factory):
    """The URL of daphne serving the test database pytest-django created (as its main one)."""
    from django.db import connection

    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "WEBVIEW_E2E_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "REDIS_URL": settings.REDIS_URL,  # sessions and the channel layer shared with the tests
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the server keeps Django's async-safety checks
    log = tmp_path_factory.mktemp("daphne") / "daphne.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "webview.asgi:application"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        _wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        # Before django_db_setup's teardown: PostgreSQL cannot drop a database still in use.
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def base_url(daphne_server):
    """pytest-playwright gives contexts this base URL, so tests navigate to "/login/" etc."""
    return daphne_server


@pytest.fixture(scope="session")
def browser_type_launch_args():
    # Debian's Chromium, never a downloaded one; headless (pytest-playwright's default).
    return {
        "executable_path": "/usr/bin/chromium",
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


# The browser lives in a zone other than the site's (settings.TIME_ZONE, Europe/Paris by
# default): every time the UI shows, sends or parses must follow the site's clock, never the
# browser's. New York is 5-6 hours behind Paris and changes DST on other dates (8 March and
# 1 November 2026 against 29 March and 25 October), so a slip shows as whole days or weeks.
BROWSER_TIME_ZONE = "America/New_York"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    assert settings.TIME_ZONE != BROWSER_TIME_ZONE
    return {**browser_context_args, "timezone_id": BROWSER_TIME_ZONE}
