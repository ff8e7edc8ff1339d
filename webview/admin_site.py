from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.sites import UnfoldAdminSite


class WebViewAdminSite(UnfoldAdminSite):
    """The one settings site; every profile sees the §9 menus its rights allow."""

    site_title = _("WebView settings")
    site_header = _("WebView settings")
    index_title = _("Settings")
    site_url = "/"

    def login(self, request, extra_context=None):
        # One sign-in page for the whole gateway (§6.1): profile, password, language.
        if request.user.is_authenticated:
            return redirect(self.reverse_index())
        return redirect_to_login(request.GET.get("next") or self.reverse_index())

    def reverse_index(self) -> str:
        return reverse(f"{self.name}:index")

    def password_change(self, request, extra_context=None):
        # Passwords change through cybersecurity.services only (validation, audit, token revocation).
        return redirect("password_change")

    def logout(self, request, extra_context=None):
        from cybersecurity.views import logout_view

        return logout_view(request)
