import time

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Wait until Redis answers (the processes of the run command start together)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout: float, **options):
        deadline = time.monotonic() + timeout
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        while True:
            try:
                client.ping()
                return
            except redis.RedisError as error:
                if time.monotonic() > deadline:
                    raise CommandError(f"Redis at {settings.REDIS_URL} did not answer within {timeout:g} s: {error}")
                time.sleep(0.2)
