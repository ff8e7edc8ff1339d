"""Acquisition tasks. The tick is thin and safe to repeat: it hands the enabled devices to the
worker process's loop, which decides what is due."""

import logging
import threading

from celery import shared_task
from celery.signals import worker_process_shutdown, worker_shutdown
from django.core.exceptions import ValidationError

from devices import selectors

logger = logging.getLogger(__name__)
# One AcquisitionLoop per worker process, whatever the pool: the threads pool of the one-process
# worker runs ticks in several threads, which must all hand over to the same loop.
_loop = None
_loop_lock = threading.Lock()


def acquisition_loop():
    global _loop
    with _loop_lock:
        if _loop is None:
            from devices.acquisition.loop import AcquisitionLoop

            _loop = AcquisitionLoop()
    return _loop


@shared_task(ignore_result=True, expires=1)
def acquisition_tick() -> int:
    specs = selectors.enabled_device_specs()
    acquisition_loop().submit(specs)
    return len(specs)


@worker_process_shutdown.connect  # a prefork child
@worker_shutdown.connect  # the solo and threads pools: the loop lives in the worker itself
def _stop_loop(**kwargs) -> None:
    global _loop
    with _loop_lock:
        loop, _loop = _loop, None
    if loop is not None:
        loop.stop()


@shared_task(ignore_result=True)
def import_topology(gateway_id: int) -> int:
    """Scan behind a gateway and add the devices found (minutes on a slow line: never in a request)."""
    from devices import scan_progress
    from devices.autodetect import import_topology as scan_and_add
    from devices.models import Device

    gateway = Device.objects.filter(pk=gateway_id).first()
    if gateway is None:
        scan_progress.failed(gateway_id, "the gateway was deleted")
        return 0
    try:
        found = scan_and_add(gateway, scan_progress.reporter(gateway_id))
    except (OSError, ValidationError) as error:  # unreachable gateway, or not a gateway any more
        scan_progress.failed(gateway_id, "; ".join(getattr(error, "messages", [])) or str(error))
        logger.warning("topology of %s (%s) not scanned: %s", gateway.name, gateway.pk, error)
        return 0
    scan_progress.finished(gateway_id, found)
    added = sum(item.outcome == "added" for item in found)
    logger.info("topology of %s (%s): %d found, %d added", gateway.name, gateway.pk, len(found), added)
    return added
