"""The API's documentation page (Swagger UI from drf-spectacular-sidecar), served like the rest of
the site: a visitor who is not signed in is sent to the sign-in page (not a bare 401), and the
page keeps the strict CSP (no inline style or script)."""

from django.contrib.auth.views import redirect_to_login
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated


class ApiDocsView(SpectacularSwaggerSplitView):
    # drf-spectacular's page with its inline <style> moved to webview/css/api_docs.css; the
    # split view already serves the start-up script as a file (?script), not inline.
    template_name = "webview/api_docs.html"

    def handle_exception(self, exc):
        if isinstance(exc, (NotAuthenticated, AuthenticationFailed)):
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)
