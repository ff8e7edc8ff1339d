"""Test settings: the real Redis server (REDIS_URL, default db 1 of 127.0.0.1:6379), the
database of DATABASE_URL or a file SQLite under var/test, and a fast password hasher."""

import os
from pathlib import Path

os.environ.setdefault("WEBVIEW_DATA_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/1")

from webview.settings import *  # noqa: E402,F403

# Hashing cost is not what the tests examine; the product keeps Django's PBKDF2 default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# The manifest belongs to the production storage replaced above; without this, ServeStatic's
# middleware refuses to start (TypeError) and every request of the suite fails.
SERVESTATIC_USE_MANIFEST = False
# Serve /static/ straight from the app directories: no collectstatic step before a test run.
SERVESTATIC_USE_FINDERS = True

# The browser tests' daphne subprocess opens the test database pytest-django created as its
# main database (a SQLite file path, or a PostgreSQL database name).
if os.environ.get("WEBVIEW_E2E_DATABASE_NAME"):
    DATABASES["default"]["NAME"] = os.environ["WEBVIEW_E2E_DATABASE_NAME"]  # noqa: F405
    MIDDLEWARE = ["tests.e2e.fresh_caches.ForgetContentTypes", *MIDDLEWARE]  # noqa: F405

# Threads (websocket consumers, the Celery test worker) close their connections after use, so
# that PostgreSQL can drop the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
