"""Datalogger beat tasks: store the ended integration periods, pack the closed days (and drop
what is past its retention). Both are
idempotent and keep their progress in the database, so a killed worker costs a rerun only."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def close_periods() -> int:
    from django.conf import settings
    from redis import Redis

    from datalogger.closing import close_ended_periods

    with Redis.from_url(settings.REDIS_URL, **settings.REDIS_CLIENT_OPTIONS) as redis:
        closed = close_ended_periods(redis)
    if closed:
        logger.info("datalogger: %d integration periods stored", closed)
    return closed


@shared_task(ignore_result=True)
def compact_days() -> int:
    from datalogger.compaction import apply_retention, compact_before

    apply_retention()
    return compact_before()
