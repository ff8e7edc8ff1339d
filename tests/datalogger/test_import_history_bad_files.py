"""manage.py import_history with bad files: each one exits 1 with one line naming the file and the
line, lists the rows it rejected and why, and stores nothing (a file is imported whole or not at
all); no traceback, and never a non-finite or out-of-range value."""

import io
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from datalogger.models import HotPoint, Series
from devices import services

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"
ROOT = Path(__file__).resolve().parents[2]
ANNEX_I = (FILES / "annex_i.csv").read_text(encoding="utf-8")
ANNEX_II = (FILES / "socomec_E5C801_I-35@4_Avg_2019-01-18_15-15-10.csv").read_text(encoding="utf-8")
# Annex I example: line 9 is the first data row (09:50), line 13 the last (09:10).
FIRST_ROW_I = "2018-09-26T09:50:00;1006000;0;2004000;0"
# Annex II example: the key of index 0 (THD I1) is line 5, its first data row line 10.
KEY_0 = ANNEX_II.splitlines()[4]
DATA_0 = "0\t2019-01-18T15:14:00\t234\t192"


@pytest.fixture(autouse=True)
def devices(settings):
    settings.TIME_ZONE = "Europe/Paris"
    i35 = services.add_device(reference="I-35", name="I35_102", host="127.0.0.1", unit_id=102)
    i35.circuits.filter(index=1).update(name="Security lighting Circulation")
    i35.circuits.filter(index=2).update(name="Security lighting Storage Metrol")
    ems = services.add_device(reference="I-35", name="I-35@4", host="127.0.0.1", unit_id=4)
    ems.circuits.filter(index=1).update(name="PC 1-2-3")


def rejected(path: Path) -> tuple[str, str]:
    """Import a file that must be rejected: (stdout, stderr) of the command, which exits 1."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="rejected"):
        call_command("import_history", str(path), stdout=out, stderr=err)
    assert not HotPoint.objects.exists() and not Series.objects.exists()  # nothing stored from it
    return out.getvalue(), err.getvalue()


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def annex_i_with(tmp_path: Path, row: str, name: str = "annex_i.csv") -> Path:
    return write(tmp_path, name, ANNEX_I.replace(FIRST_ROW_I, row))


def annex_ii_with(tmp_path: Path, old: str, new: str) -> Path:
    assert old in ANNEX_II
    return write(tmp_path, "ems.csv", ANNEX_II.replace(old, new))


def first_line(err: str) -> str:
    return next(line for line in err.splitlines() if line.strip())


def test_year_1_is_rejected_with_its_line(tmp_path):
    # Was: OverflowError (year 1 in Europe/Paris is before datetime.min in UTC).
    _out, err = rejected(annex_i_with(tmp_path, "0001-01-01T00:00:00;1006000;0;2004000;0"))
    assert first_line(err).startswith("annex_i.csv, line 9: ")
    assert "0001-01-01T00:00:00" in err and "1990-01-01" in err


def test_year_9999_is_rejected(tmp_path):
    # Was: accepted and stored.
    _out, err = rejected(annex_i_with(tmp_path, "9999-12-31T23:00:00;1006000;0;2004000;0"))
    assert first_line(err).startswith("annex_i.csv, line 9: ") and "in the future" in err


def test_a_cell_over_128_kib_is_rejected(tmp_path):
    # Was: csv.Error (field larger than field limit).
    _out, err = rejected(annex_i_with(tmp_path, "2018-09-26T09:50:00;" + "1" * (128 * 1024 + 1) + ";0;2004000;0"))
    assert first_line(err).startswith("annex_i.csv, line 9: ") and "128 KiB" in err


def test_a_quoted_cell_over_128_kib_spanning_lines_names_the_line_it_starts_on(tmp_path):
    long_cell = '"' + "x\n" * (70 * 1024) + '"'
    _out, err = rejected(annex_i_with(tmp_path, "2018-09-26T09:50:00;" + long_cell + ";0;2004000;0"))
    assert first_line(err).startswith("annex_i.csv, line 9: ")


def test_an_ems_coefficient_of_0_is_rejected(tmp_path):
    # Was: ZeroDivisionError.
    _out, err = rejected(annex_ii_with(tmp_path, "\t100 %\t", "\t0 %\t"))
    assert first_line(err).startswith("ems.csv, line 5: ") and "Coef" in err


@pytest.mark.parametrize("coef", ["inf %", "1e309 A", ". %", "-5 %", "abc"])
def test_an_ems_coefficient_that_is_no_positive_number_is_rejected(tmp_path, coef):
    _out, err = rejected(annex_ii_with(tmp_path, "\t100 %\t", f"\t{coef}\t"))
    assert first_line(err).startswith("ems.csv, line 5: ")


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e309", "Infinity", "1_000", "0x10", "1e400"])
def test_non_finite_and_malformed_values_are_rejected(tmp_path, value):
    # Was: inf and 1e309 stored as infinity; nan stored as NULL (an IntegrityError).
    _out, err = rejected(annex_i_with(tmp_path, f"2018-09-26T09:50:00;{value};0;2004000;0"))
    assert first_line(err).startswith("annex_i.csv, line 9: ") and value in err


@pytest.mark.parametrize("value", ["inf", "nan", "1e309", "1e15"])
def test_non_finite_and_out_of_range_ems_values_are_rejected(tmp_path, value):
    _out, err = rejected(annex_ii_with(tmp_path, DATA_0, f"0\t2019-01-18T15:14:00\t{value}\t192"))
    assert first_line(err).startswith("ems.csv, line 10: ")


def test_an_index_past_float64s_exact_integers_is_rejected(tmp_path):
    # 2**53 kWh is the last index float64 still counts in whole units: beyond, consumption is noise.
    _out, err = rejected(annex_i_with(tmp_path, "2018-09-26T09:50:00;1e19;0;2004000;0"))
    assert "line 9" in first_line(err)


def test_a_scale_that_is_no_positive_number_is_rejected(tmp_path):
    _out, err = rejected(write(tmp_path, "annex_i.csv", ANNEX_I.replace("Scale;1.0000000;", "Scale;0;")))
    assert first_line(err).startswith("annex_i.csv, line 8: ") and "Scale" in err


def test_every_rejected_row_is_listed_with_its_reason(tmp_path):
    text = ANNEX_I.replace("2018-09-26T09:40:00;1004500", "2018-09-26T09:40:00;inf") \
                  .replace("2018-09-26T09:20:00;1001500", "2018-09-26T25:20:00;1001500")
    _out, err = rejected(write(tmp_path, "annex_i.csv", text))
    assert "2 rows rejected" in err and "nothing imported" in err
    lines = err.splitlines()
    assert any(line.strip().startswith("line 10: ") and "inf" in line for line in lines)
    assert any(line.strip().startswith("line 12: ") and "25:20" in line for line in lines)


def test_a_bad_file_does_not_stop_the_good_ones(tmp_path):
    bad = annex_i_with(tmp_path, "0001-01-01T00:00:00;1;0;2;0", name="bad.csv")
    good = write(tmp_path, "good.csv", ANNEX_I)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 files rejected"):
        call_command("import_history", str(bad), str(good), stdout=out, stderr=err)
    assert "good.csv: 36 points imported" in out.getvalue()
    assert first_line(err.getvalue()).startswith("bad.csv, line 9: ")


@pytest.mark.parametrize("content, expected", [
    (b"", "line 1: the file is empty"),
    (b"\n\n  \n", "line 1: the file is empty"),
    (b";;\n;\n", "line 1: the file is empty"),  # found by hypothesis: an IndexError
    ("Device name;IP Address\nI35_102;0.0.0.0\nLoad Name;Éclairage\n".encode("latin-1"), "line 3: not UTF-8"),
    (b"\xff\xfe\x00\xd8", "line 1: not UTF-16"),  # a UTF-16 byte order mark, then half a surrogate pair
])
def test_empty_files_and_bad_encodings(tmp_path, content, expected):
    _out, err = rejected(write(tmp_path, "file.csv", content))
    assert first_line(err).startswith(f"file.csv, {expected}")


def test_a_utf16_file_as_spreadsheets_save_it_is_read(tmp_path):
    path = tmp_path / "unicode.csv"
    path.write_bytes(ANNEX_II.encode("utf-16"))  # with its byte order mark
    out = io.StringIO()
    call_command("import_history", str(path), stdout=out, stderr=io.StringIO())
    assert "5 points imported" in out.getvalue()


@pytest.mark.parametrize("lines", [2, 6, 7])  # no Measured value, no Unit, no Scale row
def test_an_annex_i_file_cut_in_its_header_is_rejected(tmp_path, lines):
    text = "\n".join(ANNEX_I.splitlines()[:lines])
    _out, err = rejected(write(tmp_path, "cut.csv", text))
    assert first_line(err).startswith("cut.csv, line ")


def test_an_annex_i_file_cut_in_a_row_is_rejected(tmp_path):
    text = ANNEX_I[:ANNEX_I.index("2018-09-26T09:10:00") + len("2018-09-26T09:10:00;10000")]
    _out, err = rejected(write(tmp_path, "cut.csv", text))
    assert first_line(err).startswith("cut.csv, line 13: ") and "4 columns" in err


@pytest.mark.parametrize("cut", ["Index Key\tKey", "3\tsocomec", "Index Key\tDate", "3\t2019-01-18T15:13"])
def test_an_ems_file_cut_anywhere_is_rejected(tmp_path, cut):
    text = ANNEX_II[:ANNEX_II.index(cut) + len(cut)]
    _out, err = rejected(write(tmp_path, "cut.csv", text))
    assert first_line(err).startswith("cut.csv, line ")


def test_an_ems_row_of_an_unknown_index_key_is_rejected(tmp_path):
    _out, err = rejected(annex_ii_with(tmp_path, DATA_0, "7\t2019-01-18T15:14:00\t234\t192"))
    assert first_line(err).startswith("ems.csv, line 10: ") and "index key 7" in err


def test_the_command_exits_1_without_a_traceback(tmp_path):
    """As a user runs it: exit status 1 and one line naming the file and the line. A file is
    checked before the database is asked anything (here a data dir of its own, never migrated)."""
    path = annex_i_with(tmp_path, "0001-01-01T00:00:00;1;0;2;0")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "WEBVIEW_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "manage.py", "import_history", str(path)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("annex_i.csv, line 9: ")


def test_nothing_stored_is_ever_non_finite(tmp_path):
    """The good example files, imported: every stored value is finite (the guard's bounds)."""
    call_command("import_history", str(write(tmp_path, "a.csv", ANNEX_I)), str(write(tmp_path, "b.csv", ANNEX_II)),
                 stdout=io.StringIO(), stderr=io.StringIO())
    values = list(HotPoint.objects.values_list("value", flat=True))
    assert values and all(math.isfinite(v) and abs(v) < 1e12 for v in values)
