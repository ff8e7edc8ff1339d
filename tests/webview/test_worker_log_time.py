"""The worker's own log lines carry the same clock as every process log: UTC, ISO-8601.

Celery formats its lines itself (not through settings.LOGGING), with the process's local time,
which Django sets to the site's zone: under honcho's UTC prefix a line read two clocks."""

import re
import sys

import pytest
from django.conf import settings

from tests.webview.processes import database_env, environment, running, wait_until

pytestmark = pytest.mark.django_db(transaction=True)
UTC_STAMP = re.compile(r"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z: INFO/MainProcess\] .*ready\.$", re.M)


def test_the_worker_stamps_its_lines_in_utc(tmp_path):
    assert settings.TIME_ZONE != "UTC"
    env = environment(**database_env(), REDIS_URL=settings.REDIS_URL, TZ="Europe/Paris")
    command = [sys.executable, "-m", "celery", "-A", "webview", "worker", "--loglevel", "INFO", "--concurrency", "1",
               "--without-heartbeat", "--without-gossip", "--without-mingle"]
    with running(command, env, tmp_path / "worker.log") as worker:
        ready = wait_until(lambda: worker.check_alive() or "ready." in worker.output(), 90, "the worker ready")
        assert ready
        assert UTC_STAMP.search(worker.output()), worker.output()[-2000:]
