"""Import of history from an existing gateway (`manage.py import_history`): annex I CSV files
(energy index per load) and annex II EMS files (any logged variable), read by
datalogger/formats/, mapped to our devices, circuits and quantities by name and index, or by an
explicit mapping. Points are written with their own (series, time) keys, so importing the same
file twice changes nothing.

A file is imported whole or not at all: when any row is rejected (a value the guard refuses, a
date out of range, a row cut short), nothing of the file is stored and the report lists every
rejected row with its line and reason; fix them and import the file again. A file's points are
written in one transaction."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from datalogger import values
from datalogger.closing import series_for
from datalogger.formats import annex_i, annex_ii, table
from datalogger.formats.parsed import GOOD_OPC_QUALITY, Column, Parsed, Point
from datalogger.formats.table import FileRejected, Rejection
from datalogger.models import HotPoint, Quality, Series
from devices.catalogue import catalogue
from devices.models import Circuit, Device

Progress = Callable[[int, int, str], None]
Stat = Series.Stat

__all__ = ["FileRejected", "Rejection", "Report", "import_file", "import_files", "parse", "read"]


@dataclass
class Report:
    path: Path
    imported: int = 0  # points written (new ones; a second import writes none)
    unmapped: list[str] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)  # when not empty, nothing was imported


def read(path: Path, now: datetime | None = None) -> Parsed:
    """The file parsed, its rows checked by the value guard; FileRejected if it is no annex I or
    II file at all."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileRejected(1, error.strerror or str(error)) from None
    return parse(data, now)


def parse(data: bytes, now: datetime | None = None) -> Parsed:
    """A file's content parsed (``now`` bounds its dates); FileRejected if it is no annex I or II
    file at all."""
    rows = table.rows(data)
    now = now or datetime.now(timezone.utc)
    zone = ZoneInfo(settings.TIME_ZONE)
    if annex_ii.is_annex_ii(rows):
        return annex_ii.parse(rows, zone, now)
    if annex_i.is_annex_i(rows):
        return annex_i.parse(rows, zone, now)
    raise FileRejected(rows[0].line, _("neither an annex I (CSV) nor an annex II (EMS) file: its first row "
                                       "should start with Device name or Data Type"))


def import_file(path: Path, mapping: dict | None = None, progress: Progress | None = None) -> Report:
    """Read one annex I or annex II file and store what maps, in one transaction; report the
    rest. Raises FileRejected when the file cannot be read at all."""
    mapping = mapping or {}
    parsed = read(path)
    report = Report(path, rejected=parsed.rejected)
    if parsed.rejected:
        return report
    with transaction.atomic():
        for done, column in enumerate(parsed.columns, start=1):
            circuit, code, reason = _mapped(column, mapping)
            if circuit is None:
                report.unmapped.append(f"{column.label}: {reason}")
            else:
                report.imported += _store(circuit, code, column)
            if progress:
                progress(done, len(parsed.columns), column.label)
    return report


def import_files(paths: Iterable[Path], mapping: dict | None = None, progress: Progress | None = None) -> list[Report]:
    return [import_file(Path(path), mapping, progress) for path in paths]


def _mapped(column: Column, mapping: dict) -> tuple[Circuit | None, str, str]:
    """(circuit, quantity code, "") where the column goes, or (None, "", why not)."""
    explicit = mapping.get(column.key) if column.key else None
    if not column.stat:  # a data type we do not log: no mapping changes what the values are
        return None, "", column.unknown
    if isinstance(explicit, dict):  # annex II: {"unique key": {"circuit": id, "quantity": CODE}}
        code = explicit.get("quantity") or column.code
        if not code:
            return None, "", column.unknown
        if code not in catalogue().quantities:
            return None, "", _("unknown quantity code %(code)s") % {"code": code}
        if explicit.get("circuit"):
            return _by_id(explicit["circuit"], code)
        circuit, reason = _circuit(column.device_name, column.load, column.position, {})
        return circuit, code, reason
    if column.unknown:
        return None, "", column.unknown
    circuit, reason = _circuit(column.device_name, column.load, column.position, {} if column.key else mapping)
    return circuit, column.code, reason


def _by_id(circuit_id, code: str) -> tuple[Circuit | None, str, str]:
    circuit = Circuit.objects.filter(pk=circuit_id).select_related("device").first() \
        if isinstance(circuit_id, int) else None
    if circuit is None:
        return None, "", _("mapped to circuit %(id)s, which does not exist") % {"id": circuit_id}
    return circuit, code, ""


def _circuit(device_name: str, load: str, index: int | None, mapping: dict) -> tuple[Circuit | None, str]:
    """Annex I's explicit mapping ({"Device/Load" or "Load": circuit id}) first, then the
    device by name and its circuit by name, by position, or its only circuit."""
    explicit = mapping.get(f"{device_name}/{load}") or mapping.get(load)
    if explicit:
        circuit, _code, reason = _by_id(explicit, "")
        return circuit, reason
    device = Device.objects.filter(name=device_name).first()
    if device is None:
        return None, _("no device named %(name)s") % {"name": device_name}
    found = device.circuits.filter(name=load).first()
    if found is None and index is not None:
        found = device.circuits.filter(index=index).first()
    if found is None and device.circuits.count() == 1:
        found = device.circuits.first()
    return found, "" if found else _("%(device)s has no circuit %(load)s") % {"device": device_name, "load": load}


PERIODS = (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60)  # whole minutes that tile an hour (and a day's blocks)


def _period_of(points: list[Point], device: Device) -> int:
    """The file's own period (the smallest step between its points), else the device's."""
    steps = [(b.ts - a.ts).total_seconds() for a, b in zip(points, points[1:]) if b.ts > a.ts]
    if steps and min(steps) / 60 in PERIODS:
        return int(min(steps) // 60)
    return device.integration_minutes


def _quality(opc: int) -> int:
    return Quality.GOOD if opc >= GOOD_OPC_QUALITY else Quality.ESTIMATED


def _store(circuit: Circuit, code: str, column: Column) -> int:
    """Write a column's points (and for an index, the consumption between its points);
    existing points are kept (idempotent). Returns how many points were new."""
    by_time: dict[datetime, Point] = {}
    for point in column.points:
        by_time.setdefault(point.ts, point)  # a time given twice: the file's first value
    points = [by_time[ts] for ts in sorted(by_time)]
    if not points:
        return 0
    device = circuit.device
    period = _period_of(points, device)
    index = circuit.index
    keys = {(index, code, Stat.INDEX), (index, code, Stat.DELTA)} if column.stat == Stat.INDEX \
        else {(index, code, column.stat)}
    series = series_for(device, keys, period)
    step = timedelta(minutes=period)
    rows = []
    if column.stat == Stat.INDEX:
        # An index at T is the counter at the end of the period starting T - period.
        for point in points:
            rows.append(HotPoint(series=series[(index, code, Stat.INDEX)], ts=point.ts - step, value=point.value,
                                 quality=_quality(point.opc_quality)))
        for before, after in zip(points, points[1:]):
            consumed = values.storable(after.value - before.value if after.value >= before.value
                                       else after.value, values.Kind.ENERGY)  # else: a reset, counted since
            if consumed is None:
                continue  # cannot be: two guarded indexes differ by less than the energy range
            mark = Quality.GOOD if after.ts - before.ts == step and after.value >= before.value else Quality.ESTIMATED
            rows.append(HotPoint(series=series[(index, code, Stat.DELTA)], ts=after.ts - step, value=consumed,
                                 quality=min(Quality.ESTIMATED, max(mark, _quality(after.opc_quality)))))
    else:
        target = series[(index, code, column.stat)]
        rows = [HotPoint(series=target, ts=point.ts, value=point.value, quality=_quality(point.opc_quality))
                for point in points]
    before_count = HotPoint.objects.filter(series__in=list(series.values())).count()
    HotPoint.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return HotPoint.objects.filter(series__in=list(series.values())).count() - before_count
