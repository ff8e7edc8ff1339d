"""The page frame of every menu page (manual §7): top bar, left pane with its Organisation
section (§7.2, the Navigation tree) and Time period (§7.3), then the menu's content.

The apps plug into it: each one registers the Navigation tree of its own menu from its
``navigation.py`` (found at start by ``WebViewConfig.ready``), and renders its pages with
``render_menu_page``. The frame imports no app (the import-linter contract says so), so an app
adding a menu never edits this file.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from webview.navigation import AREA, FLUID, HIERARCHY, MENUS, PERIODS, PHOTOVIEW, RESOLUTIONS, USE

__all__ = ["AREA", "FLUID", "HIERARCHY", "PHOTOVIEW", "USE", "NavigationTree", "TreeBuilder", "TreeNode",
           "register_tree", "render_menu_page", "tree_of"]


@dataclass
class TreeNode:
    name: str
    search: str  # what the Filter matches (name, area, reference), lower-cased by the browser
    url: str = ""
    loads: int | None = None  # circuits below; None on a circuit, which is a load itself
    current: bool = False  # the device the page shows (or one of its circuits)
    children: list["TreeNode"] = field(default_factory=list)


@dataclass
class NavigationTree:
    nodes: list[TreeNode]
    empty: str  # shown instead of the tree when it has no node


# (view mode, the page's context) → the tree; the context carries what the page shows
# (``current_device_id`` on a device's Monitor page) for the tree to highlight it.
TreeBuilder = Callable[[str, Mapping[str, Any]], NavigationTree]

_TREES: dict[str, TreeBuilder] = {}


def register_tree(menu_key: str, builder: TreeBuilder) -> None:
    """Declare the Navigation tree of menu ``menu_key``; one builder per menu."""
    if menu_key not in MENUS:
        raise ValueError(f"No menu {menu_key!r} to register a Navigation tree for (menus: {', '.join(MENUS)}).")
    registered = _TREES.get(menu_key)
    if registered is not None and registered is not builder:
        raise ValueError(f"The {menu_key!r} menu already has a Navigation tree ({registered.__module__}).")
    _TREES[menu_key] = builder


def tree_of(menu_key: str, view_mode: str, context: Mapping[str, Any]) -> NavigationTree:
    """The menu's tree in ``view_mode``. A menu whose app registered none has an empty pane: a
    missing registration shows as such, never as another menu's tree."""
    builder = _TREES.get(menu_key)
    return builder(view_mode, context) if builder else NavigationTree([], "")


def render_menu_page(request: HttpRequest, menu_key: str, template: str,
                     context: dict[str, Any] | None = None) -> HttpResponse:
    """A menu page: the frame, its left pane (when the menu has one) and the menu's content.

    §7.2: the Navigation tree is that of the URL's ``?view=`` (default: the menu's first mode)."""
    menu, context = MENUS[menu_key], context or {}
    frame = {"menu": menu, "periods": PERIODS, "resolutions": RESOLUTIONS, "navigation_tree": [],
             "navigation_empty": "", "view_mode": ""}
    if menu.view_modes:
        view_mode = request.GET.get("view")
        if view_mode not in menu.view_modes:
            view_mode = menu.view_modes[0]
        tree = tree_of(menu_key, view_mode, context)
        frame.update(view_mode=view_mode, navigation_tree=tree.nodes, navigation_empty=tree.empty)
    return render(request, template, {**frame, **context})
