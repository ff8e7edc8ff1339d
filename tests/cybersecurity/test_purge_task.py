"""The hourly purge runs through the real stack: beat's database schedule, the Redis broker, a worker."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cybersecurity.models import ApiToken
from cybersecurity.tasks import purge_expired_sessions
from webview.celery import app


@pytest.mark.django_db
def test_the_purge_is_scheduled_in_the_database_for_beat():
    task = PeriodicTask.objects.get(task="cybersecurity.tasks.purge_expired_sessions")
    assert task.enabled and task.interval.every == 1 and task.interval.period == "hours"


@pytest.mark.django_db(transaction=True)
def test_a_worker_purges_expired_tokens_sent_through_the_redis_broker(ready_profile):
    profile = ready_profile("admin")
    ApiToken.objects.create(digest="a" * 64, profile=profile, expires=timezone.now() - timedelta(minutes=1))
    ApiToken.objects.create(digest="b" * 64, profile=profile, expires=timezone.now() + timedelta(hours=1))
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        purge_expired_sessions.delay()
        deadline = time.monotonic() + 20
        while ApiToken.objects.filter(digest="a" * 64).exists() and time.monotonic() < deadline:
            time.sleep(0.05)  # polling the database the worker writes to, with a deadline
    assert list(ApiToken.objects.values_list("digest", flat=True)) == ["b" * 64]
