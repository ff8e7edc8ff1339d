"""A data file as rows of cells with the line each row starts on: the text decoded (UTF-8, or
UTF-16 with its byte order mark, as spreadsheets save "Unicode text"), the separator guessed,
and the cells parsed as numbers and times, each failure naming its line."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone, tzinfo

from django.utils.translation import gettext as _

from datalogger import values

SEPARATORS = ";\t,"  # ";" or tab as gateways write them, or "," as spreadsheets may
# A decimal number as gateways and spreadsheets write it, with "." or ",": no "inf", "nan",
# "1_000" or "0x10", which Python's float() would accept.
NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")
MISSING = ("", "N/A")


class FileRejected(Exception):
    """The file cannot be read at all: nothing is imported from it."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line, self.reason = line, reason


class CellRejected(ValueError):
    """A cell that cannot be stored; its row is rejected with this reason."""


@dataclass(frozen=True)
class Rejection:
    line: int
    reason: str


@dataclass(frozen=True)
class Row:
    line: int  # where the row starts (a quoted cell may span lines)
    cells: list[str]

    def first(self) -> str:
        return self.cells[0].lower() if self.cells else ""


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FileRejected(_line_of(data, error.start, "utf-16"), _("not UTF-16 text")) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRejected(_line_of(data, error.start, "utf-8"),
                           _("not UTF-8 text; save the file as CSV UTF-8 and import it again")) from None


def _line_of(data: bytes, offset: int, encoding: str) -> int:
    """The line holding byte ``offset``, which the text before it (valid up to there) tells."""
    return data[:offset].decode(encoding, errors="replace").count("\n") + 1


def rows(data: bytes) -> list[Row]:
    """The file's rows that hold something, cells stripped."""
    text = decode(data)
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise FileRejected(1, _("the file is empty"))
    delimiter = max(SEPARATORS, key=first.count)
    if not first.count(delimiter):
        raise FileRejected(1, _("not a semicolon, comma or tab separated file"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    result: list[Row] = []
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            if not result:  # separators only
                raise FileRejected(1, _("the file is empty")) from None
            return result
        except csv.Error as error:
            # csv's own limit, 131,072 characters (its default), far above any real cell.
            reason = (_("a cell longer than 128 KiB") if "field limit" in str(error)
                      else _("unreadable CSV: %(error)s") % {"error": error})
            raise FileRejected(line, reason) from None
        if any(cell.strip() for cell in cells):
            result.append(Row(line, [cell.strip() for cell in cells]))
        line = reader.line_num + 1


def number(cell: str) -> float | None:
    """The cell's number; None when the file says it is missing."""
    if cell in MISSING:
        return None
    if not NUMBER.fullmatch(cell):
        raise CellRejected(_("%(cell)s is not a number") % {"cell": _shown(cell)})
    return float(cell.replace(",", "."))  # 1e400 is inf here: the guard refuses it


def stored(value: float, kind: values.Kind, cell: str) -> float:
    """``value`` (read from ``cell``, scaled) if the guard lets it be stored."""
    reason = values.refusal(value, kind)
    if reason:
        raise CellRejected(_("value %(cell)s: %(reason)s") % {"cell": _shown(cell), "reason": reason})
    return value


def moment(cell: str, zone: tzinfo, now: datetime) -> datetime:
    """The cell's time in UTC: ISO 8601, in ``zone`` unless it says its own offset."""
    try:
        parsed = datetime.fromisoformat(cell)
    except ValueError:
        raise CellRejected(_("%(cell)s is not a date and time (ISO 8601)") % {"cell": _shown(cell)}) from None
    # Checked on the wall-clock time first: year 1 or 9999 cannot even be moved to UTC.
    reason = values.moment_refusal(parsed, now)
    if reason is None:
        parsed = (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).astimezone(timezone.utc)
        reason = values.moment_refusal(parsed, now)
    if reason:
        raise CellRejected(_("date %(cell)s: %(reason)s") % {"cell": _shown(cell), "reason": reason})
    return parsed


def _shown(cell: str) -> str:
    """A cell quoted in a message: at most 40 characters of it."""
    return repr(cell if len(cell) <= 40 else cell[:37] + "...")
