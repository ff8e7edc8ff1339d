"""Content-Security-Policy with one relaxation: the admin theme (Unfold) ships the standard
Alpine build and inline scripts, which need 'unsafe-eval' and 'unsafe-inline'. Our own pages
keep the strict policy of settings.CONTENT_SECURITY_POLICY."""

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.middleware import PolicyParts
from django.urls import reverse

ADMIN_RELAXATION = {
    "script-src": ["'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'unsafe-inline'"],
}


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(reverse("admin:index")):
            parts.update = {**ADMIN_RELAXATION, **(parts.update or {})}
            parts.nonce = None  # a nonce would make browsers ignore 'unsafe-inline'
        return parts
