"""Annex II (EMS): a file header (data type, time zone, datation...), a key per variable (name
"<quantity> of <circuit> of <device>", coefficient and unit, data id), then rows of (index key,
date, value, quality). A value is the raw number divided by its key's coefficient
(DESIGN.md: "100 %" and 234 is 2.34 %)."""

import re
from datetime import datetime, timezone, tzinfo

from django.utils.translation import gettext as _

from datalogger.formats.parsed import GOOD_OPC_QUALITY, Column, Parsed, Point
from datalogger.formats.table import NUMBER, CellRejected, FileRejected, Rejection, Row, moment, number, stored
from datalogger.values import kind_of
from devices.catalogue import catalogue

# "Data Type" → the statistic its values are (Series.Stat).
STATS = {"avg": "avg", "min": "min", "max": "max", "index": "index", "loadcurve": "avg"}
COEFFICIENT = re.compile(rf"({NUMBER.pattern})\s*(.*)")


def is_annex_ii(rows: list[Row]) -> bool:
    return any(row.first() == "data type" for row in rows[:5])


def _section(rows: list[Row], second: str) -> int | None:
    """Where the "Index Key" row whose second cell is ``second`` sits."""
    return next((n for n, row in enumerate(rows)
                 if row.first() == "index key" and len(row.cells) > 1 and row.cells[1].lower() == second), None)


def parse(rows: list[Row], site_zone: tzinfo, now: datetime) -> Parsed:
    start = next(n for n, row in enumerate(rows) if row.first() == "data type")
    keys_at, data_at = _section(rows, "key"), _section(rows, "date")
    if start + 1 >= len(rows) or rows[start + 1].first() == "index key":
        raise FileRejected(rows[start].line + 1, _("no values under the Data Type header row"))
    if keys_at is None or data_at is None or not start < keys_at < data_at:
        raise FileRejected(rows[-1].line + 1, _("no annex II sections: Data Type, then Index Key / Key, "
                                                "then Index Key / Date"))
    if [cell.lower() for cell in rows[data_at].cells[:3]] != ["index key", "date", "value"]:
        raise FileRejected(rows[data_at].line, _("the data header row must read Index Key, Date, Value, Quality"))
    head = dict(zip((cell.lower() for cell in rows[start].cells), rows[start + 1].cells))
    data_type = head.get("data type", "")
    stat = STATS.get(data_type.lower().replace(" ", ""))
    # "Datation: Local" dates the rows in the site's time, "UTC" in UTC.
    zone = timezone.utc if "utc" in head.get("datation", "").lower() else site_zone
    titles = [cell.lower() for cell in rows[keys_at].cells]
    columns: dict[str, tuple[Column, float]] = {}
    rejected: list[Rejection] = []
    refused_keys: set[str] = set()
    for row in rows[keys_at + 1:data_at]:
        try:
            index_key, column, coefficient = _key(row, titles, stat, data_type)
        except CellRejected as error:
            rejected.append(Rejection(row.line, str(error)))
            refused_keys.add(row.cells[0])
            continue
        if index_key in columns:
            rejected.append(Rejection(row.line, _("index key %(key)s is described twice") % {"key": index_key}))
            continue
        columns[index_key] = (column, coefficient)
    for row in rows[data_at + 1:]:
        if row.cells[0] in refused_keys:
            continue  # its key's row is rejected already
        try:
            _read_row(row, columns, zone, now)
        except CellRejected as error:
            rejected.append(Rejection(row.line, str(error)))
    return Parsed([column for column, _coefficient in columns.values()], rejected)


def _key(row: Row, titles: list[str], stat: str | None, data_type: str) -> tuple[str, Column, float]:
    entry = dict(zip(titles, row.cells))
    index_key = row.cells[0]
    if not index_key:
        raise CellRejected(_("a key without its Index Key"))
    name = entry.get("name", "")
    quantity, _sep, rest = name.partition(" of ")
    load, _sep, device_name = rest.rpartition(" of ")
    coefficient = _coefficient(entry.get("coef", ""))
    index = entry.get("index", "")
    position = int(index) if index.isascii() and index.isdigit() and len(index) < 6 else None
    column = Column(name or entry.get("key", "") or index_key, row.line, stat or "", device_name, load, position,
                    _code(quantity, entry.get("data id", "")), key=entry.get("key", ""))
    if stat is None:
        column.code, column.unknown = "", _("unknown data type %(type)s") % {"type": data_type}
    elif not column.code:
        column.unknown = _("no quantity code for %(name)s") % {"name": quantity or name}
    return index_key, column, coefficient


def _coefficient(cell: str) -> float:
    """The Coef cell's number ("100 %", "1000 A"); 1 when the file gives none."""
    if not cell:
        return 1.0
    found = COEFFICIENT.fullmatch(cell)
    value = float(found.group(1).replace(",", ".")) if found else None
    if value is None or not 0 < value < float("inf"):
        raise CellRejected(_("Coef %(cell)s is not a positive number") % {"cell": repr(cell[:40])})
    return value


def _code(quantity: str, data_id: str) -> str:
    """Our code for the file's quantity: its name first, since a file from another gateway
    numbers its data ids its own way (ours, quantities.yaml, only match files we wrote)."""
    quantities = catalogue().quantities
    by_label = {q.label.lower(): q.code for q in quantities.values()}
    # "I1 AVG" → I1, "THD I1" → THD_I1: the contract's codes as the EMS names write them.
    written = re.sub(r"\s+(AVG|MIN|MAX)$", "", quantity.strip(), flags=re.IGNORECASE).upper().replace(" ", "_")
    if quantity.lower() in by_label:
        return by_label[quantity.lower()]
    if written in quantities:
        return written
    by_data_id = {str(q.data_id): q.code for q in quantities.values()}
    return by_data_id.get(data_id, "")


def _read_row(row: Row, columns: dict[str, tuple[Column, float]], zone: tzinfo, now: datetime) -> None:
    if len(row.cells) < 3:
        raise CellRejected(_("a row needs an Index Key, a Date, a Value and a Quality"))
    index_key, date, raw = row.cells[:3]
    if index_key not in columns:
        raise CellRejected(_("index key %(key)s has no key row") % {"key": index_key[:40]})
    column, coefficient = columns[index_key]
    ts = moment(date, zone, now)
    value = number(raw)
    quality = _quality(row.cells[3] if len(row.cells) > 3 else "")
    if value is not None:
        column.points.append(Point(ts, stored(value / coefficient, kind_of(column.stat), raw), quality, row.line))


def _quality(cell: str) -> int:
    """An OPC quality byte; a file without the column is good."""
    if not cell:
        return GOOD_OPC_QUALITY
    if not (cell.isascii() and cell.isdigit() and len(cell) <= 3 and int(cell) <= 255):
        raise CellRejected(_("quality %(cell)s is not a number from 0 to 255") % {"cell": repr(cell[:40])})
    return int(cell)
