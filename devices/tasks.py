"""Acquisition tasks. The tick is thin and safe to repeat: it hands the enabled devices to the
worker process's loop, which decides what is due."""

from celery import shared_task
from celery.signals import worker_process_shutdown

from devices import selectors

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
