"""The acquisition worker's long-lived asyncio loop (DESIGN.md "Library choices"): a 1-second
beat tick hands the enabled devices over; the loop polls each one when it is due, keeps one
connection per link, backs off from devices that stay offline, and polls only the links whose
lease it holds (several workers share a site).

It runs for months: what it keeps per device or link (connections, timers, plans, remembered
payloads) goes when the device is removed or the link's lease moves to another worker."""

import asyncio
import logging
import threading
import time
from collections.abc import Iterable

from redis.exceptions import RedisError

from devices import live
from devices.acquisition.cycle import RECORD_CONCURRENCY, by_link, poll_device
from devices.acquisition.leases import LEASE_MILLISECONDS, LinkLeases
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
        self.links: set[tuple] = set()  # the links whose lease this worker holds
        self.leased_at = 0.0  # when Redis last confirmed them (monotonic)
        self.next_due: dict[int, float] = {}
        self.failures: dict[int, int] = {}
        self.offline: set[int] = set()  # devices last seen offline (logged once, with the reason)
        self.polling: set[tuple] = set()  # links with a poll task running: one task per line
        self.specs: dict[int, DeviceSpec] = {}  # as the last tick handed them over
        self.wakeups: dict[tuple, asyncio.TimerHandle] = {}
        self.recording = asyncio.Semaphore(RECORD_CONCURRENCY)
        # Ticks that arrive while one is being scheduled (Redis slow) are folded into the next:
        # they never pile up, each holding a Redis connection.
        self._scheduling = False
        self._waiting: list[DeviceSpec] | None = None

    def submit(self, specs: list[DeviceSpec]) -> None:
        """Called from the Celery task's thread; returns at once."""
        future = asyncio.run_coroutine_threadsafe(self._schedule(specs), self.loop)
        future.add_done_callback(_log_failure)

    async def _schedule(self, specs: list[DeviceSpec]) -> None:
        if self._scheduling:
            self._waiting = specs
            return
        self._scheduling = True
        try:
            while specs is not None:
                await self._schedule_once(specs)
                specs, self._waiting = self._waiting, None
        finally:
            self._scheduling = False

    async def _schedule_once(self, specs: list[DeviceSpec]) -> None:
        known = {spec.id for spec in specs}
        for device_id in (set(self.next_due) | set(self.specs)) - known:  # deleted or disabled devices
            self._forget_device(device_id)
        self.specs = {spec.id: spec for spec in specs}
        try:
            held = await self.leases.held(spec.link for spec in specs)
        except RedisError:
            logger.warning("acquisition leases unavailable (Redis); polling paused")
            return
        gained, self.links, self.leased_at = held - self.links, held, time.monotonic()
        if gained:
            # What this worker remembered of a link it takes (back) over is stale: another worker
            # published since. Its next reading is published whatever it was before.
            self.recorder.take_over(spec.id for spec in specs if spec.link in gained)
        self._let_go(self.pool.keys() - held - self.polling)
        self._start_due(self.specs.values())
        for link in held - self.polling - set(self.wakeups):  # e.g. just taken over, not due yet
            self._wake_later(link)

    def _forget_device(self, device_id: int) -> None:
        self.next_due.pop(device_id, None)
        self.failures.pop(device_id, None)
        self.offline.discard(device_id)
        self.recorder.forget(device_id)
        self.pool.forget(device_id)

    def _let_go(self, links: Iterable[tuple]) -> None:
        """Close the connections and timers of links this worker no longer polls (removed, moved
        to another address, or leased by another worker): a meter accepts only a few clients."""
        links = set(links)
        for link in links:
            if (handle := self.wakeups.pop(link, None)) is not None:
                handle.cancel()
        self.pool.close_links(links)

    def _start_due(self, specs: Iterable[DeviceSpec]) -> None:
        now = time.monotonic()
        if now - self.leased_at > LEASE_MILLISECONDS / 1000:
            return  # no tick renewed the leases in time: another worker may poll these links now
        due = [spec for spec in specs if spec.link in self.links and spec.link not in self.polling
               and self.next_due.get(spec.id, 0) <= now]
        for link, link_specs in by_link(due).items():
            self.polling.add(link)
            self.loop.create_task(self._poll_link(link, link_specs))

    async def _poll_link(self, link: tuple, specs: list[DeviceSpec]) -> None:
        # One task per link: its devices share one line and would only queue on its lock.
        try:
            for spec in specs:
                await self._poll(spec)
        finally:
            self.polling.discard(link)
        if link in self.links and any(spec.link == link for spec in self.specs.values()):
            self._wake_later(link)
        else:  # the lease moved, or the link's devices went, while it was being polled
            self._let_go([link])

    def _wake_later(self, link: tuple) -> None:
        """Poll the link again when its next device is due, between ticks: a poll interval is kept
        to the loop's precision, not rounded up to the next 1-second tick."""
        dues = [self.next_due[spec.id] for spec in self.specs.values() if spec.link == link and spec.id in self.next_due]
        if not dues:
            return
        if (handle := self.wakeups.pop(link, None)) is not None:
            handle.cancel()
        delay = max(0.0, min(dues) - time.monotonic())
        self.wakeups[link] = self.loop.call_later(delay, self._wake, link)

    def _wake(self, link: tuple) -> None:
        self.wakeups.pop(link, None)
        self._start_due(spec for spec in self.specs.values() if spec.link == link)

    async def _poll(self, spec: DeviceSpec) -> None:
        started = time.monotonic()
        online = False
        try:
            reading, _message = await poll_device(spec, self.pool, self.recorder, self.recording)
            online = reading.online
        except Exception:
            # A bug or a lost Redis must not stop the loop: log it, back off, poll again later.
            logger.exception("polling device %s (%s) failed", spec.id, spec.name)
            reading = None
        if spec.id not in self.specs:  # removed while it was being polled: keep nothing of it
            self._forget_device(spec.id)
            return
        if reading is not None:
            self._log_state(spec, reading.online, reading.reason)
        failures = 0 if online else self.failures.get(spec.id, 0) + 1
        self.failures[spec.id] = failures
        delay = min(spec.poll_seconds * 2 ** max(failures - 1, 0), max(MAX_BACKOFF_SECONDS, spec.poll_seconds))
        self.next_due[spec.id] = started + delay

    def _log_state(self, spec: DeviceSpec, online: bool, reason: str) -> None:
        """One line per change of a device's state, not one per failed poll (a dead meter polled
        for days would fill the log): offline with its reason, then back online."""
        if not online and spec.id not in self.offline:
            self.offline.add(spec.id)
            logger.warning("device %s (%s) offline: %s", spec.id, spec.name, reason)
        elif online and spec.id in self.offline:
            self.offline.discard(spec.id)
            logger.info("device %s (%s) back online", spec.id, spec.name)

    def stop(self) -> None:
        async def shutdown() -> None:
            for handle in self.wakeups.values():
                handle.cancel()
            self.wakeups.clear()
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            try:
                # Bounded: a stalled Redis must not hold the worker's shutdown (leases expire anyway).
                await asyncio.wait_for(self.leases.release(self.links), 2.0)
            except (RedisError, asyncio.TimeoutError):
                logger.warning("acquisition leases not released (Redis); they expire by themselves")
            self.pool.close()
            await self.redis.aclose()

        asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(timeout=5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        if not self.thread.is_alive():
            try:
                self.loop.close()  # channels_redis closes this loop's connections here
            except RedisError:
                logger.warning("acquisition loop closed without a word to Redis (unavailable)")


def _log_failure(future) -> None:
    if not future.cancelled() and future.exception() is not None:
        logger.error("acquisition scheduling failed", exc_info=future.exception())
