"""Embedded defaults: the data dir, the secret key kept there, SQLite durability, deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from webview.runtime import load_or_create_secret_key

ROOT = Path(__file__).resolve().parents[2]


def test_secret_key_is_generated_once_and_kept(tmp_path):
    path = tmp_path / "secret_key"
    first = load_or_create_secret_key(path)
    assert len(first) > 50
    assert load_or_create_secret_key(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite pragmas")
def test_sqlite_runs_in_wal_with_full_synchronous():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    assert synchronous == 2  # FULL: a committed transaction survives power loss
    assert journal == "wal"


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "webview.settings", **env}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        WEBVIEW_DATA_DIR=str(tmp_path), WEBVIEW_HTTPS="1", REDIS_URL=settings.REDIS_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "secret_key").exists()


def test_unreachable_redis_is_reported_by_the_deploy_check(tmp_path):
    result = run_manage("check", "--deploy", WEBVIEW_DATA_DIR=str(tmp_path), WEBVIEW_HTTPS="1",
                        REDIS_URL="redis://127.0.0.1:1/0")
    assert "webview.W001" in result.stdout + result.stderr


def test_embedded_redis_is_the_default_and_lives_in_the_data_dir(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    code = "from django.conf import settings; print(settings.REDIS_URL, settings.EMBEDDED_REDIS)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, capture_output=True, text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "webview.settings", "WEBVIEW_DATA_DIR": str(tmp_path)}, timeout=60,
    )
    assert result.stdout.split() == [f"unix://{tmp_path}/redis.sock", "True"]


@pytest.mark.django_db
def test_security_headers_on_pages(client):
    response = client.get("/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
