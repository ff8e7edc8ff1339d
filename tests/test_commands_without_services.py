"""Commands when a service they need is not running (DESIGN.md "Public contract" › Commands): exit
status non-zero, one line on standard error that says what to do, no traceback; a command that
does not need the missing service does its job (issue 10, defect 4: `poll --once` ended in a Redis
traceback on the embedded default when the gateway was not running).

Each command runs as a subprocess of manage.py, as a user types it, on the embedded defaults of a
fresh data dir (SQLite, and the embedded Redis, not started), or with REDIS_URL / DATABASE_URL
pointing at ports nobody listens on."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.devices.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
ANNEX_I = ROOT / "tests" / "datalogger" / "files" / "annex_i.csv"
ADD_I35 = ("add_device", "--reference", "I-35", "--name", "I35_102", "--host", "127.0.0.1", "--unit", "102")


def manage(data_dir: Path, *args: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "WEBVIEW_TEST_DATABASE_NAME"}}
    env.update(WEBVIEW_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="webview.settings", **environment)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def assert_one_line_reason(result: subprocess.CompletedProcess, *naming: str) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert all(word in lines[0] for word in naming), lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A fresh data dir, migrated, with one I-35 added: the embedded Redis was never started."""
    data_dir = tmp_path_factory.mktemp("no-services")
    migrated = manage(data_dir, "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    added = manage(data_dir, *ADD_I35)  # adding a device needs the database only
    assert added.returncode == 0, added.stderr
    assert not (data_dir / "redis.sock").exists()
    return data_dir


def rows(data_dir: Path, query: str, *parameters) -> list[tuple]:
    with sqlite3.connect(data_dir / "webview.sqlite3") as database:
        return database.execute(query, parameters).fetchall()


def test_add_device_works_without_redis(site):
    assert rows(site, "SELECT name, unit_id FROM devices_device") == [("I35_102", 102)]


def test_poll_without_the_embedded_redis_says_to_start_the_gateway(site):
    result = manage(site, "poll", "--once")
    line = assert_one_line_reason(result, "Redis", "make run", "REDIS_URL")
    assert str(site / "redis.sock") in line


def test_poll_with_redis_url_on_a_closed_port_names_it(site):
    url = f"redis://127.0.0.1:{free_port()}/0"
    line = assert_one_line_reason(manage(site, "poll", "--once", "--json", REDIS_URL=url), "REDIS_URL")
    assert url in line


def test_import_history_needs_no_redis_and_imports(site, tmp_path):
    """It needs the database only: with the embedded Redis not running, it does its job."""
    circuits = dict(rows(site, 'SELECT "index", id FROM devices_circuit WHERE "index" IN (1, 2)'))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"I35_102/Security lighting Circulation": circuits[1],
                                   "I35_102/Security lighting Storage Metrol": circuits[2]}))
    result = manage(site, "import_history", str(ANNEX_I), "--mapping", str(mapping))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "annex_i.csv: 36 points imported" in result.stdout, result.stdout


@pytest.mark.parametrize("command", [
    ("poll", "--once"),
    ADD_I35,
    ("import_history", str(ANNEX_I)),
], ids=["poll", "add_device", "import_history"])
def test_a_database_that_is_down_is_named_in_one_line(site, command):
    url = f"postgres://webview:secret@127.0.0.1:{free_port()}/webview"
    line = assert_one_line_reason(manage(site, *command, DATABASE_URL=url), "DATABASE_URL")
    assert "secret" not in line  # the password stays out of the message


def test_a_data_dir_never_migrated_says_to_migrate(tmp_path):
    result = manage(tmp_path, *ADD_I35)
    assert_one_line_reason(result, "manage.py migrate")


def test_the_traceback_is_there_when_asked_for(site):
    result = manage(site, "poll", "--once", "--traceback")
    assert result.returncode != 0 and "Traceback" in result.stderr and "redis" in result.stderr.lower()
