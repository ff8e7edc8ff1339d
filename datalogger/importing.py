"""Import of history from an existing gateway (`manage.py import_history`): annex I CSV files
(energy index per load) and annex II EMS files (any logged variable), mapped to our devices,
circuits and quantities by name and index, or by an explicit mapping. Points are written with
their own (series, time) keys, so importing the same file twice changes nothing."""

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from datalogger.closing import series_for
from datalogger.models import HotPoint, Quality, Series
from devices.catalogue import catalogue
from devices.models import Circuit, Device

Progress = Callable[[int, int, str], None]
Stat = Series.Stat
# Annex I "Measured value" → our energy codes; the values are indexes.
ANNEX_I_CODES = {"EA+": "EA_IMP", "EA-": "EA_EXP", "ER+": "ER_IMP", "ER-": "ER_EXP", "ES": "ES"}
UNIT_TO_KWH = {"wh": 0.001, "kwh": 1.0, "mwh": 1000.0, "varh": 0.001, "kvarh": 1.0, "vah": 0.001, "kvah": 1.0}
# Annex II "Data Type" → the statistic its values are.
EMS_STATS = {"avg": Stat.AVG, "min": Stat.MIN, "max": Stat.MAX, "index": Stat.INDEX, "loadcurve": Stat.AVG}
GOOD_OPC_QUALITY = 192


class ImportFailed(Exception):
    """The file cannot be read at all (wrong format): nothing is imported from it."""


@dataclass
class Column:
    """One series of the file and where it goes (None: not mapped, with the reason)."""

    label: str
    circuit: Circuit | None = None
    code: str = ""
    stat: str = Stat.INDEX
    scale: float = 1.0
    reason: str = ""
    points: list[tuple[datetime, float, int]] = field(default_factory=list)


@dataclass
class Report:
    path: Path
    imported: int = 0  # points written (new ones; a second import writes none)
    unmapped: list[str] = field(default_factory=list)


def _rows(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(f"{path.name}: not a UTF-8 text file") from None
    # The separator the header line uses most: ";" or tab as gateways write them, or ",".
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";\t,", key=first.count)
    if not first.count(delimiter):
        raise ImportFailed(f"{path.name}: not a semicolon, comma or tab separated file")
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _moment(text: str, zone) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=zone).astimezone(timezone.utc)


def _circuit(device_name: str, load: str, index: int | None, mapping: dict) -> tuple[Circuit | None, str]:
    explicit = mapping.get(f"{device_name}/{load}") or mapping.get(load)
    if explicit:
        circuit = Circuit.objects.filter(pk=explicit).select_related("device").first()
        return circuit, "" if circuit else f"mapped to circuit {explicit}, which does not exist"
    device = Device.objects.filter(name=device_name).first()
    if device is None:
        return None, f"no device named {device_name}"
    found = device.circuits.filter(name=load).first()
    if found is None and index is not None:
        found = device.circuits.filter(index=index).first()
    if found is None and device.circuits.count() == 1:
        found = device.circuits.first()
    return found, "" if found else f"{device_name} has no circuit {load}"


def read_annex_i(path: Path, mapping: dict) -> list[Column]:
    """Annex I: a device block, load rows (name, usage, nature, measured value, unit, scale),
    then one row per time with the index of each column."""
    rows = [row for row in _rows(path) if any(row)]
    header = {row[0].lower(): row[1:] for row in rows[:8] if row}
    if "device name" not in header or "measured value" not in header:
        raise ImportFailed(f"{path.name}: no annex I header (Device name, Load Name, Measured value...)")
    device_row = next(row for row in rows if row and row[0].lower() == "device name")
    device_name = rows[rows.index(device_row) + 1][0]
    loads, values = header.get("load name", []), header["measured value"]
    units, scales = header.get("unit", []), header.get("scale", [])
    columns = []
    seen_loads: list[str] = []
    for n, measured in enumerate(values):
        load = loads[n] if n < len(loads) else ""
        if load not in seen_loads:
            seen_loads.append(load)
        code = ANNEX_I_CODES.get(measured.upper())
        unit = (units[n] if n < len(units) else "kWh").lower()
        scale = float(scales[n]) if n < len(scales) and scales[n] else 1.0
        circuit, reason = _circuit(device_name, load, seen_loads.index(load) + 1, mapping)
        column = Column(f"{device_name} / {load} / {measured}", circuit, code or "", Stat.INDEX,
                        scale * UNIT_TO_KWH.get(unit, 1.0), reason)
        if code is None:
            column.circuit, column.reason = None, f"unknown measured value {measured}"
        columns.append(column)
    zone = ZoneInfo(settings.TIME_ZONE)
    for row in rows:
        if not row or not re.match(r"^\d{4}-\d{2}-\d{2}T", row[0]) or row is rows[rows.index(device_row) + 1]:
            continue
        moment = _moment(row[0], zone)
        for column, raw in zip(columns, row[1:]):
            if raw not in ("", "N/A"):
                column.points.append((moment, float(raw.replace(",", ".")) * column.scale, GOOD_OPC_QUALITY))
    return columns


def read_annex_ii(path: Path, mapping: dict) -> list[Column]:
    """Annex II (EMS): a file header (data type, time zone, datation...), a key per variable
    (name "<quantity> of <circuit> of <device>", coefficient and unit, data id), then rows
    of (index key, date, value, quality)."""
    rows = _rows(path)
    cells = [row for row in rows]
    start = next((n for n, row in enumerate(cells) if row and row[0].lower() == "data type"), None)
    keys_at = next((n for n, row in enumerate(cells) if row and row[0].lower() == "index key" and len(row) > 3
                    and row[1].lower() == "key"), None)
    data_at = next((n for n, row in enumerate(cells) if row and row[0].lower() == "index key" and len(row) > 1
                    and row[1].lower() == "date"), None)
    if start is None or keys_at is None or data_at is None:
        raise ImportFailed(f"{path.name}: no annex II sections (Data Type, Index Key / Key, Index Key / Date)")
    head = dict(zip((c.lower() for c in cells[start]), cells[start + 1]))
    stat = EMS_STATS.get(head.get("data type", "").lower().replace(" ", ""))
    zone = timezone.utc if "utc" in (head.get("datation", "") or "").lower() else ZoneInfo(settings.TIME_ZONE)
    by_data_id = {q.data_id: q.code for q in catalogue().quantities.values()}
    by_label = {q.label.lower(): q.code for q in catalogue().quantities.values()}
    titles = [c.lower() for c in cells[keys_at]]
    columns: dict[str, Column] = {}
    for row in cells[keys_at + 1:data_at]:
        if not row or not row[0]:
            continue
        entry = dict(zip(titles, row))
        name = entry.get("name", "")
        quantity, _sep, rest = name.partition(" of ")
        load, _sep, device_name = rest.rpartition(" of ")
        coefficient = re.match(r"\s*([\d.]+)\s*(.*)", entry.get("coef", "1")) or re.match(r"(.*)()", "1")
        explicit = mapping.get(entry.get("key", "")) or {}
        code = explicit.get("quantity") if isinstance(explicit, dict) else None
        # The name first: a file from another gateway numbers its data ids its own way; ours
        # (quantities.yaml) only match files this gateway wrote.
        code = code or by_label.get(quantity.lower()) or _code_from(quantity) \
            or by_data_id.get(int(entry.get("data id") or 0) if (entry.get("data id") or "").isdigit() else 0)
        circuit_id = explicit.get("circuit") if isinstance(explicit, dict) else None
        if circuit_id:
            circuit = Circuit.objects.filter(pk=circuit_id).first()
            reason = "" if circuit else f"mapped to circuit {circuit_id}, which does not exist"
        else:
            index = int(entry["index"]) if entry.get("index", "").isdigit() else None
            circuit, reason = _circuit(device_name, load, index, {})
        column = Column(name or entry.get("key", ""), circuit, code or "", stat or Stat.AVG,
                        1 / float(coefficient.group(1) or 1), reason)
        if stat is None:
            column.circuit, column.reason = None, f"unknown data type {head.get('data type')}"
        elif not code:
            column.circuit, column.reason = None, f"no quantity code for {quantity or name}"
        columns[row[0]] = column
    for row in cells[data_at + 1:]:
        if len(row) < 3 or row[0] not in columns or not row[1]:
            continue
        quality = int(row[3]) if len(row) > 3 and row[3].isdigit() else GOOD_OPC_QUALITY
        column = columns[row[0]]
        column.points.append((_moment(row[1], zone), float(row[2].replace(",", ".")) * column.scale, quality))
    return list(columns.values())


def _code_from(quantity: str) -> str | None:
    """"I1 AVG" → I1, "THD I1" → THD_I1: the contract's codes as the EMS names write them."""
    text = re.sub(r"\s+(AVG|MIN|MAX)$", "", quantity.strip(), flags=re.IGNORECASE).upper().replace(" ", "_")
    return text if text in catalogue().quantities else None


def import_file(path: Path, mapping: dict | None = None, progress: Progress | None = None) -> Report:
    """Read one annex I or annex II file and store what maps; report the rest."""
    mapping = mapping or {}
    rows = _rows(path)
    first = (rows[0][0] if rows and rows[0] else "").lower()
    is_ems = any(row and row[0].lower() == "data type" for row in rows[:5])
    columns = read_annex_ii(path, mapping) if is_ems else (
        read_annex_i(path, mapping) if first == "device name" else _unknown(path))
    report = Report(path)
    for done, column in enumerate(columns, start=1):
        if column.circuit is None:
            report.unmapped.append(f"{column.label}: {column.reason}")
        else:
            report.imported += _store(column)
        if progress:
            progress(done, len(columns), column.label)
    return report


def _unknown(path: Path) -> list[Column]:
    raise ImportFailed(f"{path.name}: neither an annex I (CSV) nor an annex II (EMS) file")


def _period_of(points: list[tuple[datetime, float, int]], device: Device) -> int:
    if len(points) > 1:
        step = min((b[0] - a[0]).total_seconds() for a, b in zip(points, points[1:]) if b[0] > a[0]) / 60
        if step and 60 % step == 0:
            return int(step)
    return device.integration_minutes


@transaction.atomic
def _store(column: Column) -> int:
    """Write a column's points (and for an index, the consumption between its points);
    existing points are kept (idempotent). Returns how many points were new."""
    points = sorted(set(column.points))
    if not points:
        return 0
    device = column.circuit.device
    period = _period_of(points, device)
    index = column.circuit.index
    if column.stat == Stat.INDEX:
        keys = {(index, column.code, Stat.INDEX), (index, column.code, Stat.DELTA)}
    else:
        keys = {(index, column.code, column.stat)}
    series = series_for(device, keys, period)
    step = timedelta(minutes=period)

    def quality(opc: int) -> int:
        return Quality.GOOD if opc >= GOOD_OPC_QUALITY else Quality.ESTIMATED

    rows = []
    if column.stat == Stat.INDEX:
        # An index at T is the counter at the end of the period starting T - period.
        for moment, value, opc in points:
            rows.append(HotPoint(series=series[(index, column.code, Stat.INDEX)], ts=moment - step, value=value,
                                 quality=quality(opc)))
        for (before, previous, _q), (moment, value, opc) in zip(points, points[1:]):
            consumed = value - previous if value >= previous else value  # a reset: counted since
            mark = Quality.GOOD if moment - before == step and value >= previous else Quality.ESTIMATED
            rows.append(HotPoint(series=series[(index, column.code, Stat.DELTA)], ts=moment - step, value=consumed,
                                 quality=min(Quality.ESTIMATED, max(mark, quality(opc)))))
    else:
        target = series[(index, column.code, column.stat)]
        rows = [HotPoint(series=target, ts=moment, value=value, quality=quality(opc)) for moment, value, opc in points]
    before = HotPoint.objects.filter(series__in=list(series.values())).count()
    HotPoint.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return HotPoint.objects.filter(series__in=list(series.values())).count() - before


def import_files(paths: Iterable[Path], mapping: dict | None = None, progress: Progress | None = None) -> list[Report]:
    return [import_file(Path(path), mapping, progress) for path in paths]
