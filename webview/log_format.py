"""Process logs are in UTC with an ISO-8601 timestamp, whatever the site's zone.

Django sets the process's TZ to settings.TIME_ZONE, so logging's default ``asctime`` would be
the site's local time while the messages (stored periods, leases, timestamps of readings) carry
UTC instants: one line would mix both clocks, and the repeated autumn hour would be ambiguous.
"""

import logging
import time


class UTCFormatter(logging.Formatter):
    """``2026-10-25T01:30:00.123Z LEVEL logger: message``."""

    converter = time.gmtime

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's name)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created))
        return f"{stamp}.{int(record.msecs):03d}Z"
