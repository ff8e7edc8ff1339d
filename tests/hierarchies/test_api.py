"""GET /api/v1/consumption/ (DESIGN.md contract) and the hierarchies API (§9.7)."""

import pytest

from devices.models import Circuit, Fluid
from hierarchies.models import Hierarchy, Link, Member
from tests.hierarchies.test_hierarchies import DAY, building, electricity, meter  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
URL = "/api/v1/consumption/"


def span(**params) -> dict:
    return {"start": DAY[0].isoformat(), "end": DAY[1].isoformat(), **params}


def test_a_hierarchy_by_load_in_the_contract_shape(client_as, building):
    hierarchy, _floors = building
    body = client_as("user").get(URL, span(hierarchy=hierarchy.pk, step="hour")).json()
    assert set(body) >= {"unit", "buckets", "loads", "total"} and body["unit"] == "kWh"
    assert len(body["buckets"]) == 24 or len(body["buckets"]) == 25  # local hours over a UTC day
    assert {load["kind"] for load in body["loads"]} == {"node", "non_measured"}
    assert body["total"] == pytest.approx(1440.0)
    assert sum(v or 0 for load in body["loads"] for v in load["values"]) == pytest.approx(1440.0)


def test_without_a_hierarchy_the_circuits_of_a_fluid(client_as):
    meter("Kitchen", 2.0)
    meter("Lift", 1.0)
    body = client_as("user").get(URL, span(fluid="electricity")).json()
    assert body["step"] == "hour"  # auto: a day in hours
    assert [(load["name"], round(sum(v or 0 for v in load["values"]))) for load in body["loads"]] == [
        ("Kitchen", 288), ("Lift", 144)]


@pytest.mark.parametrize("params, field", [
    ({}, "hierarchy"),
    ({"fluid": "electricity", "usage": "1"}, "hierarchy"),
    ({"fluid": "electricity", "end": "2026-05-01T00:00:00Z"}, "end"),
    ({"fluid": "electricity", "step": "fortnight"}, "step"),
    ({"fluid": "plasma"}, "fluid"),
    ({"fluid": "electricity", "step": "minute", "start": "2026-01-01T00:00:00Z"}, "step"),
])
def test_bad_input_is_a_400_naming_the_field(client_as, params, field):
    response = client_as("user").get(URL, {**span(), **params})
    assert response.status_code == 400 and field in response.json()


def test_admin_builds_a_hierarchy_through_the_api_and_the_rules_hold(client_as, electricity):
    incomer = meter("Incomer", 4.0)
    admin = client_as("admin")
    created = admin.post("/api/v1/hierarchies/", {"name": "Site", "fluid": "electricity"},
                         content_type="application/json")
    assert created.status_code == 201
    site = Hierarchy.objects.get(name="Site")
    root = site.root
    node = admin.post(f"/api/v1/hierarchies/{site.pk}/members/", {"kind": "node", "name": "Workshop"},
                      content_type="application/json").json()
    circuit = admin.post(f"/api/v1/hierarchies/{site.pk}/members/", {"kind": "circuit", "circuit": incomer.pk},
                         content_type="application/json").json()
    assert admin.post(f"/api/v1/hierarchies/{site.pk}/links/", {"source": root.pk, "target": node["id"]},
                      content_type="application/json").status_code == 201
    refused = admin.post(f"/api/v1/hierarchies/{site.pk}/links/", {"source": node["id"], "target": root.pk},
                         content_type="application/json")
    assert refused.status_code == 400 and "main node" in str(refused.json())
    assert admin.patch(f"/api/v1/hierarchy-elements/{node['id']}/", {"name": "Workshop A", "x": 120},
                       content_type="application/json").status_code == 200
    assert Member.objects.get(pk=node["id"]).name == "Workshop A" and Link.objects.count() == 1
    detail = client_as("user").get(f"/api/v1/hierarchies/{site.pk}/").json()
    assert {m["label"] for m in detail["members"]} == {"Site", "Workshop A", str(Circuit.objects.get(pk=incomer.pk))}
    assert client_as("user").post(f"/api/v1/hierarchies/{site.pk}/members/", {"kind": "node", "name": "X"},
                                  content_type="application/json").status_code == 403
    assert admin.delete(f"/api/v1/hierarchy-elements/{root.pk}/").status_code == 400
    assert admin.delete(f"/api/v1/hierarchy-elements/{circuit['id']}/").status_code == 204
    water = admin.post("/api/v1/hierarchies/", {"name": "Site", "fluid": "water"}, content_type="application/json")
    assert water.status_code == 400 and Hierarchy.objects.count() == 1
    assert Fluid.objects.filter(key="water").exists()


def test_settings_hierarchies_for_admin_and_cyber_only(client_as, electricity, ready_profile):
    from hierarchies import rules

    admin = client_as("admin")
    assert admin.get("/settings/hierarchies/hierarchy/").status_code == 200
    for n in range(rules.MAX_HIERARCHIES):
        rules.create_hierarchy(name=f"H{n}", fluid=electricity)
    refused = admin.post("/settings/hierarchies/hierarchy/add/", {"name": "Eleventh", "fluid": electricity.pk})
    assert refused.status_code == 200 and "at most 10 hierarchies" in refused.content.decode()
    assert Hierarchy.objects.count() == 10
    page = admin.get(f"/settings/hierarchies/hierarchy/{Hierarchy.objects.first().pk}/change/").content.decode()
    assert "data-hierarchy-editor" in page and "/static/dist/cytoscape.js" in page
    ready_profile("advanced")
    assert client_as("advanced").get("/settings/hierarchies/hierarchy/").status_code == 403
