from django.shortcuts import redirect, render
from django.templatetags.static import static

from devices.navigation import navigation_tree
from webview.navigation import MENUS, PERIODS, RESOLUTIONS, SECTIONS


def home(request):
    """§8.1: the menus grouped in the Monitor and Analyse sections."""
    sections = [(title, [menu for menu in MENUS.values() if menu.section == key]) for key, title in SECTIONS]
    return render(request, "webview/home.html", {"sections": sections})


def render_menu_page(request, menu_key: str, template: str, context: dict | None = None):
    """A menu page: the frame, its left pane (when the menu has one) and the menu's content.

    §7.2: the Navigation tree is that of the URL's ``?view=`` (default: the menu's first mode);
    a page showing one device passes ``current_device_id`` for the tree to highlight it."""
    menu, context = MENUS[menu_key], context or {}
    frame = {"menu": menu, "periods": PERIODS, "resolutions": RESOLUTIONS, "navigation_tree": [],
             "navigation_empty": "", "view_mode": ""}
    if menu.view_modes:
        view_mode = request.GET.get("view")
        if view_mode not in menu.view_modes:
            view_mode = menu.view_modes[0]
        if menu_key == "consumption":
            from hierarchies.navigation import consumption_tree  # hierarchies builds on devices

            tree = consumption_tree(view_mode)
        else:
            tree = navigation_tree(view_mode, context.get("current_device_id"), menu_key)
        frame.update(view_mode=view_mode, navigation_tree=tree.nodes, navigation_empty=tree.empty)
    return render(request, template, {**frame, **context})


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs).
    return redirect(static("webview/img/logo.svg"), permanent=True)
