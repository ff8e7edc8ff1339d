"""Process logs carry one clock: UTC, as ISO-8601 (DESIGN.md: storage and logs in UTC)."""

import logging
import logging.config
from datetime import UTC, datetime

from django.conf import settings


def _console_formatter() -> logging.Formatter:
    # The formatter exactly as settings.LOGGING declares it for the console handler.
    config = {"version": 1, "formatters": settings.LOGGING["formatters"],
              "handlers": {"h": {"class": "logging.NullHandler",
                                 "formatter": settings.LOGGING["handlers"]["console"]["formatter"]}},
              "loggers": {"test.log_format": {"handlers": ["h"], "propagate": False}}}
    logging.config.dictConfig({**config, "disable_existing_loggers": False})
    return logging.getLogger("test.log_format").handlers[0].formatter


def test_process_log_lines_are_stamped_in_utc_iso_whatever_the_site_zone():
    assert settings.TIME_ZONE != "UTC"  # the test means something only off UTC
    formatter = _console_formatter()
    # 01:30 UTC on 2026-10-25 is inside Paris's repeated autumn hour: a local stamp is ambiguous.
    instant = datetime(2026, 10, 25, 1, 30, 0, 250000, tzinfo=UTC)
    record = logging.LogRecord("webview.test", logging.INFO, __file__, 1, "stored %s", (instant.isoformat(),), None)
    record.created = instant.timestamp()
    record.msecs = 250.0
    line = formatter.format(record)
    assert line == "2026-10-25T01:30:00.250Z INFO webview.test: stored 2026-10-25T01:30:00.250000+00:00"
