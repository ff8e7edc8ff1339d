"""The acquisition worker's long-lived asyncio loop (DESIGN.md "Library choices"): a 1-second
beat tick hands the enabled devices over; the loop polls each one when it is due, keeps one
connection per link, backs off from devices that stay offline, and polls only the links whose
lease it holds (several workers share a site)."""

import asyncio
import logging
import threading
import time

from redis.exceptions import RedisError

from devices import live
from devices.acquisition.cycle import RECORD_CONCURRENCY, by_link, poll_device
from devices.acquisition.leases import LinkLeases
from devices.acquisition.spec import DeviceSpec
from devices.acquisition.transport import LinkPool

MAX_BACKOFF_SECONDS = 60.0
logger = logging.getLogger(__name__)


class AcquisitionLoop:
    def __init__(self, owner: str | None = None) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="acquisition-loop", daemon=True)
        self.thread.start()
        self.pool = LinkPool()
        self.redis = live.redis_client()
        self.recorder = live.LiveRecorder(self.redis)
        self.leases = LinkLeases(self.redis, owner)
        self.links: set[tuple] = set()
        self.next_due: dict[int, float] = {}
        self.failures: dict[int, int] = {}
        self.in_flight: set[int] = set()
        self.specs: dict[int, DeviceSpec] = {}  # as the last tick handed them over
        self.wakeups: dict[tuple, asyncio.TimerHandle] = {}
        self.recording = asyncio.Semaphore(RECORD_CONCURRENCY)

    def submit(self, specs: list[DeviceSpec]) -> None:
        """Called from the Celery task's thread; returns at once."""
        future = asyncio.run_coroutine_threadsafe(self._schedule(specs), self.loop)
        future.add_done_callback(_log_failure)

    async def _schedule(self, specs: list[DeviceSpec]) -> None:
        known = {spec.id for spec in specs}
        for device_id in set(self.next_due) - known:  # deleted or disabled devices
            self.next_due.pop(device_id, None)
            self.failures.pop(device_id, None)
            self.recorder.forget(device_id)
        self.specs = {spec.id: spec for spec in specs}
        try:
            self.links = await self.leases.held(spec.link for spec in specs)
        except RedisError:
            logger.warning("acquisition leases unavailable (Redis); polling paused")
            return
        self._start_due(self.specs.values())

    def _start_due(self, specs) -> None:
        now = time.monotonic()
        due = [spec for spec in specs if spec.link in self.links and spec.id not in self.in_flight
               and self.next_due.get(spec.id, 0) <= now]
        for link, link_specs in by_link(due).items():
            self.in_flight.update(spec.id for spec in link_specs)
            self.loop.create_task(self._poll_link(link, link_specs))

    async def _poll_link(self, link: tuple, specs: list[DeviceSpec]) -> None:
        # One task per link: its devices share one line and would only queue on its lock.
        for spec in specs:
            await self._poll(spec)
        self._wake_later(link)

    def _wake_later(self, link: tuple) -> None:
        """Poll the link again when its next device is due, between ticks: a poll interval is kept
        to the loop's precision, not rounded up to the next 1-second tick."""
        dues = [self.next_due[spec.id] for spec in self.specs.values() if spec.link == link and spec.id in self.next_due]
        if not dues:
            return
        if (handle := self.wakeups.pop(link, None)) is not None:
            handle.cancel()
        delay = max(0.0, min(dues) - time.monotonic())
        self.wakeups[link] = self.loop.call_later(
            delay, lambda: self._start_due(spec for spec in self.specs.values() if spec.link == link))

    async def _poll(self, spec: DeviceSpec) -> None:
        started = time.monotonic()
        online = False
        try:
            reading, _message = await poll_device(spec, self.pool, self.recorder, self.recording)
            online = reading.online
        except Exception:
            # A bug or a lost Redis must not stop the loop: log it, back off, poll again later.
            logger.exception("polling device %s (%s) failed", spec.id, spec.name)
        finally:
            self.in_flight.discard(spec.id)
        failures = 0 if online else self.failures.get(spec.id, 0) + 1
        self.failures[spec.id] = failures
        delay = min(spec.poll_seconds * 2 ** max(failures - 1, 0), max(MAX_BACKOFF_SECONDS, spec.poll_seconds))
        self.next_due[spec.id] = started + delay

    def stop(self) -> None:
        async def shutdown() -> None:
            for handle in self.wakeups.values():
                handle.cancel()
            await self.leases.release(self.links)
            self.pool.close()
            await self.redis.aclose()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(timeout=5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("acquisition scheduling failed", exc_info=future.exception())
