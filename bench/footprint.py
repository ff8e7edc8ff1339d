"""Memory footprint and first-page weight of the gateway as `make run` starts it (issue 10).

Starts `make run` on the demo site (embedded Redis, SQLite, the Procfile's processes and the
simulator) with its own data dir and ports, lets it run, then reports for every process it
started the RSS and the PSS (/proc/PID/smaps_rollup: shared pages counted once, split between
the processes sharing them) and the totals without the simulator. Then signs in with headless
Chromium and loads the first page after sign-in with a cold cache, counting the encoded
(compressed) bytes of every response. Stops everything it started.

    .venv/bin/python bench/footprint.py [--minutes 5] [--port 8103] [--demo-port 5300]
        [--tree DIR]   # run another checkout's `make run` (e.g. a git worktree of an older commit)

Targets (issue 10): at most 350 MB PSS for web, workers, beat and Redis together; at most
150 KiB transferred for the first page after sign-in.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PSS_TARGET_MB = 350
FIRST_PAGE_TARGET_KIB = 150
GATEWAY_ROLES = ("redis", "web", "worker", "beat")  # what the PSS target counts


@dataclass
class Measured:
    pid: int
    parent: int
    role: str
    command: str
    rss_kb: int
    pss_kb: int


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(parent, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[tuple[int, int]]:
    """(pid, parent) of every process under ``pid``, depth first."""
    tree, found, stack = _children(), [], [pid]
    while stack:
        parent = stack.pop()
        for child in sorted(tree.get(parent, [])):
            found.append((child, parent))
            stack.append(child)
    return found


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()


def _role(command: str, parent_role: str | None) -> str:
    words = command.split()
    names = [Path(word).name for word in words]
    if any(name.startswith("redis-server") for name in names):
        return "redis"
    if "daphne" in names:
        return "web"
    if "simulate" in words:
        return "simulator"
    if "celery" in names:
        if parent_role in ("worker", "worker child"):
            return "worker child"  # a prefork child or the beat that --beat forks
        if "beat" in words and "worker" not in words:
            return "beat"
        if "worker" in words:
            return "worker"
    if "honcho" in names:
        return "honcho"
    if names and names[0] in ("make", "bash", "sh"):
        return names[0]
    return "other"


def _kb(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure(root_pid: int) -> list[Measured]:
    roles: dict[int, str] = {}
    rows = []
    for pid, parent in descendants(root_pid):
        try:
            command = _command(pid)
            role = _role(command, roles.get(parent))
            roles[pid] = role
            rows.append(Measured(pid, parent, role, command, _kb(Path(f"/proc/{pid}/status"), "VmRSS"),
                                 _kb(Path(f"/proc/{pid}/smaps_rollup"), "Pss")))
        except (OSError, ValueError):
            continue  # a short-lived process (wait_for_redis) that ended meanwhile
    return rows


def _listens(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def first_page_bytes(port: int) -> tuple[int, int, int, dict[str, int]]:
    """Sign in as User (no password), then open the first page after sign-in in a new context
    (cold cache) with the session: (requests, encoded body bytes, with headers, bytes by type)."""
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-quic"])
        signing_in = browser.new_context(base_url=base)
        page = signing_in.new_page()
        page.goto("/login/")
        page.select_option("select[name=profile]", "user")
        page.click("form[data-login-form] button[type=submit]")
        page.wait_for_url(f"{base}/")
        state = signing_in.storage_state()
        signing_in.close()
        cold = browser.new_context(base_url=base, storage_state=state)
        page = cold.new_page()
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto("/", wait_until="networkidle")
        assert page.url == f"{base}/", f"not signed in: {page.url}"
        body = headers = 0
        by_type: dict[str, int] = {}
        for request in finished:
            sizes = request.sizes()
            body += sizes["responseBodySize"]
            headers += sizes["responseHeadersSize"]
            by_type[request.resource_type] = by_type.get(request.resource_type, 0) + sizes["responseBodySize"]
        cold.close()
        browser.close()
    return len(finished), body, body + headers, by_type


def stop(make: subprocess.Popen, started: list[int]) -> None:
    """honcho stops its processes on SIGTERM; whatever is left of what we started is killed."""
    honcho = [pid for pid, _ in descendants(make.pid) if "honcho" in _command_or_empty(pid)]
    for pid in honcho or [make.pid]:
        os.kill(pid, signal.SIGTERM)
    try:
        make.wait(timeout=30)
    except subprocess.TimeoutExpired:
        make.kill()
    for pid in started:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _command_or_empty(pid: int) -> str:
    try:
        return _command(pid)
    except OSError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--demo-port", type=int, default=5300)
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout whose `make run` is measured")
    parser.add_argument("--keep", action="store_true", help="keep the data dir")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="webview-footprint-"))
    # A new box: its own Redis (embedded), database (SQLite) and settings; not our make flags or TZ.
    env = {key: value for key, value in os.environ.items()
           if key not in ("REDIS_URL", "DATABASE_URL", "TZ", "MAKEFLAGS", "MAKELEVEL", "MFLAGS",
                          "WEBVIEW_TEST_DATABASE_NAME", "WEBVIEW_E2E_DATABASE_NAME", "WEBVIEW_CELERY_EAGER")}
    env.update(WEBVIEW_DATA_DIR=str(data_dir), WEBVIEW_PORT=str(args.port), WEBVIEW_DEMO_PORT=str(args.demo_port),
               WEBVIEW_DEMO="1", DJANGO_SETTINGS_MODULE="webview.settings")
    env.pop("WEBVIEW_CHANNEL_PREFIX", None)
    log = data_dir / "make-run.log"
    print(f"make run in {args.tree}, data dir {data_dir}, web :{args.port}, demo meters from :{args.demo_port}")
    with log.open("w") as out:
        # This checkout's venv, taken as installed (-o): a measured tree never reinstalls it.
        venv = ROOT / ".venv"
        env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
        make = subprocess.Popen(["make", "-o", "install", "-o", str(venv / ".installed"), "run", f"VENV={venv}"],
                                cwd=args.tree, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    started: list[int] = []
    try:
        deadline = time.monotonic() + 600  # migrate, the demo's year of history, then the processes
        while not _listens(args.port):
            if make.poll() is not None:
                sys.exit(f"make run exited with {make.returncode}:\n{log.read_text()[-3000:]}")
            if time.monotonic() > deadline:
                sys.exit(f"the web process did not listen within 600 s:\n{log.read_text()[-3000:]}")
            time.sleep(1)  # polling the port, with a deadline
        print(f"gateway up; measuring after {args.minutes:g} min")
        time.sleep(args.minutes * 60)  # the duration under test, not a synchronisation
        rows = measure(make.pid)
        started = [row.pid for row in rows]
        print(f"\n{'role':<13} {'pid':>7} {'RSS MB':>8} {'PSS MB':>8}  command")
        for row in rows:
            print(f"{row.role:<13} {row.pid:>7} {row.rss_kb / 1024:>8.1f} {row.pss_kb / 1024:>8.1f}  {row.command[:90]}")
        without_simulator = [row for row in rows if row.role != "simulator"]
        gateway = [row for row in rows if row.role in GATEWAY_ROLES or row.role == "worker child"]
        for label, chosen in (("all but the simulator", without_simulator),
                              ("web + workers + beat + Redis", gateway)):
            rss = sum(row.rss_kb for row in chosen) / 1024
            pss = sum(row.pss_kb for row in chosen) / 1024
            print(f"total, {label}: RSS {rss:.0f} MB, PSS {pss:.0f} MB")
        gateway_pss = sum(row.pss_kb for row in gateway) / 1024
        print(f"target: PSS ≤ {PSS_TARGET_MB} MB for web + workers + beat + Redis: "
              f"{'met' if gateway_pss <= PSS_TARGET_MB else 'NOT met'}")
        requests, body, total, by_type = first_page_bytes(args.port)
        print(f"\nfirst page after sign-in, cold cache: {requests} responses, {body / 1024:.1f} KiB encoded bodies, "
              f"{total / 1024:.1f} KiB with headers (target ≤ {FIRST_PAGE_TARGET_KIB} KiB: "
              f"{'met' if total / 1024 <= FIRST_PAGE_TARGET_KIB else 'NOT met'})")
        print("  by type: " + ", ".join(f"{kind} {size / 1024:.1f} KiB" for kind, size in sorted(by_type.items())))
        tracebacks = log.read_text(errors="replace").count("Traceback")
        print(f"\ntracebacks in the run's log: {tracebacks}")
    finally:
        stop(make, started)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
