"""The gateway's real processes for the tests that run it as it runs: the embedded Redis started
the way ``make run`` starts it, daphne serving the test database, a Celery command. Each process
writes its log to a file of the test's own directory and is stopped when the test ends."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import redis
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0  # seconds for a process to import Django and answer (2 shared cores)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.2) -> object:
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(interval)  # poll interval, not a wait for an outcome


def database_env() -> dict[str, str]:
    """The environment that makes tests.settings open the database pytest-django created."""
    return {"DJANGO_SETTINGS_MODULE": "tests.settings",
            "WEBVIEW_E2E_DATABASE_NAME": str(connection.settings_dict["NAME"])}


class Process:
    """A subprocess of the gateway with its log file."""

    def __init__(self, command: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("w") as out:
            self.popen = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def check_alive(self) -> None:
        if not self.alive():
            raise AssertionError(f"{self.popen.args} exited with {self.popen.returncode}:\n{self.output()[-4000:]}")

    def stop(self) -> None:
        """SIGTERM to the process's whole group, as honcho stops it (a shell's pipeline, a
        worker's children), then SIGKILL to what is left after 15 s."""
        group = self.popen.pid  # start_new_session: the process leads its own group
        try:
            os.killpg(group, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            self.popen.wait(timeout=15)
            wait_until(lambda: not _group_alive(group), 15, "the process group stopped", interval=0.1)
        except (subprocess.TimeoutExpired, AssertionError):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
            self.popen.wait()


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@contextlib.contextmanager
def running(command: list[str], env: dict[str, str], log: Path) -> Iterator[Process]:
    process = Process(command, env, log)
    try:
        yield process
    finally:
        process.stop()


def environment(**overrides: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **overrides}  # logs readable while it runs
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # servers keep Django's async-safety checks
    return env


@contextlib.contextmanager
def embedded_redis(data_dir: Path) -> Iterator[str]:
    """``manage.py embedded_redis`` as ``make run`` starts it (no REDIS_URL); yields its unix URL."""
    from webview.runtime import EMBEDDED_REDIS_SOCKET, embedded_redis_url

    data_dir.mkdir(parents=True, exist_ok=True)
    env = environment(WEBVIEW_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="webview.settings")
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    url = embedded_redis_url(data_dir)
    with running([sys.executable, "manage.py", "embedded_redis"], env, data_dir / "redis.log") as process:
        def answers() -> bool:
            process.check_alive()
            if not (data_dir / EMBEDDED_REDIS_SOCKET).exists():
                return False
            try:
                with redis.Redis.from_url(url, socket_timeout=2) as client:
                    return bool(client.ping())
            except redis.RedisError:
                return False

        wait_until(answers, START_TIMEOUT, "the embedded Redis did not answer")
        yield url


@contextlib.contextmanager
def daphne(env: dict[str, str], log: Path) -> Iterator[tuple[int, Process]]:
    """daphne serving ``webview.asgi`` on a free port; yields the port and the process."""
    port = free_port()
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "webview.asgi:application"]
    with running(command, env, log) as process:
        def listens() -> bool:
            process.check_alive()
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_until(listens, START_TIMEOUT, "daphne did not listen")
        yield port, process
