from django.shortcuts import redirect, render
from django.templatetags.static import static

from webview.navigation import MENUS, PERIODS, RESOLUTIONS, SECTIONS


def home(request):
    """§8.1: the menus grouped in the Monitor and Analyse sections."""
    sections = [(title, [menu for menu in MENUS.values() if menu.section == key]) for key, title in SECTIONS]
    return render(request, "webview/home.html", {"sections": sections})


def render_menu_page(request, menu_key: str, template: str, context: dict | None = None):
    """A menu page: the frame, its left pane (when the menu has one) and the menu's content."""
    frame = {"menu": MENUS[menu_key], "periods": PERIODS, "resolutions": RESOLUTIONS, "navigation_tree": []}
    return render(request, template, {**frame, **(context or {})})


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs).
    return redirect(static("webview/img/logo.svg"), permanent=True)
