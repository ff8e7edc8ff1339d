"""The audit log reads on one clock, the site's (DESIGN.md "Time")."""

from datetime import UTC, datetime

import pytest
from django.conf import settings

from cybersecurity.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_an_audit_event_is_named_with_the_sites_time_as_the_log_shows_it(client_as):
    assert settings.TIME_ZONE == "Europe/Paris"
    event = AuditEvent.objects.create(action=AuditEvent.Action.POLICY_CHANGE, success=True, profile="admin")
    # 01:30 UTC on the day of the spring change is 03:30 in Paris (UTC+2).
    AuditEvent.objects.filter(pk=event.pk).update(at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    event.refresh_from_db()
    assert str(event).startswith("2026-03-29 03:30:00 ")


def test_the_audit_api_speaks_iso_with_the_sites_offset(client_as):
    event = AuditEvent.objects.create(action=AuditEvent.Action.POLICY_CHANGE, success=True, profile="admin")
    AuditEvent.objects.filter(pk=event.pk).update(at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC))
    body = client_as("cyber").get("/api/v1/audit/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert "2026-03-29T03:30:00+02:00" in [row.get("at") for row in rows]
