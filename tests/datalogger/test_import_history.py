"""manage.py import_history: the manual's annex I (CSV) and annex II (EMS) examples, mapped to
devices and circuits by name and index; a second import changes nothing."""

import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from datalogger import reader
from datalogger.models import HotPoint, Quality, Series
from devices import services
from devices.models import Circuit

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"
ANNEX_I = FILES / "annex_i.csv"
ANNEX_II = FILES / "socomec_E5C801_I-35@4_Avg_2019-01-18_15-15-10.csv"


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_history", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def points(device: str, code: str, stat: str, index: int = 1) -> list[tuple[str, float, int]]:
    series = Series.objects.get(device__name=device, code=code, stat=stat, circuit_index=index)
    got = reader.points(series, datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2030, 1, 1, tzinfo=timezone.utc))
    return [(str(ts), round(v, 6), q) for ts, v, q in zip(got.ts, got.values.tolist(), got.quality.tolist())]


@pytest.fixture
def i35(settings):
    settings.TIME_ZONE = "Europe/Paris"
    device = services.add_device(reference="I-35", name="I35_102", host="127.0.0.1", unit_id=102)
    device.circuits.filter(index=1).update(name="Security lighting Circulation")
    device.circuits.filter(index=2).update(name="Security lighting Storage Metrol")
    return device


def test_annex_i_energy_indexes_per_load(i35):
    out = run(ANNEX_I)
    assert "annex_i.csv: 36 points imported, 0 not mapped" in out  # 4 columns × (5 indexes + 4 consumptions)
    circulation = points("I35_102", "EA_IMP", Series.Stat.INDEX, 1)
    # Local time (Europe/Paris, summer): 09:10 → 07:10 UTC; the index at 09:10 closes the period from 09:00.
    assert circulation[0] == ("2018-09-26T07:00:00", 1000.0, Quality.GOOD)  # Wh → kWh
    deltas = points("I35_102", "EA_IMP", Series.Stat.DELTA, 1)
    assert [v for _t, v, _q in deltas] == [1.5, 1.5, 1.5, 1.5]
    assert sum(v for _t, v, _q in points("I35_102", "EA_IMP", Series.Stat.DELTA, 2)) == pytest.approx(4.0)
    count = HotPoint.objects.count()
    assert "0 points imported" in run(ANNEX_I)  # the same file again changes nothing
    assert HotPoint.objects.count() == count


def test_annex_ii_ems_with_coefficients_and_what_does_not_map(settings):
    settings.TIME_ZONE = "Europe/Paris"
    device = services.add_device(reference="I-35", name="I-35@4", host="127.0.0.1", unit_id=4)
    device.circuits.filter(index=1).update(name="PC 1-2-3")
    out = run(ANNEX_II)
    assert "5 points imported, 1 not mapped" in out
    assert "not mapped: Foo of Bar of Nowhere: no quantity code for Foo" in out
    # 234 with a coefficient of 100 % is 2.34 %; 20001 with 1000 A is 20.001 A (annex II's own example).
    assert points("I-35@4", "THD_I1", Series.Stat.AVG)[-1] == ("2019-01-18T14:14:00", 2.34, Quality.GOOD)
    assert points("I-35@4", "I1", Series.Stat.AVG)[-1][1] == 20.001


def test_an_explicit_mapping_and_bad_input(i35, tmp_path):
    Circuit.objects.filter(device=i35).update(name="renamed")
    out = run(ANNEX_I)
    assert "0 points imported, 4 not mapped" not in out  # falls back on the load's position
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"Security lighting Circulation": Circuit.objects.get(device=i35, index=3).pk}))
    run(ANNEX_I, "--mapping", mapping)
    assert Series.objects.filter(device=i35, circuit_index=3, code="EA_IMP").exists()
    garbage = tmp_path / "garbage.csv"
    garbage.write_text("hello;world\n1;2\n")
    with pytest.raises(CommandError, match="1 of 1 files rejected"):
        run(garbage)
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.csv")
