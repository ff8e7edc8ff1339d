"""The schedules the gateway needs to work (DESIGN.md "Processes"), declared here rather than as
rows a migration once wrote: beat reinstalls them at every start (webview.beat.SystemScheduler),
re-enabled and with these settings, and Settings › Scheduled tasks shows them read-only. Without
them polling or storing would stop without a word.

Pure data (Celery's beat_schedule format): settings import it before Django is set up."""

from datetime import timedelta

SYSTEM_SCHEDULES: dict[str, dict] = {
    # DESIGN.md "polling": one 1-second tick for the whole site, on the acquisition queue; a tick
    # not taken within its second is dropped (the next one carries the same devices).
    "Acquisition tick": {
        "task": "devices.tasks.acquisition_tick",
        "schedule": timedelta(seconds=1),
        "options": {"queue": "acquisition", "expire_seconds": 1},
    },
    "Datalogger: store ended periods": {
        "task": "datalogger.tasks.close_periods",
        "schedule": timedelta(seconds=30),
        "options": {"expire_seconds": 30},
    },
    "Datalogger: pack closed days": {
        "task": "datalogger.tasks.compact_days",
        "schedule": timedelta(hours=1),
    },
    "Purge expired sessions and API tokens": {
        "task": "cybersecurity.tasks.purge_expired_sessions",
        "schedule": timedelta(hours=1),
    },
}

# Tasks whose every run would otherwise write routine lines (beat's "Sending due task", the
# worker's "received" and "succeeded"): ~86,000 a day for the tick alone. Their warnings and
# errors are kept, and the tasks log what they did when it matters.
ROUTINE_TASKS: frozenset[str] = frozenset(entry["task"] for entry in SYSTEM_SCHEDULES.values())


def is_system_schedule(name: str) -> bool:
    return name in SYSTEM_SCHEDULES
