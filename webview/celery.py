"""The Celery app. `celery -A webview worker --beat` is the whole back end in one process: it
consumes both queues (settings.CELERY_TASK_QUEUES), runs tasks in threads so that the acquisition
loop is one per process, and embeds beat with the schedules of system.schedules."""

import logging
import os
import warnings

from celery import Celery, signals
from celery.exceptions import SecurityWarning

from system.schedules import ROUTINE_TASKS

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webview.settings")

app = Celery("webview")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger("webview.celery")


class RoutineTaskLines(logging.Filter):
    """Drops the INFO lines Celery writes for every run of a system schedule's task (beat's
    "Sending due task", the worker's "received", "succeeded", "Discarding revoked task" of an
    expired tick); warnings and errors, and every line about other tasks, pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        args = record.args
        values = args.values() if isinstance(args, dict) else (args or ())
        return not any(isinstance(value, str) and value in ROUTINE_TASKS for value in values)


for name in ("celery.beat", "celery.worker.strategy", "celery.app.trace", "celery.worker.request"):
    logging.getLogger(name).addFilter(RoutineTaskLines())

# Celery warns in twelve lines, in every process, that it runs as root and should be given --uid.
# The gateway's one worker says it once, in one line, with what to do about it.
warnings.filterwarnings("ignore", category=SecurityWarning, message=r"(?s).*superuser privileges")


@signals.after_setup_logger.connect
@signals.after_setup_task_logger.connect
def _utc_stamps(logger: logging.Logger, format: str, **kwargs) -> None:  # noqa: A002 (Celery's name)
    # Celery formats its own lines with the process's local time (Django sets TZ to the site's
    # zone): the same format, stamped in UTC as every process log (webview.log_format).
    from webview.log_format import UTCFormatter

    for handler in logger.handlers:
        handler.setFormatter(UTCFormatter(format))


@signals.worker_ready.connect
def _warn_if_root(**kwargs) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        logger.warning("the worker runs as root: run the gateway as an unprivileged user on a real box")
