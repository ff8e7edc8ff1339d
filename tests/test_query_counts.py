"""Query-count guards (STYLE.md habit 18) on the pages that read many rows: Monitor, Trends and
Consumption (pages and the API the Consumption page calls). Each page is read on a site with one
device (or one load) and again with many: the number of queries must not change."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from devices.models import Circuit
from hierarchies import rules
from tests.devices.topology import add, predefined  # noqa: F401 (fixture)
from tests.hierarchies.test_hierarchies import DAY, meter

pytestmark = pytest.mark.django_db
MORE = 11  # devices added between the two readings
MORE_LOADS = 5  # loads (each a meter with a day of stored periods)


def queries(client, url: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
        assert response.status_code == 200, response.content[:500]
    return len(captured)


def add_devices(first_unit: int, count: int) -> None:
    for unit_id in range(first_unit, first_unit + count):
        # I-35: three circuits each; areas and usages vary so every tree level grows too.
        add(f"Meter {unit_id}", reference="I-35" if unit_id % 2 else "A-40", unit_id=unit_id,
            area=f"Area {unit_id % 4}" if unit_id % 5 else None)


@pytest.mark.parametrize("url", ["/monitor/", "/monitor/?view=use", "/monitor/?view=fluid"])
def test_monitor_landing_page(predefined, client_as, url):
    client = client_as("user")
    add_devices(1, 1)
    few = queries(client, url)
    add_devices(2, MORE)
    assert queries(client, url) == few


def test_monitor_page_of_a_device(predefined, client_as):
    client = client_as("user")
    shown = add("Shown", reference="I-35", unit_id=100, area="Plant")
    url = f"/monitor/{shown.pk}/"
    few = queries(client, url)
    add_devices(1, MORE)
    assert queries(client, url) == few


@pytest.mark.parametrize("view", ["area", "use", "fluid"])
def test_trends_page(predefined, client_as, view):
    client = client_as("user")
    add_devices(1, 1)
    circuit = Circuit.objects.first()
    params = {"view": view, "circuit": circuit.pk}
    few = queries(client, "/trends/", params)
    add_devices(2, MORE)
    assert queries(client, "/trends/", params) == few


def hierarchy_of(loads: int):
    hierarchy = rules.create_hierarchy(name="Site", fluid=electricity_fluid())
    for n in range(loads):
        node = rules.add_node(hierarchy, name=f"Floor {n}")
        rules.link(hierarchy.root, node)
        rules.link(node, rules.add_circuit(hierarchy, meter(f"Meter {n}", 1.0 + n, "Lighting" if n % 2 else None)))
    return hierarchy


def electricity_fluid():
    from devices.models import Fluid

    return Fluid.objects.get(key="electricity")


def grow(hierarchy, first: int, count: int) -> None:
    for n in range(first, first + count):
        node = rules.add_node(hierarchy, name=f"Floor {n}")
        rules.link(hierarchy.root, node)
        rules.link(node, rules.add_circuit(hierarchy, meter(f"Meter {n}", 1.0 + n, "Heating" if n % 2 else None)))


@pytest.mark.parametrize("view", ["hierarchy", "use", "fluid"])
def test_consumption_page(predefined, client_as, view):
    client = client_as("user")
    hierarchy = hierarchy_of(1)
    params = {"view": view, "hierarchy": hierarchy.pk}
    few = queries(client, "/consumption/", params)
    grow(hierarchy, 1, MORE_LOADS)
    assert queries(client, "/consumption/", params) == few


@pytest.mark.parametrize("by", [{"step": "hour"}, {"step": "day", "by": "usage"}])
def test_consumption_api(predefined, client_as, by):
    client = client_as("user")
    hierarchy = hierarchy_of(1)
    params = {"hierarchy": hierarchy.pk, "start": DAY[0].isoformat(), "end": (DAY[1] + timedelta(days=1)).isoformat(),
              **by}
    few = queries(client, "/api/v1/consumption/", params)
    before = client.get("/api/v1/consumption/", params).json()["total"]
    grow(hierarchy, 1, MORE_LOADS)
    assert client.get("/api/v1/consumption/", params).json()["total"] > before  # the new loads are read
    assert queries(client, "/api/v1/consumption/", params) == few
