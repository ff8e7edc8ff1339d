from django.shortcuts import redirect, render
from django.templatetags.static import static

from webview.navigation import MENUS, SECTIONS


def home(request):
    """§8.1: the menus grouped in the Monitor and Analyse sections."""
    sections = [(title, [menu for menu in MENUS.values() if menu.section == key]) for key, title in SECTIONS]
    return render(request, "webview/home.html", {"sections": sections})


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs).
    return redirect(static("webview/img/logo.svg"), permanent=True)
