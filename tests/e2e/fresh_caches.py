"""Middleware of the browser tests' server only: each transactional test flushes the database,
and the content types come back with other ids, so the server forgets the ids it cached (the
admin's log entries would point at the old ones)."""

from django.contrib.contenttypes.models import ContentType


class ForgetContentTypes:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ContentType.objects.clear_cache()
        return self.get_response(request)
