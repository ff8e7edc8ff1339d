from django.shortcuts import redirect, render
from django.templatetags.static import static

from cybersecurity.permissions import MODEL_RULES, PROFILE_RIGHTS, Right, rule_for_view
from cybersecurity.profiles import ProfileKind
from webview.navigation import MENUS, SECTIONS


def home(request):
    """§8.1: the menus grouped in the Monitor and Analyse sections."""
    sections = [(title, [menu for menu in MENUS.values() if menu.section == key]) for key, title in SECTIONS]
    return render(request, "webview/home.html", {"sections": sections})


def favicon(request):
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API docs).
    return redirect(static("webview/img/logo.svg"), permanent=True)


# Admin URL names end in the view of a model: "admin:<app>_<model>_<view>".
_ADMIN_VIEW_ACTIONS = {"changelist": "view", "change": "view", "history": "view", "add": "add", "delete": "delete"}


def _right_needed(request) -> Right | None:
    """The right the refused URL asks for (a Settings model's, or the view's in the map)."""
    match = request.resolver_match
    view_name = match.view_name if match else ""
    if view_name.startswith("admin:"):
        name = view_name.removeprefix("admin:")
        for model, rights in MODEL_RULES.items():
            prefix = model.replace(".", "_") + "_"
            if name.startswith(prefix):
                action = _ADMIN_VIEW_ACTIONS.get(name.removeprefix(prefix), "view")
                return rights.get(action) or rights.get("view")
    rule = rule_for_view(view_name, request.method)
    return rule if isinstance(rule, Right) else None


def permission_denied(request, exception=None):
    """403 in the frame: which profiles may open the page, and a way to sign in with one."""
    right = _right_needed(request)
    profiles = [str(label) for key, label in ProfileKind.choices if right and right in PROFILE_RIGHTS[key]]
    return render(request, "webview/403.html", {"profiles": profiles, "profile_count": len(profiles)}, status=403)
