"""The gateway as `make run` starts it: the README's command with a fresh data directory and free
ports, the embedded Redis (no REDIS_URL), SQLite (no DATABASE_URL), honcho's processes and the
simulated demo meters. Whatever the Procfile and the run target become, this follows them."""

import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
# What the test process has and the gateway must not inherit: it picks its own Redis, database
# and settings, as on a new box; MAKEFLAGS would carry `make test`'s options into `make run`,
# and TZ is the site's zone Django set in this process (a user's shell has none).
NOT_INHERITED = ("REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "WEBVIEW_TEST_DATABASE_NAME",
                 "WEBVIEW_E2E_DATABASE_NAME", "DJANGO_ALLOW_ASYNC_UNSAFE", "WEBVIEW_CHANNEL_PREFIX",
                 "WEBVIEW_CELERY_EAGER", "WEBVIEW_DEMO", "MAKEFLAGS", "MAKELEVEL", "MFLAGS",
                 "TZ")
STARTED = re.compile(r"\|\s+(\S+) started \(pid=(\d+)\)")
DEMO_PORTS = 20  # the demo site's links take consecutive ports from WEBVIEW_DEMO_PORT (5 today)


@dataclass
class ProcessSample:
    name: str  # honcho's process name, e.g. "worker.1", and "worker.1/child" for a forked child
    pid: int
    cmdline: str
    descriptors: int
    rss_kib: int


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name sits in parentheses and may hold spaces: the fields after it are fixed.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        current = todo.pop()
        seen.append(current)
        todo.extend(_children(current))
    return seen


def _cmdline(pid: int) -> str:
    return (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip())


def _commands(pids: list[int]) -> list[tuple[int, str]]:
    found = []
    for pid in pids:
        try:
            found.append((pid, _cmdline(pid)))
        except OSError:  # exited meanwhile
            pass
    return found


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Gateway:
    def __init__(self, data_dir: Path, web_port: int, demo_port: int) -> None:
        self.data_dir, self.web_port, self.demo_port = data_dir, web_port, demo_port
        self.log_path = data_dir / "make-run.log"
        self.process: subprocess.Popen | None = None
        self.url = f"http://127.0.0.1:{web_port}"

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if key not in NOT_INHERITED and not key.startswith("PYTEST_")}
        env.update(WEBVIEW_DATA_DIR=str(self.data_dir), WEBVIEW_PORT=str(self.web_port),
                   WEBVIEW_DEMO_PORT=str(self.demo_port), PYTHONUNBUFFERED="1")
        return env

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=BASE_DIR, env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                            start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_until_serving(self, timeout: float) -> None:
        """Until daphne answers; `make run` first migrates, collects static files and seeds a year."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"make run exited with {self.process.returncode}:\n{self.log()[-6000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.web_port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.5)  # poll interval
        raise AssertionError(f"the gateway did not listen on {self.web_port} within {timeout:.0f}s:\n"
                             f"{self.log()[-6000:]}")

    def honcho_processes(self) -> dict[str, int]:
        """honcho's process names and the pids it printed when starting them."""
        return {name: int(pid) for name, pid in STARTED.findall(self.log())}

    def sample(self) -> list[ProcessSample]:
        """Descriptors and resident memory of every process honcho started, and their children
        (the Celery worker's forked pool, the embedded redis-server), leaving out the shells."""
        samples = []
        for name, root in self.honcho_processes().items():
            kept = [(pid, cmdline) for pid, cmdline in _commands(_descendants(root))
                    if not cmdline.startswith(("/bin/sh ", "sh "))]
            for position, (pid, cmdline) in enumerate(kept):
                try:
                    descriptors = len(os.listdir(f"/proc/{pid}/fd"))
                    rss = _rss_kib(pid)
                except OSError:
                    continue  # exited between the listing and the reading
                samples.append(ProcessSample(name if position == 0 else f"{name}/child{position}", pid, cmdline,
                                             descriptors, rss))
        return samples

    def still_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 40) -> None:
        """Ctrl-C as a user does: honcho stops every process; whatever outlives that is killed."""
        if self.process is None:
            return
        remaining = _commands([pid for root in self.honcho_processes().values() for pid in _descendants(root)])
        if self.process.poll() is None:
            for pid in _children(self.process.pid) or [self.process.pid]:  # honcho, exec'd by make's shell
                os.kill(pid, signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for pid, cmdline in remaining:  # only what this run started and is still the same program
            if (pid, cmdline) in _commands([pid]):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
