"""The page frame (webview.frame): each app registers its menu's Navigation tree, the frame
renders whichever is registered, with no special case per menu."""

import pytest

from webview.frame import NavigationTree, register_tree, tree_of
from webview.navigation import MENUS

pytestmark = pytest.mark.django_db


def test_every_menu_with_a_left_pane_tree_has_one_registered():
    """Monitor (devices), Trends (datalogger) and Consumption (hierarchies) registered theirs at start."""
    from webview import frame

    with_modes = {key for key, menu in MENUS.items() if menu.view_modes}
    assert with_modes == {"monitor", "consumption", "trends"}
    assert set(frame._TREES) >= with_modes
    assert frame._TREES["monitor"].__module__ == "devices.navigation"
    assert frame._TREES["trends"].__module__ == "datalogger.navigation"
    assert frame._TREES["consumption"].__module__ == "hierarchies.navigation"


def test_the_consumption_tree_comes_through_the_frame():
    from devices.models import Fluid
    from hierarchies import rules
    from hierarchies.navigation import consumption_tree

    rules.create_hierarchy(name="Frame site", fluid=Fluid.objects.get(key="electricity"))
    tree = tree_of("consumption", "hierarchy", {})
    assert "Frame site" in [node.name for node in tree.nodes]
    assert tree == consumption_tree("hierarchy")


def test_a_tree_for_an_unknown_menu_is_refused():
    with pytest.raises(ValueError, match="No menu 'reports'"):
        register_tree("reports", lambda view_mode, context: NavigationTree([], ""))


def test_a_second_tree_for_a_menu_is_refused():
    with pytest.raises(ValueError, match="already has a Navigation tree"):
        register_tree("monitor", lambda view_mode, context: NavigationTree([], ""))


def test_consumption_page_shows_its_own_tree(client_as):
    from hierarchies.navigation import consumption_tree

    response = client_as("user").get("/consumption/?view=use")
    assert response.status_code == 200
    assert response.context["navigation_tree"] == consumption_tree("use").nodes
