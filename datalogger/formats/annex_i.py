"""Annex I (CSV): a device block (name, address, begin and end dates), one header row each for
the loads' names, usages, natures, measured values, units and scales, then one row per time
with the energy index of each column."""

from datetime import datetime, tzinfo

from django.utils.translation import gettext as _, ngettext

from datalogger.formats.parsed import GOOD_OPC_QUALITY, Column, Parsed, Point
from datalogger.formats.table import CellRejected, FileRejected, Rejection, Row, moment, number, stored
from datalogger.values import Kind

# "Measured value" → our energy codes; the values are indexes.
CODES = {"EA+": "EA_IMP", "EA-": "EA_EXP", "ER+": "ER_IMP", "ER-": "ER_EXP", "ES": "ES"}
UNIT_TO_KWH = {"wh": 0.001, "kwh": 1.0, "mwh": 1000.0, "varh": 0.001, "kvarh": 1.0, "mvarh": 1000.0,
               "vah": 0.001, "kvah": 1.0, "mvah": 1000.0}
LABELS = ("load name", "usage", "nature", "measured value", "unit", "scale")
REQUIRED = ("load name", "measured value", "unit", "scale")  # usage and nature do not change a value
INDEX = "index"  # Series.Stat.INDEX


def is_annex_i(rows: list[Row]) -> bool:
    return bool(rows) and rows[0].first() == "device name"


def parse(rows: list[Row], zone: tzinfo, now: datetime) -> Parsed:
    if len(rows) < 2:
        raise FileRejected(rows[0].line + 1 if rows else 1, _("no device row after the Device name row"))
    device_name = rows[1].cells[0]
    header: dict[str, Row] = {}
    position = 2
    while position < len(rows) and rows[position].first() in LABELS:
        header.setdefault(rows[position].first(), rows[position])
        position += 1
    missing = [label for label in REQUIRED if label not in header]
    if missing:
        expected_at = rows[position].line if position < len(rows) else rows[-1].line + 1
        raise FileRejected(expected_at, _("no %(rows)s row: an annex I header has Device name, Load Name, Usage, "
                                          "Nature, Measured value, Unit and Scale rows")
                           % {"rows": ", ".join(label.capitalize() for label in missing)})
    columns = _columns(device_name, header)
    rejected = []
    for row in rows[position:]:
        try:
            _read_row(row, columns, zone, now)
        except CellRejected as error:
            rejected.append(Rejection(row.line, str(error)))
    return Parsed([column for column, _factor in columns], rejected)


def _trimmed(row: Row) -> list[str]:
    """The row's cells after its label, less the empty ones a trailing separator leaves."""
    cells = row.cells[1:]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _columns(device_name: str, header: dict[str, Row]) -> list[tuple[Column, float]]:
    """Each column, with the factor from the file's numbers to kWh (its scale and unit)."""
    measured = _trimmed(header["measured value"])
    loads, units, scales = (header["load name"].cells[1:], header["unit"].cells[1:], header["scale"].cells[1:])
    seen_loads: list[str] = []
    columns = []
    for n, value_name in enumerate(measured):
        load = loads[n] if n < len(loads) else ""
        if load not in seen_loads:
            seen_loads.append(load)
        scale = _scale(scales[n] if n < len(scales) else "", n + 2, header["scale"].line)
        unit = (units[n] if n < len(units) else "").lower() or "kwh"
        code = CODES.get(value_name.upper(), "")
        column = Column(f"{device_name} / {load} / {value_name}", header["measured value"].line, INDEX, device_name,
                        load, seen_loads.index(load) + 1, code)
        if not code:
            column.unknown = _("unknown measured value %(name)s") % {"name": value_name}
        elif unit not in UNIT_TO_KWH:
            column.code, column.unknown = "", _("unknown unit %(unit)s") % {"unit": units[n]}
        columns.append((column, scale * UNIT_TO_KWH.get(unit, 1.0)))
    return columns


def _scale(cell: str, column: int, line: int) -> float:
    if not cell:
        return 1.0
    try:
        scale = number(cell)
    except CellRejected:
        scale = None
    if scale is None or not 0 < scale < float("inf"):
        raise FileRejected(line, _("the Scale of column %(column)s, %(cell)s, is not a positive number")
                           % {"column": column, "cell": repr(cell[:40])})
    return scale


def _read_row(row: Row, columns: list[tuple[Column, float]], zone: tzinfo, now: datetime) -> None:
    """The row's points, added to their columns only when the whole row is good."""
    ts = moment(row.cells[0], zone, now)
    cells = row.cells[1:]
    # A row cut short (a truncated file) is refused; cells past the columns may only be empty.
    if len(cells) < len(columns) or any(cells[len(columns):]):
        count = len(_trimmed(row))
        raise CellRejected(ngettext("%(count)s value for %(columns)s columns",
                                    "%(count)s values for %(columns)s columns", count)
                           % {"count": count, "columns": len(columns)})
    points = []
    for (column, factor), cell in zip(columns, cells):
        raw = number(cell)
        if raw is not None:
            points.append((column, Point(ts, stored(raw * factor, Kind.ENERGY, cell), GOOD_OPC_QUALITY, row.line)))
    for column, point in points:
        column.points.append(point)
