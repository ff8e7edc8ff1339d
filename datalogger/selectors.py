"""Which stored series answer for a circuit's quantity."""

from django.db.models import Exists, OuterRef, Q

from datalogger.models import DayBlock, HotPoint, Series
from devices.catalogue import catalogue
from devices.models import Circuit

Stat = Series.Stat


def series_of(circuit: Circuit, code: str) -> dict[str, Series]:
    """The circuit's series of ``code`` by statistic; a device-wide quantity (F, the voltages of
    a Digiware module) is stored once for the device, under circuit index 0."""
    found = {s.stat: s for s in Series.objects.filter(device_id=circuit.device_id, code=code,
                                                       circuit_index=circuit.index)}
    if not found:
        found = {s.stat: s for s in Series.objects.filter(device_id=circuit.device_id, code=code, circuit_index=0)}
    return found


def trend_series(circuit: Circuit, code: str) -> tuple[Series, Series, Series] | None:
    """(low, mean, high) series of a Trends curve: min, avg and max of a measurement; the index
    itself, three times, for an energy counter. None when nothing is stored."""
    found = series_of(circuit, code)
    if Stat.INDEX in found:
        return found[Stat.INDEX], found[Stat.INDEX], found[Stat.INDEX]
    if Stat.AVG in found:
        return found.get(Stat.MIN, found[Stat.AVG]), found[Stat.AVG], found.get(Stat.MAX, found[Stat.AVG])
    return None


def quantities_of(circuit: Circuit) -> list[dict]:
    """What Trends offers for a circuit (§8.6 step 3: only what is logged), in the catalogue's
    order, with the label in the reader's language, the unit and the category."""
    # A series with a point stored: one created and never written (or emptied by retention) would
    # draw an empty axis and a column of "—".
    stored = (Q(Exists(HotPoint.objects.filter(series=OuterRef("pk"))))
              | Q(Exists(DayBlock.objects.filter(series=OuterRef("pk")))))
    codes = set(Series.objects.filter(stored, device_id=circuit.device_id, circuit_index__in=[0, circuit.index])
                .values_list("code", flat=True))
    quantities = catalogue().quantities
    return [{"code": code, "label": quantities[code].translated, "unit": quantities[code].unit,
             "category": quantities[code].category}
            for code in sorted(codes, key=lambda code: quantities[code].data_id) if code in quantities]


def circuit_label(circuit: Circuit) -> str:
    """"Device : circuit", or the device alone when its one circuit bears its name (§9.6.4)."""
    device = circuit.device.name
    return device if circuit.name == device else f"{device} : {circuit.name}"
