"""Writing the audit log. Every security event goes through record()."""

import logging

from django.http import HttpRequest

from cybersecurity.models import AuditEvent

logger = logging.getLogger("webview.audit")


def client_ip(request: HttpRequest | None) -> str | None:
    # Behind no proxy by default: the peer address is the client. A reverse proxy deployment
    # would configure a trusted forwarded header here.
    return request.META.get("REMOTE_ADDR") if request is not None else None


def record(
    action: str,
    *,
    profile: str,
    success: bool,
    request: HttpRequest | None = None,
    actor: str = "",
    reason: str = "",
    channel: str = "web",
) -> AuditEvent:
    event = AuditEvent.objects.create(
        action=action,
        profile=profile[:64],
        actor=actor,
        success=success,
        reason=reason,
        ip_address=client_ip(request),
        channel=channel,
    )
    logger.info("audit %s profile=%s success=%s reason=%s ip=%s", action, profile, success, reason, event.ip_address)
    return event
