"""Properties of the annex I (CSV) and annex II (EMS) parsers: whatever the bytes or rows, they
either return points the value guard lets through (finite, within the bounds of
datalogger/values.py, dated within its range) with every other row rejected by line, or reject
the file cleanly; and an import stores nothing else, nor anything at all from a rejected file."""

import math
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from datalogger import values
from datalogger.formats.table import FileRejected
from datalogger.importing import import_file, parse
from datalogger.models import HotPoint
from devices import services
from devices.models import Device

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
ANNEX_I_HEADER = ("Device name;IP Address;Modbus Address;Begin date;End date\n"
                  "I35_102;0.0.0.0;102;2000-01-01T00:00:00;2018-09-26T09:55:00\n"
                  "Load Name;Circulation;Circulation;Storage\n"
                  "Usage;Heating;Heating;Heating\n"
                  "Nature;Elec;Elec;Elec\n"
                  "Measured value;EA+;EA-;ER+\n"
                  "Unit;Wh;kWh;kvarh\n"
                  "Scale;{scale};1;1\n")
ANNEX_II_HEADER = ("Data Type\tTimeZone\tDatation\tTransfer Cycle (sec)\tPooling Ti\tVersion\tSite name\tServer name\n"
                   "{data_type}\tUTC\t{datation}\t600\tN/A\t1\tsocomec\tE5C801\n\n"
                   "Index Key\tKey\tType\tName\tFluid\tUse\tCoef\tUnit\tPath\tDevice Id\tIndex\tData Id\n")
ANNEX_II_DATA = "\nIndex Key\tDate\tValue\tQuality\n"

# Cells chosen to reach every branch: good numbers and dates three times in four (so that rows get
# through to the guard; a row is kept only when all its cells are good), numbers and dates at and
# past the bounds, and any text.
good_numbers = st.one_of(st.integers(0, 10 ** 9).map(str), st.floats(0, 1e9).map(lambda f: f"{f:.3f}"))
bad_numbers = st.one_of(
    st.sampled_from(["", "N/A", "-1", "1,5", ".5", "1e309", "-1e309", "inf", "-inf", "nan", "NaN", "Infinity",
                     "1_000", "0x10", "9007199254740993", "1e15", "1e16", "1e12", "-1e12", "1e13", "--1", "1e", "e5",
                     "٣", "1 000", " "]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10 ** 20, 10 ** 20).map(str),
    st.text(max_size=12),
)
numbers = st.one_of(good_numbers, good_numbers, good_numbers, bad_numbers)  # 3 in 4 good
good_dates = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2026, 5, 31)).map(
    lambda d: d.isoformat(timespec="seconds"))
bad_dates = st.one_of(
    st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59", "1989-12-31T23:59:59", "1990-01-01T00:00:00",
                     "1990-01-01T00:30:00", "2026-06-02T23:00:00", "2026-06-03T01:00:00", "2018-09-26T25:00:00",
                     "2018-02-30T00:00:00", "2018-09-26", "2018-09-26T09:50:00+14:00", "0001-01-01T00:00:00+14:00",
                     "9999-12-31T23:59:59-14:00", "", "N/A", "yesterday"]),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(lambda d: d.isoformat()),
    st.text(max_size=20),
)
dates = st.one_of(good_dates, good_dates, good_dates, bad_dates)
good_coefficients = st.sampled_from(["", "100 %", "1000 A", "1 x", "0,5 kW"])
coefficients = st.one_of(good_coefficients, good_coefficients, good_coefficients,
                         st.sampled_from(["0 %", "-5 %", "inf %", "1e309", "1e-320 x", ". %", "abc", "1e300 V"]),
                         st.text(max_size=8))
data_types = st.sampled_from(["Avg", "Min", "Max", "Index", "LoadCurve", "Load Curve", "Bogus", ""])
qualities = st.one_of(st.sampled_from(["", "192", "0", "255"]), st.sampled_from(["256", "-1", "²", "abc"]),
                      st.text(max_size=4))


def problems(result) -> list[str]:
    """What breaks the rule every parse must keep: storable points only, a rejection by its line."""
    if isinstance(result, FileRejected):
        return [] if result.line >= 1 and result.reason else [f"rejection without line or reason: {result!r}"]
    found = []
    for column in result.columns:
        kind = values.kind_of(column.stat)
        for point in column.points:
            if not math.isfinite(point.value) or values.refusal(point.value, kind) is not None:
                found.append(f"unstorable value {point!r} in {column!r}")
            if point.ts.tzinfo is None or point.ts.utcoffset().total_seconds() != 0 \
                    or values.moment_refusal(point.ts, NOW) is not None:
                found.append(f"bad time {point!r}")
    found += [f"rejected row without line or reason: {r!r}" for r in result.rejected if not (r.line >= 1 and r.reason)]
    return found


def check(parsed) -> None:
    assert problems(parsed) == []


def parse_or_reject(data: bytes):
    """The parse, or the file's clean rejection (any other exception fails the test)."""
    try:
        return parse(data, NOW)
    except FileRejected as rejected:
        return rejected


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_are_parsed_or_rejected_cleanly(data):
    assert problems(parse_or_reject(data)) == []


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=1000))
def test_arbitrary_bytes_after_a_header_are_parsed_or_rejected_cleanly(data):
    assert problems(parse_or_reject(ANNEX_I_HEADER.format(scale="1").encode() + data)) == []
    assert problems(parse_or_reject(ANNEX_II_HEADER.format(data_type="Avg", datation="Local").encode() + data)) == []


@settings(max_examples=300, deadline=None)
@given(scale=st.one_of(st.just("1.0000000"), st.just(""), numbers),
       rows=st.lists(st.tuples(dates, st.one_of(st.lists(numbers, min_size=3, max_size=3),
                                                st.lists(numbers, max_size=5))), max_size=12),
       separator=st.sampled_from([";", "\t", ","]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_annex_i_rows_are_imported_or_rejected_by_line(scale, rows, separator, encoding):
    text = ANNEX_I_HEADER.format(scale=scale) + "".join(
        ";".join([date, *cells]) + "\n" for date, cells in rows)
    text = text.replace(";", separator) if separator != ";" else text
    try:
        parsed = parse(text.encode(encoding), NOW)
    except FileRejected as rejected:
        assert rejected.line >= 1
        return
    check(parsed)
    # Each data row (lines 9 on) is either rejected or gives its points; none is half-taken.
    lines = {point.line for column in parsed.columns for point in column.points}
    assert not lines & {rejection.line for rejection in parsed.rejected}


@settings(max_examples=300, deadline=None)
@given(data_type=data_types, datation=st.sampled_from(["Local", "UTC", ""]),
       keys=st.lists(st.tuples(st.sampled_from(["0", "1", "2", "", "x"]), coefficients,
                               st.sampled_from(["THD I1 of PC 1 of I-35@4", "I1 AVG of PC 1 of I-35@4",
                                                "Foo of Bar of Nowhere", "", "EA_IMP of a of b"]),
                               st.sampled_from(["100006", "10023", "", "x", "²"])),
                     min_size=1, max_size=4, unique_by=lambda key: key[0]),
       rows=st.lists(st.tuples(st.sampled_from(["0", "0", "1", "1", "2", "7", ""]), dates, numbers, qualities,
                               st.sampled_from([4, 4, 4, 3, 2, 5])), max_size=12))
def test_annex_ii_rows_are_imported_or_rejected_by_line(data_type, datation, keys, rows):
    text = ANNEX_II_HEADER.format(data_type=data_type, datation=datation) + "".join(
        f"{key}\tsocomec E5C801 14 1 ANA {data_id}\tANA\t{name}\tELEC\tUse2\t{coef}\t/\t/\t14\t1\t{data_id}\n"
        for key, coef, name, data_id in keys) + ANNEX_II_DATA + "".join(
        "\t".join([key, date, value, quality][:width]) + "\n" for key, date, value, quality, width in rows)
    assert problems(parse_or_reject(text.encode("utf-8"))) == []


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(dates, st.lists(numbers, min_size=3, max_size=3)), min_size=1, max_size=6),
       ems_rows=st.lists(st.tuples(st.sampled_from(["0", "3"]), dates, numbers), min_size=1, max_size=6))
def test_an_import_stores_only_storable_points_and_nothing_of_a_rejected_file(tmp_path, rows, ems_rows):
    if not Device.objects.filter(name="I-35@4").exists():  # once per test: examples share its transaction
        make_devices()
    annex_i = tmp_path / "annex_i.csv"
    annex_i.write_text(ANNEX_I_HEADER.format(scale="1") + "".join(";".join([d, *c]) + "\n" for d, c in rows))
    annex_ii = tmp_path / "ems.csv"
    annex_ii.write_text(ANNEX_II_HEADER.format(data_type="Avg", datation="Local")
                        + "0\tk0\tANA\tTHD I1 of PC 1-2-3 of I-35@4\tELEC\tUse2\t100 %\t/\t/\t14\t1\t100006\n"
                        + "3\tk3\tANA\tI1 AVG of PC 1-2-3 of I-35@4\tELEC\tUse2\t1000 A\t/\t/\t14\t1\t10023\n"
                        + ANNEX_II_DATA + "".join(f"{k}\t{d}\t{v}\t192\n" for k, d, v in ems_rows))
    for path in (annex_i, annex_ii):
        before = HotPoint.objects.count()
        try:
            report = import_file(Path(path))
        except FileRejected:
            report = None
        if report is None or report.rejected:
            assert HotPoint.objects.count() == before
    for value, stat in HotPoint.objects.values_list("value", "series__stat"):
        assert values.storable(value, values.kind_of(stat)) == value


def make_devices() -> None:
    services.add_device(reference="I-35", name="I35_102", host="127.0.0.1", unit_id=102)
    ems = services.add_device(reference="I-35", name="I-35@4", host="127.0.0.1", unit_id=4)
    ems.circuits.filter(index=1).update(name="PC 1-2-3")


def test_a_point_at_the_bounds_is_kept_and_past_them_refused():
    assert values.storable(values.ENERGY_LIMIT, values.Kind.ENERGY) == 2.0 ** 53
    assert values.storable(values.ENERGY_LIMIT * (1 + 2 ** -52), values.Kind.ENERGY) is None
    assert values.storable(-1e-9, values.Kind.ENERGY) is None
    assert values.storable(-1e12, values.Kind.MEASURE) == -1e12 and values.storable(1.0000001e12, "measure") is None
    assert values.storable(10 ** 400, values.Kind.MEASURE) is None  # an int beyond float64
    assert values.moment_refusal(values.EARLIEST, NOW) is None
    assert values.moment_refusal(datetime(1989, 12, 31, 23, 59, tzinfo=timezone.utc), NOW)
    assert values.moment_refusal(NOW + values.FUTURE_TOLERANCE, NOW) is None
    assert values.moment_refusal(datetime(9999, 12, 31), NOW)  # a wall-clock time, before its zone is known
