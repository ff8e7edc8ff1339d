"""Enforces the permission map on every Django view. DRF views are judged by
api.permissions.PermissionMapPermission instead, after their own authentication (tokens)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from rest_framework.views import APIView

from cybersecurity.permissions import Verdict, judge_view


def _is_api_view(view_func) -> bool:
    view_class = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class PermissionMapMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if _is_api_view(view_func):
            return None
        verdict = judge_view(request.user, request.resolver_match.view_name, request.method)
        if verdict is Verdict.ALLOW:
            return None
        if verdict is Verdict.SIGN_IN:
            return redirect_to_login(request.get_full_path())
        if verdict is Verdict.CHANGE_PASSWORD:
            return redirect("password_change")
        raise PermissionDenied
