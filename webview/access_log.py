"""daphne's access log stamped in UTC, like every other process log (DESIGN.md "Time").

daphne stamps each line with ``datetime.now()``: the process's local time, which Django sets to
the site's zone when it loads the settings, so under honcho's UTC prefix a line carried two
clocks. Its access log has no option for the stamp, so the one method that formats it is
replaced: the same NCSA-style line, the time in ISO-8601 UTC."""

from datetime import datetime, timezone

from daphne.access import AccessLogGenerator


def _write_entry(self: AccessLogGenerator, host: str, date: datetime, request: str, status: int | None = None,
                 length: int | None = None, ident: str | None = None, user: str | None = None) -> None:
    stamp = date.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # a naive date is local time
    self.stream.write(f'{host} {ident or "-"} {user or "-"} [{stamp}] "{request}" {status or "-"} {length or "-"}\n')


def stamp_in_utc() -> None:
    AccessLogGenerator.write_entry = _write_entry
