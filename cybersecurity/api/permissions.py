from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from cybersecurity.permissions import Verdict, judge_view


class PermissionMapPermission(BasePermission):
    """Default DRF permission: the endpoint's URL name is judged against the permission map."""

    def has_permission(self, request, view) -> bool:
        verdict = judge_view(request.user, request.resolver_match.view_name, request.method)
        if verdict is Verdict.CHANGE_PASSWORD:
            self.message = _("Change this profile's default password first (POST /api/v1/auth/password/).")
            self.code = "password_change_required"
        elif verdict is Verdict.FORBIDDEN:
            self.message = _("This profile may not use this endpoint.")
            self.code = "forbidden_for_profile"
        return verdict is Verdict.ALLOW
