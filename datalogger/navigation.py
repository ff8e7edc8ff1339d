"""The Trends menu's Navigation tree (§8.6, §7.2): area → device → circuit, or usage/fluid →
circuit, each circuit leading to the Trends page with it chosen."""

from collections.abc import Mapping
from typing import Any

from devices.navigation import navigation_tree
from webview.frame import NavigationTree, register_tree


def trends_tree(view_mode: str, context: Mapping[str, Any]) -> NavigationTree:
    return navigation_tree(view_mode, menu="trends")


register_tree("trends", trends_tree)
