"""Acquisition tasks. The tick is thin and safe to repeat: it hands the enabled devices to the
worker process's loop, which decides what is due."""

import logging

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.core.exceptions import ValidationError

from devices import selectors

logger = logging.getLogger(__name__)
_loop = None  # one AcquisitionLoop per worker process (the acquisition queue runs one process)


def acquisition_loop():
    global _loop
    if _loop is None:
        from devices.acquisition.loop import AcquisitionLoop

        _loop = AcquisitionLoop()
    return _loop


@shared_task(ignore_result=True, expires=1)
def acquisition_tick() -> int:
    specs = selectors.enabled_device_specs()
    acquisition_loop().submit(specs)
    return len(specs)


@worker_process_shutdown.connect
def _stop_loop(**kwargs) -> None:
    if _loop is not None:
        _loop.stop()


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
