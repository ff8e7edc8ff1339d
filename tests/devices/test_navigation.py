"""The Navigation tree of the Organisation section (§7.2): by area, use and fluid, with the number
of loads below each level, the Filter's data, the View query parameter and the query count."""

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from devices.models import Area, Circuit, Fluid, Usage
from devices.navigation import device_url, navigation_tree
from tests.devices.topology import add, predefined  # noqa: F401 (fixture)
from webview.navigation import MENUS

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(predefined):
    """Building A: an I-35 (3 circuits) and an A-40 (1); Building B: an E23 (1); an empty area;
    a gateway without area (no circuits) and a disabled meter, which the tree leaves out."""
    devices = {
        "north": add("I-35 north", reference="I-35", unit_id=1, area="Building A"),
        "main": add("Main", reference="A-40", unit_id=2, area="Building A"),
        "lab": add("Lab", reference="E23", unit_id=3, area="Building B"),
        "gateway": add("Gateway", reference="M-70", unit_id=4),
        "off": add("Spare", reference="A-40", unit_id=5, area="Building B"),
    }
    Area.objects.create(name="Annex")
    devices["off"].enabled = False
    devices["off"].save()
    return devices


def names(nodes):
    return [node.name for node in nodes]


def test_area_tree_groups_enabled_devices_with_their_loads(site):
    tree = navigation_tree("area")
    assert names(tree.nodes) == ["Annex", "Building A", "Building B", "No area"]
    annex, building_a, building_b, no_area = tree.nodes
    assert (annex.loads, annex.children) == (0, [])
    assert building_a.loads == 4 and names(building_a.children) == ["I-35 north", "Main"]
    assert [child.loads for child in building_a.children] == [3, 1]
    assert building_b.loads == 1 and names(building_b.children) == ["Lab"]  # the disabled Spare is left out
    assert no_area.loads == 0 and names(no_area.children) == ["Gateway"]  # a gateway has no circuits
    assert building_a.children[0].url == device_url(site["north"].pk)
    assert tree.empty == ""


def test_device_links_go_to_the_device_page(site):
    url = device_url(site["main"].pk)
    # devices:device may not be routed yet: the link is then "#" and the page still renders.
    assert url in ("#", f"/monitor/{site['main'].pk}/")


def test_no_area_only_when_a_device_has_none(predefined):
    add("Main", area="Building A")
    assert names(navigation_tree("area").nodes) == ["Building A"]


def test_use_tree_groups_circuits_by_usage_then_undefined(site):
    heating, lighting = Usage.objects.get(external_key="Heating"), Usage.objects.get(external_key="IndoorLighting")
    north = list(site["north"].circuits.order_by("index"))
    Circuit.objects.filter(pk__in=[north[0].pk, north[1].pk]).update(usage=heating)
    site["lab"].circuits.update(usage=lighting)
    Circuit.objects.filter(device=site["off"]).update(usage=lighting)  # disabled: not counted

    heating_node, lighting_node, undefined = navigation_tree("use").nodes
    assert (heating_node.name, heating_node.loads) == ("Heating", 2)
    assert names(heating_node.children) == [f"I-35 north : {north[0].name}", f"I-35 north : {north[1].name}"]
    assert (lighting_node.name, lighting_node.loads, names(lighting_node.children)) == ("Indoor lighting", 1, ["Lab : Lab"])
    assert (undefined.name, undefined.loads) == ("Undefined", 2)
    assert names(undefined.children) == [f"I-35 north : {north[2].name}", "Main : Main"]
    main_circuit = site["main"].circuits.get()
    assert undefined.children[1].url == f"{device_url(site['main'].pk)}#circuit-{main_circuit.pk}"
    assert undefined.children[1].loads is None  # a circuit is a load: no count next to it


def test_fluid_tree_groups_circuits_by_fluid(site):
    gas = Fluid.objects.get(key="gas")
    site["lab"].circuits.update(fluid=gas)
    site["main"].circuits.update(fluid=None)
    electricity, gas_node, undefined = navigation_tree("fluid").nodes
    assert (electricity.name, electricity.loads) == ("Electricity", 3)
    assert (gas_node.name, gas_node.loads, names(gas_node.children)) == ("Gas", 1, ["Lab : Lab"])
    assert (undefined.name, names(undefined.children)) == ("Undefined", ["Main : Main"])


def test_empty_trees_say_why(predefined):
    assert navigation_tree("area").empty == "Nothing to show yet: no device is configured."
    add("Gateway", reference="M-70")
    assert navigation_tree("use").nodes == []
    assert navigation_tree("use").empty == "Nothing to show yet: no circuit is configured."
    # Features not built yet: an honest message, not a fake tree.
    assert (navigation_tree("hierarchy").nodes, navigation_tree("hierarchy").empty) == ([], "No hierarchy yet.")
    assert (navigation_tree("photoview").nodes, navigation_tree("photoview").empty) == ([], "No Photoview page yet.")


def test_filter_data_holds_name_reference_and_area(site):
    building_a = navigation_tree("area").nodes[1]
    assert building_a.search == "Building A"
    assert building_a.children[0].search == "I-35 north I-35 Building A"
    undefined = navigation_tree("use").nodes[0]
    first = site["north"].circuits.order_by("index").first()
    assert undefined.search == "Undefined"
    assert undefined.children[0].search == f"I-35 north {first.name} I-35 Building A Undefined"


def test_current_device_is_highlighted(site):
    tree = navigation_tree("area", current_device_id=site["main"].pk)
    building_a = tree.nodes[1]
    assert [child.current for child in building_a.children] == [False, True]
    html = render_to_string("webview/components/organisation.html", {
        "menu": MENUS["monitor"], "view_mode": "area", "navigation_tree": tree.nodes,
    })
    assert re.search(r'class="tree-row tree-current">\s*<a class="tree-name" href="[^"]*" aria-current="page">Main</a>',
                     html)
    assert html.count("tree-current") == 1


@pytest.mark.parametrize("mode", ["area", "use", "fluid"])
def test_one_or_two_queries_whatever_the_number_of_devices(predefined, mode, django_assert_max_num_queries):
    for unit_id in range(1, 13):
        add(f"Meter {unit_id}", reference="I-35" if unit_id % 2 else "A-40", unit_id=unit_id,
            area=f"Area {unit_id % 3}" if unit_id % 4 else None)
    with django_assert_max_num_queries(2):
        tree = navigation_tree(mode)
        # Everything the template reads is already fetched.
        [(node.name, node.loads, [(child.name, child.url, child.search) for child in node.children])
         for node in tree.nodes]


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_devices(predefined, client_as):
    client = client_as("user")
    add("First", reference="I-35", unit_id=1, area="A")
    few = page_queries(client, "/trends/")
    for unit_id in range(2, 12):
        add(f"Meter {unit_id}", reference="I-35", unit_id=unit_id, area=f"Area {unit_id}")
    assert page_queries(client, "/trends/") == few


def test_trends_page_renders_the_tree_of_the_view_parameter(site, client_as):
    client = client_as("user")
    html = client.get("/trends/").content.decode()  # default: the menu's first mode, area
    assert '<option value="area" selected>' in html
    assert re.search(r'data-tree-item data-search="Building A" aria-expanded="true">', html)
    assert re.search(r'<span class="tree-name">Building A</span>\s*<span class="tree-count" data-tree-count>4 loads',
                     html)
    # On Trends a device opens onto its circuits, each leading to the Trends page (§8.6).
    assert re.search(r'>Main</span>\s*<span class="tree-count" data-tree-count>1 load</span>', html)
    assert re.search(r'>Gateway</span>\s*<span class="tree-count" data-tree-count>0 loads</span>', html)
    main = Circuit.objects.get(device__name="Main")
    assert f'<a class="tree-name" href="/trends/?circuit={main.pk}">{main.name}</a>' in html
    assert 'role="tree"' in html and 'role="group"' in html and "data-tree-toggle" in html
    assert 'data-search="I-35 north I-35 Building A"' in html
    assert "Spare" not in html

    html = client.get("/trends/?view=use&period=last_month").content.decode()
    assert '<option value="use" selected>' in html
    assert re.search(r'<span class="tree-name">Undefined</span>\s*<span class="tree-count" data-tree-count>5 loads',
                     html)
    assert "Main : Main" in html

    # A mode the menu does not offer falls back to its first one.
    assert '<option value="area" selected>' in client.get("/trends/?view=photoview").content.decode()


def test_consumption_hierarchy_is_an_honest_empty_message(site, client_as):
    client = client_as("user")
    html = client.get("/consumption/").content.decode()
    assert '<option value="hierarchy" selected>' in html
    assert "No hierarchy yet: the consumption of each device is shown." in html
    assert "data-tree-item" not in html
    html = client.get("/consumption/?view=fluid").content.decode()
    assert re.search(r'<a class="tree-name" href="/consumption/\?fluid=electricity">Electricity</a>\s*'
                     r'<span class="tree-count" data-tree-count>5 loads', html)
