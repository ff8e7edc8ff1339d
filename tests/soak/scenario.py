"""The soak: `make run` left polling for minutes with a signed-in browser on a quiet Monitor page,
meters that fail in five ways, a good meter that dies and comes back, and meters logged every
minute; what the checks of test_soak.py need is gathered here, once, into a SoakResult."""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from django.conf import settings
from playwright.sync_api import Page, sync_playwright

from cybersecurity.profiles import DEFAULT_PASSWORDS
from devices.catalogue import catalogue
from tests.devices.conftest import free_port, free_port_range, unit_with_values
from tests.e2e.flows import STRONG_PASSWORD, change_password, expect_home, sign_in
from tests.soak.faulty_meters import Fault, FaultyMeter
from tests.soak.gateway import BASE_DIR, DEMO_PORTS, Gateway, ProcessSample
from webview.demo.modbus_server import SimulatedLink, ThreadedLinks

# The soak itself: long enough for hundreds of polls, minutes of storage and a meter's outage,
# short enough for CI (the tier stays under ~8 minutes with start-up and checks).
SOAK_SECONDS = float(os.environ.get("WEBVIEW_SOAK_SECONDS", "240"))
EARLY_SAMPLE_SECONDS = 30.0  # the first sample, once every process has served and polled a while
OUTAGE = (0.25, 0.5)  # parts of the soak after which the revived meter's server stops, and is back
START_TIMEOUT = 600.0  # `make run` on a fresh data directory: migrate, collectstatic, a year of history
# (about a minute on a free box; a timeout, not a wait: the tier goes on as soon as daphne listens)
REFERENCE = "A-10"
QUIET_VALUES = {"U12": 400.0, "U23": 400.0, "U31": 400.0, "V1": 230.0, "V2": 230.0, "V3": 230.0, "F": 50.0,
                "I1": 10.0, "I2": 10.0, "I3": 10.0, "P": 6.6, "Q": 1.2, "S": 6.9, "PF": 0.95, "EA_IMP": 1000.0}
CHANGED_V1 = 231.5  # the quiet meter's one change at the end
RAMP_START_KWH, RAMP_SECONDS_PER_KWH = 1000, 2.0  # the logged meter's counter: +1 kWh every 2 s
FAULTS = [fault for fault in Fault for _copy in range(2)]  # two of each, on ports of their own


@dataclass
class SoakResult:
    gateway: Gateway
    devices: dict[str, int] = field(default_factory=dict)
    circuits: dict[str, int] = field(default_factory=dict)
    early: list[ProcessSample] = field(default_factory=list)
    late: list[ProcessSample] = field(default_factory=list)
    timeline: list[tuple[float, list[ProcessSample]]] = field(default_factory=list)
    alive_at_end: dict[str, bool] = field(default_factory=dict)
    sockets: list[str] = field(default_factory=list)
    socket_closes: list[tuple[float, str]] = field(default_factory=list)
    banner_shown: list[float] = field(default_factory=list)
    banner_hidden_at_end: bool = False
    console_errors: list[str] = field(default_factory=list)  # the page's console errors and uncaught exceptions
    quiet_frames_during_soak: int = 0
    change_seen_after: float | None = None
    revived_offline_seen: bool = False
    revived_status_at_end: str = ""
    failing_status: dict[str, str] = field(default_factory=dict)
    quiet_points: list[list] = field(default_factory=list)
    ramp_index: list[list] = field(default_factory=list)
    ramp_consumption: dict = field(default_factory=dict)
    changed_at: datetime | None = None  # when the quiet meter changed (wall clock)
    phases: dict[str, float] = field(default_factory=dict)  # seconds since `make run`, for the report
    log: str = ""
    log_before_stop: str = ""

    def summary(self) -> dict:
        """What the report quotes: one line per check's figures."""
        return {
            "devices": self.devices,
            "early": [vars(s) for s in self.early], "late": [vars(s) for s in self.late],
            "timeline": [(t, [(s.name, s.descriptors, s.rss_kib) for s in samples]) for t, samples in self.timeline],
            "sockets": self.sockets, "socket_closes": self.socket_closes, "banner_shown": self.banner_shown,
            "console_errors": self.console_errors,
            "change_seen_after": self.change_seen_after, "revived_offline_seen": self.revived_offline_seen,
            "revived_status_at_end": self.revived_status_at_end, "failing_status": self.failing_status,
            "quiet_points": self.quiet_points, "ramp_index": self.ramp_index,
            "ramp_consumption": self.ramp_consumption, "alive_at_end": self.alive_at_end, "phases": self.phases,
        }


def wait_until(page: Page, condition: Callable[[], object], timeout: float, what: str) -> object:
    """Poll ``condition`` until it is truthy; Playwright's wait lets the page's events arrive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        page.wait_for_timeout(250)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


# Records when the page shows its "Connection to the gateway lost" banner, from the first paint on.
BANNER_WATCH = """
window.__soakBanner = [];
document.addEventListener("DOMContentLoaded", () => {
  const banner = document.querySelector("[data-connection]");
  if (!banner) return;
  new MutationObserver(() => { if (!banner.hidden) window.__soakBanner.push(Date.now()); })
    .observe(banner, { attributes: true, attributeFilter: ["hidden"] });
});
"""


class Soak:
    def __init__(self) -> None:
        data_dir = settings.DATA_DIR / "gateway"  # a new box every run, kept afterwards to read
        shutil.rmtree(data_dir, ignore_errors=True)
        self.gateway = Gateway(data_dir, free_port(), free_port_range(DEMO_PORTS))
        self.result = SoakResult(self.gateway)
        self.register_map = catalogue().reference(REFERENCE).register_map
        self.quiet = unit_with_values(1, QUIET_VALUES, self.register_map)
        self.ramp = unit_with_values(1, {**QUIET_VALUES, "EA_IMP": RAMP_START_KWH}, self.register_map)
        self.revived = unit_with_values(1, QUIET_VALUES, self.register_map)
        self.links = {name: SimulatedLink("127.0.0.1", free_port(), [unit])
                      for name, unit in (("quiet", self.quiet), ("ramp", self.ramp), ("revived", self.revived))}
        self.meters = ThreadedLinks(self.links.values())
        self.faulty = [FaultyMeter(fault) for fault in FAULTS]
        self.frames: list[tuple[float, dict]] = []
        self.started = 0.0

    def phase(self, name: str) -> None:
        self.result.phases[name] = round(time.monotonic() - self.started, 1)

    # -- the run ---------------------------------------------------------------------------------

    def run(self) -> SoakResult:
        self.meters.start()
        try:
            for meter in self.faulty:
                self.meters.call(meter.start())
            self._ramp_counter()
            self.started = time.monotonic()
            self.gateway.start()
            try:
                self.gateway.wait_until_serving(START_TIMEOUT)
                self.phase("serving")
                self._add_devices()
                self.phase("devices added")
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path="/usr/bin/chromium",
                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                              "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
                    # A browser in another zone than the site's (Europe/Paris), as in the field.
                    context = browser.new_context(base_url=self.gateway.url, timezone_id="America/New_York",
                                                  locale="en-US")
                    try:
                        self._soak(context.new_page(), context.request)
                    finally:
                        context.close()
                        browser.close()
            finally:
                self.result.alive_at_end = self._alive()
                self.result.log_before_stop = self.gateway.log()
                self.gateway.stop()
                self.result.log = self.gateway.log()
        finally:
            for meter in self.faulty:
                self.meters.call(meter.stop())
            self.meters.stop()
        (self.gateway.data_dir / "soak-summary.json").write_text(json.dumps(self.result.summary(), indent=1,
                                                                            default=str))
        return self.result

    def _ramp_counter(self) -> None:
        """The logged meter's active energy rises as a load's does, in the meters' own loop."""
        register = next(r for r in self.register_map.registers if r.code == "EA_IMP")
        started = time.monotonic()

        def tick() -> None:
            self.ramp.set(register, RAMP_START_KWH + int((time.monotonic() - started) / RAMP_SECONDS_PER_KWH))
            self.meters.loop.call_later(0.5, tick)

        self.meters.loop.call_soon_threadsafe(tick)

    def _add_devices(self) -> None:
        """manage.py add_device, as the README shows, for every test-owned meter (in parallel: each
        command starts Django)."""
        wanted = {
            "quiet": (self.links["quiet"].port, ["--poll-seconds", "1", "--integration-minutes", "1"]),
            "ramp": (self.links["ramp"].port, ["--poll-seconds", "1", "--integration-minutes", "1"]),
            "revived": (self.links["revived"].port, ["--poll-seconds", "1"]),
        }
        for number, meter in enumerate(self.faulty, start=1):
            wanted[f"{meter.fault}-{number}"] = (meter.port, ["--poll-seconds", "1"])
        commands = {
            name: subprocess.Popen(
                [sys.executable, "manage.py", "add_device", "--reference", REFERENCE, "--name", f"Soak {name}",
                 "--area", "Soak", "--host", "127.0.0.1", "--port", str(port), "--unit", "1", *options],
                cwd=BASE_DIR, env=self.gateway.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, (port, options) in wanted.items()
        }
        # A guard, not a wait: 13 Django start-ups took 170 s on a box shared by nine test runs.
        outputs = {name: command.communicate(timeout=600) for name, command in commands.items()}
        for name, (out, err) in outputs.items():
            assert commands[name].returncode == 0, f"add_device {name} failed:\n{out}\n{err}"
            self.result.devices[name] = int(out.strip().splitlines()[-1])

    def _sign_in(self, page: Page) -> None:
        """Admin's first sign-in through the pages, with the forced password change (§6.1)."""
        sign_in(page, "admin")
        change_password(page, DEFAULT_PASSWORDS["admin"], STRONG_PASSWORD)
        expect_home(page)

    def _watch_page(self, page: Page) -> None:
        def opened(socket) -> None:
            self.result.sockets.append(socket.url)
            socket.on("close", lambda closed: self.result.socket_closes.append((time.monotonic(), closed.url)))
            socket.on("framereceived", lambda payload: self.frames.append((time.monotonic(), _json(payload))))

        def logged(message) -> None:
            if message.type == "error":
                self.result.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

        page.on("websocket", opened)
        page.on("console", logged)
        page.on("pageerror", lambda error: self.result.console_errors.append(f"uncaught: {error}"))

    def _soak(self, page: Page, api) -> None:
        result, devices = self.result, self.result.devices
        page.add_init_script(BANNER_WATCH)
        self._watch_page(page)
        self._sign_in(page)
        self.phase("signed in")
        for name in ("quiet", "ramp"):
            body = api.get(f"/api/v1/devices/{devices[name]}/").json()
            result.circuits[name] = body["circuits"][0]["id"]
        page.goto(f"/monitor/{devices['quiet']}/")
        wait_until(page, lambda: any(f.get("subscribed") == [devices["quiet"]] for _t, f in self.frames), 30,
                   "the Monitor page's socket subscribed to the quiet meter")

        def status(name: str) -> str:
            return api.get(f"/api/v1/devices/{devices[name]}/live/").json().get("status", "")

        wait_until(page, lambda: status("quiet") == "online" and status("revived") == "online", 60,
                   "the test-owned meters online")
        soak_started, started_at = time.monotonic(), datetime.now(timezone.utc)
        self.phase("soak started")
        stopped = restarted = False
        next_sample = 0.0
        while (elapsed := time.monotonic() - soak_started) < SOAK_SECONDS:
            if elapsed >= next_sample:
                result.timeline.append((round(elapsed), self.gateway.sample()))
                next_sample += 30.0
            if not result.early and elapsed >= EARLY_SAMPLE_SECONDS:
                result.early = self.gateway.sample()
            if not stopped and elapsed >= OUTAGE[0] * SOAK_SECONDS:
                self.meters.call(self.links["revived"].stop())
                stopped = True
            if stopped and not restarted:
                result.revived_offline_seen = result.revived_offline_seen or status("revived") == "offline"
                if elapsed >= OUTAGE[1] * SOAK_SECONDS:
                    self.meters.call(self.links["revived"].start())  # the same port, as a meter rebooted
                    restarted = True
            page.wait_for_timeout(1000)  # the soak's length is the point; nothing waits on this
        result.late = self.gateway.sample()
        self.phase("soak ended")
        result.quiet_frames_during_soak = sum(1 for t, f in self.frames
                                              if t >= soak_started and f.get("device") == devices["quiet"])
        self._change_reaches_page(page)
        result.banner_shown = page.evaluate("() => window.__soakBanner || []")
        result.banner_hidden_at_end = page.locator("[data-connection]").is_hidden()
        try:
            wait_until(page, lambda: status("revived") == "online", 90, "the revived meter back online")
        except AssertionError:
            pass  # the check reports it with the status seen
        result.revived_status_at_end = status("revived")
        result.failing_status = {name: status(name) for name in devices if name not in ("quiet", "ramp", "revived")}
        self._read_datalogger(page, api, started_at)
        self.phase("checked")

    def _change_reaches_page(self, page: Page) -> None:
        register = next(r for r in self.register_map.registers if r.code == "V1")
        changed_at = time.monotonic()
        self.result.changed_at = datetime.now(timezone.utc)
        self.meters.loop.call_soon_threadsafe(self.quiet.set, register, CHANGED_V1)
        device = self.result.devices["quiet"]

        def seen() -> bool:
            return any(t >= changed_at and f.get("device") == device
                       and any(abs((c.get("values") or {}).get("V1", 0) - CHANGED_V1) < 0.01 for c in f["circuits"])
                       for t, f in self.frames)

        try:
            wait_until(page, seen, 20, "the quiet meter's change on the page")
            self.result.change_seen_after = round(time.monotonic() - changed_at, 2)
        except AssertionError:
            self.result.change_seen_after = None

    def _read_datalogger(self, page: Page, api, started_at: datetime) -> None:
        """The minute points stored for the quiet and the logged meters, once the periods that
        ended during the soak have had time to be stored (beat stores ended periods every 30 s)."""
        # On a whole minute: the API's buckets start at the range's start, so that each is one period.
        start = (started_at - timedelta(minutes=3)).replace(second=0, microsecond=0).isoformat()

        def points(circuit: int, code: str) -> list[list]:
            end = datetime.now(timezone.utc).isoformat()
            body = api.get("/api/v1/trends/", params={"circuit": circuit, "quantity": code, "start": start,
                                                      "end": end, "points": 1000}).json()
            return [point for point in body.get("points", []) if point[2] is not None]

        expected = int(SOAK_SECONDS // 60)  # the minutes polled during the soak, the last stored within ~50 s
        try:
            wait_until(page, lambda: len(points(self.result.circuits["ramp"], "EA_IMP")) >= expected, 90,
                       "minute points of the logged meter")
        except AssertionError:
            pass  # the checks report what was stored
        self.result.quiet_points = points(self.result.circuits["quiet"], "V1")
        self.result.ramp_index = points(self.result.circuits["ramp"], "EA_IMP")
        if len(self.result.ramp_index) >= 2:
            first = datetime.fromisoformat(self.result.ramp_index[1][0])  # the first consumption after an index
            last = datetime.fromisoformat(self.result.ramp_index[-1][0]) + timedelta(minutes=1)
            self.result.ramp_consumption = api.get("/api/v1/consumption/", params={
                "circuit": self.result.circuits["ramp"], "start": first.isoformat(), "end": last.isoformat(),
                "step": "minute"}).json()

    def _alive(self) -> dict[str, bool]:
        alive = {name: os.path.exists(f"/proc/{pid}") for name, pid in self.gateway.honcho_processes().items()}
        return {**alive, "make run": self.gateway.still_running()}


def _json(payload: str | bytes) -> dict:
    try:
        message = json.loads(payload)
    except ValueError:
        return {}
    return message if isinstance(message, dict) else {}
