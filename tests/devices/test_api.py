"""/api/v1/devices/, circuits/, usages/, areas/, fluids/ (DESIGN.md contract, manual §9.6):
reading needs View data, changing needs Configure; writes go through devices.services."""

import pytest

from devices import services
from devices.catalogue import catalogue
from devices.models import Area, Circuit, Device, Fluid, Usage
from devices.predefined import FLUIDS, USAGES
from tests.conftest import ALL_PROFILES
from tests.devices.topology import add, live_cache, predefined  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
READ_ONLY_PROFILES = ["user", "advanced", "totem"]
CONFIGURING_PROFILES = ["admin", "cyber"]


def circuit_names(reference: str) -> list[str]:
    return [circuit.name for circuit in catalogue().reference(reference).circuits]


# Rights --------------------------------------------------------------------------------------

READ_URLS = ["/api/v1/devices/", "/api/v1/circuits/", "/api/v1/usages/", "/api/v1/areas/", "/api/v1/fluids/"]


@pytest.mark.parametrize("key", ALL_PROFILES)
def test_every_profile_reads_the_topology(client_as, key, predefined):
    device = add("Main", area="Factory 1")
    client = client_as(key)
    for url in [*READ_URLS, f"/api/v1/devices/{device.pk}/", f"/api/v1/devices/{device.pk}/live/",
                f"/api/v1/circuits/{device.circuits.get().pk}/"]:
        assert client.get(url).status_code == 200, url


def test_anonymous_reads_nothing(api_client):
    for url in READ_URLS:
        assert api_client.get(url).status_code in (401, 403), url


@pytest.mark.parametrize("key", READ_ONLY_PROFILES)
def test_profiles_without_configure_change_nothing(client_as, key, predefined):
    device = add("Main")
    circuit = device.circuits.get()
    client = client_as(key)
    created = client.post("/api/v1/devices/", {"reference": "A-40", "name": "Other", "host": "10.0.0.2", "unit_id": 2},
                          content_type="application/json")
    assert created.status_code == 403 and created.json()["detail"] == "This profile may not use this endpoint."
    assert client.delete(f"/api/v1/devices/{device.pk}/").status_code == 403
    assert client.patch(f"/api/v1/circuits/{circuit.pk}/", {"name": "Renamed"},
                        content_type="application/json").status_code == 403
    assert client.post("/api/v1/usages/", {"name": "Pumps", "external_key": "Pumps"},
                       content_type="application/json").status_code == 403
    assert list(Device.objects.values_list("name", flat=True)) == ["Main"]
    assert Circuit.objects.get().name == "Main"
    assert not Usage.objects.filter(name="Pumps").exists()


# Adding a device (§9.6.2) --------------------------------------------------------------------

def test_adding_a_device_creates_its_circuits_and_its_area(client_as, predefined):
    response = client_as("admin").post("/api/v1/devices/", {
        "reference": "I-35", "name": "I-35@4", "area": "Factory 1", "host": "127.0.0.1", "port": 1502, "unit_id": 4,
        "poll_seconds": 2, "integration_minutes": 15,
    }, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    device = Device.objects.get(pk=body["id"])
    assert (device.reference, device.area.name, device.port, device.unit_id, device.poll_seconds,
            device.integration_minutes) == ("I-35", "Factory 1", 1502, 4, 2.0, 15)
    assert body["area"] == {"id": device.area_id, "name": "Factory 1"}
    assert [c["name"] for c in body["circuits"]] == circuit_names("I-35")
    assert {c.fluid.key for c in device.circuits.all()} == {"electricity"}


BASE = {"reference": "A-40", "name": "New meter", "area": "New area", "host": "10.0.0.9", "unit_id": 9}


@pytest.mark.parametrize("change, field", [
    ({"reference": "X-99"}, "reference"),
    ({"unit_id": 0}, "unit_id"),
    ({"unit_id": 248}, "unit_id"),
    ({"unit_id": "nine"}, "unit_id"),
    ({"unit_id": 5, "host": "10.0.0.5"}, "unit_id"),  # the address of "Existing"
    ({"host": ""}, "host"),
    ({"name": "Existing"}, "name"),
    ({"port": 0}, "port"),
    ({"poll_seconds": 0}, "poll_seconds"),
    ({"name": None}, "name"),
])
def test_bad_device_input_is_refused_with_its_field_and_creates_nothing(client_as, predefined, change, field):
    add("Existing", unit_id=5, host="10.0.0.5")
    body = {key: value for key, value in {**BASE, **change}.items() if value is not None}
    response = client_as("admin").post("/api/v1/devices/", body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == [field], response.json()
    assert list(Device.objects.values_list("name", flat=True)) == ["Existing"]
    assert Circuit.objects.count() == 1
    assert not Area.objects.filter(name="New area").exists()


# Deleting (§9.6.3 item 15) -------------------------------------------------------------------

def test_the_gateway_cannot_be_deleted(client_as, predefined):
    gateway = add("M-70", reference="M-70", unit_id=247)
    meter = add("I-35@4", reference="I-35", unit_id=4)
    client = client_as("admin")
    refused = client.delete(f"/api/v1/devices/{gateway.pk}/")
    assert refused.status_code == 400
    assert "Gateways cannot be deleted" in refused.json()["detail"][0]
    assert Device.objects.filter(pk=gateway.pk).exists()
    assert client.delete(f"/api/v1/devices/{meter.pk}/").status_code == 204
    assert not Device.objects.filter(pk=meter.pk).exists()
    assert not Circuit.objects.filter(device_id=meter.pk).exists()


# Live values ---------------------------------------------------------------------------------

def test_live_of_a_device_never_polled_is_offline_with_its_circuits(client_as, predefined):
    device = add("I-35@4", reference="I-35", unit_id=4)
    body = client_as("user").get(f"/api/v1/devices/{device.pk}/live/").json()
    assert body == {
        "device": device.pk, "status": "offline", "reason": "not polled yet", "timestamp": None,
        "circuits": [{"id": c.pk, "index": c.index, "name": c.name, "values": {}}
                     for c in device.circuits.order_by("index")],
    }


def test_live_reads_the_cache_with_the_circuits_current_names(client_as, predefined, live_cache):
    device = add("I-35@4", reference="I-35", unit_id=4)
    first, second, third = device.circuits.order_by("index")
    live_cache(device.pk, {
        "device": device.pk, "status": "online", "reason": "", "timestamp": "2026-06-01T12:00:00+00:00",
        "circuits": [
            {"id": first.pk, "index": 1, "name": "Load 1", "values": {"F": 50.0, "I1": 12.5}},
            {"id": second.pk, "index": 2, "name": "Load 2", "values": {"F": 50.0, "I1": None}},
        ],
    })
    services.update_circuit(first, name="Lighting")
    body = client_as("user").get(f"/api/v1/devices/{device.pk}/live/").json()
    assert body == {
        "device": device.pk, "status": "online", "reason": "", "timestamp": "2026-06-01T12:00:00+00:00",
        "circuits": [
            {"id": first.pk, "index": 1, "name": "Lighting", "values": {"F": 50.0, "I1": 12.5}},
            {"id": second.pk, "index": 2, "name": second.name, "values": {"F": 50.0, "I1": None}},
            {"id": third.pk, "index": 3, "name": third.name, "values": {}},
        ],
    }


def test_live_of_an_offline_device_says_why(client_as, predefined, live_cache):
    device = add("Main")
    live_cache(device.pk, {"device": device.pk, "status": "offline", "reason": "timeout", "timestamp": None,
                           "circuits": []})
    body = client_as("user").get(f"/api/v1/devices/{device.pk}/live/").json()
    assert (body["status"], body["reason"]) == ("offline", "timeout")


def test_live_of_an_unknown_device_is_404(client_as):
    assert client_as("user").get("/api/v1/devices/999999/live/").status_code == 404


# Lists and filters ---------------------------------------------------------------------------

def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(row["name"] for row in response.json()["results"])


def test_devices_filter_by_area_reference_enabled_and_search(client_as, predefined):
    add("A", area="Factory 1", unit_id=1, host="10.0.0.1")
    add("B", reference="I-35", area="Factory 2", unit_id=2, host="10.0.0.2")
    disabled = add("C", area="Factory 1", unit_id=3, host="192.168.1.3")
    Device.objects.filter(pk=disabled.pk).update(enabled=False)
    client = client_as("user")
    factory_1 = Area.objects.get(name="Factory 1").pk
    assert names(client.get("/api/v1/devices/", {"area": factory_1})) == ["A", "C"]
    assert names(client.get("/api/v1/devices/", {"reference": "I-35"})) == ["B"]
    assert names(client.get("/api/v1/devices/", {"enabled": "false"})) == ["C"]
    assert names(client.get("/api/v1/devices/", {"search": "192.168"})) == ["C"]
    assert client.get("/api/v1/devices/", {"area": 999999}).status_code == 400


def test_circuits_filter_by_device_area_fluid_and_usage(client_as, predefined):
    meter = add("I-35@4", reference="I-35", area="Factory 1", unit_id=4)
    add("A-40@5", area="Shops", unit_id=5)
    heating = Usage.objects.get(external_key="Heating")
    first = meter.circuits.get(index=1)
    services.update_circuit(first, usage=heating, fluid=None)
    client = client_as("user")
    shops = Area.objects.get(name="Shops").pk
    assert len(client.get("/api/v1/circuits/", {"device": meter.pk}).json()["results"]) == 3
    assert names(client.get("/api/v1/circuits/", {"area": shops})) == ["A-40@5"]
    assert [c["id"] for c in client.get("/api/v1/circuits/", {"usage": heating.pk}).json()["results"]] == [first.pk]
    assert [c["id"] for c in client.get("/api/v1/circuits/", {"fluid": "null"}).json()["results"]] == [first.pk]
    row = client.get(f"/api/v1/circuits/{first.pk}/").json()
    assert row["usage"] == {"id": heating.pk, "name": "Heating"} and row["fluid"] is None
    assert row["device"] == meter.pk and row["area"]["name"] == "Factory 1"


def test_usages_areas_and_fluids_are_listed(client_as, predefined):
    add("Main", area="Factory 1")
    client = client_as("user")
    usages = client.get("/api/v1/usages/", {"limit": 500}).json()["results"]
    assert {u["external_key"] for u in usages} >= set(USAGES)
    assert all(u["predefined"] for u in usages)
    assert [a["name"] for a in client.get("/api/v1/areas/").json()["results"]] == ["Factory 1"]
    fluids = client.get("/api/v1/fluids/").json()["results"]
    assert {f["key"] for f in fluids} >= set(FLUIDS)


# Changing circuits and usages ----------------------------------------------------------------

def test_a_circuit_s_name_fluid_and_usage_are_patched(client_as, predefined):
    circuit = add("Main").circuits.get()
    gas = Fluid.objects.get(key="gas")
    lighting = Usage.objects.get(external_key="IndoorLighting")
    client = client_as("admin")
    response = client.patch(f"/api/v1/circuits/{circuit.pk}/",
                            {"name": "Boiler", "fluid": gas.pk, "usage": lighting.pk}, content_type="application/json")
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["fluid"]["id"], response.json()["usage"]["id"]) == (
        "Boiler", gas.pk, lighting.pk)
    circuit.refresh_from_db()
    assert (circuit.name, circuit.fluid, circuit.usage) == ("Boiler", gas, lighting)
    cleared = client.patch(f"/api/v1/circuits/{circuit.pk}/", {"usage": None}, content_type="application/json")
    assert cleared.json()["usage"] is None and cleared.json()["name"] == "Boiler"


def test_bad_circuit_changes_are_refused(client_as, predefined):
    circuit = add("Main").circuits.get()
    client = client_as("admin")
    assert "fluid" in client.patch(f"/api/v1/circuits/{circuit.pk}/", {"fluid": 999999},
                                   content_type="application/json").json()
    assert "name" in client.patch(f"/api/v1/circuits/{circuit.pk}/", {"name": ""},
                                  content_type="application/json").json()
    assert client.put(f"/api/v1/circuits/{circuit.pk}/", {"name": "x"},
                      content_type="application/json").status_code == 405
    assert client.post("/api/v1/circuits/", {"name": "x"}, content_type="application/json").status_code == 405
    circuit.refresh_from_db()
    assert circuit.name == "Main"


def test_custom_usages_are_added(client_as, predefined):
    client = client_as("cyber")
    response = client.post("/api/v1/usages/", {"name": "Car charging", "external_key": "CarCharging"},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json() == {"id": response.json()["id"], "name": "Car charging", "external_key": "CarCharging",
                               "predefined": False}
    duplicate = client.post("/api/v1/usages/", {"name": "Car charging", "external_key": "Other"},
                            content_type="application/json")
    assert duplicate.status_code == 400 and "name" in duplicate.json()
    assert Usage.objects.filter(name="Car charging").count() == 1


# Query counts (STYLE.md habit 18) ------------------------------------------------------------

def test_list_queries_do_not_grow_with_rows(client_as, predefined, django_assert_max_num_queries):
    client = client_as("user")
    for n in range(1, 21):
        add(f"I-35@{n}", reference="I-35", area=f"Area {n % 4}", unit_id=n)
    heating = Usage.objects.get(external_key="Heating")
    Circuit.objects.update(usage=heating)
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/devices/").json()["results"]) == 20
    with django_assert_max_num_queries(5):
        assert len(client.get("/api/v1/circuits/").json()["results"]) == 60
    with django_assert_max_num_queries(5):
        assert client.get("/api/v1/usages/").status_code == 200


def test_schema_describes_the_devices_api(client_as):
    schema = client_as("user").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert {"/api/v1/devices/", "/api/v1/devices/{id}/live/", "/api/v1/circuits/{id}/"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/circuits/{id}/"]) >= {"get", "patch"}


def test_a_device_s_settings_change_through_patch(client_as):
    from devices import services
    from devices.models import Device

    device = services.add_device(reference="A-40", name="Main", host="10.0.0.5", unit_id=3)
    services.add_device(reference="E23", name="Other", host="10.0.0.5", unit_id=4)
    admin = client_as("admin")
    url = f"/api/v1/devices/{device.pk}/"
    changed = admin.patch(url, {"poll_seconds": 2.5, "area": "Plant 2", "enabled": False},
                          content_type="application/json")
    assert changed.status_code == 200 and changed.json()["poll_seconds"] == 2.5
    device.refresh_from_db()
    assert (device.poll_seconds, device.area.name, device.enabled) == (2.5, "Plant 2", False)
    clash = admin.patch(url, {"unit_id": 4}, content_type="application/json")
    assert clash.status_code == 400 and "unit_id" in clash.json()
    bad = admin.patch(url, {"integration_minutes": 90}, content_type="application/json")
    assert bad.status_code == 400 and "integration_minutes" in bad.json()
    assert Device.objects.get(pk=device.pk).unit_id == 3 and Device.objects.get(pk=device.pk).integration_minutes == 10
    assert client_as("advanced").patch(url, {"poll_seconds": 9}, content_type="application/json").status_code == 403


def test_a_module_is_added_behind_its_gateway_through_the_api(client_as):
    from devices import services

    gateway = services.add_device(reference="M-70", name="M-70", host="10.0.0.7", unit_id=1)
    response = client_as("admin").post("/api/v1/devices/", {"reference": "I-35", "name": "I-35@4", "host": "10.0.0.7",
                                                             "unit_id": 4, "gateway": gateway.pk},
                                       content_type="application/json")
    assert response.status_code == 201
    assert gateway.downstream.get().name == "I-35@4"
