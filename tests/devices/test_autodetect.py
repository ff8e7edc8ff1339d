"""Autodetect against simulated meters: Socomec devices identified by their identification zone."""

import io

import pytest
from django.core.management import CommandError, call_command

from devices.autodetect import autodetect
from devices.catalogue import catalogue
from devices.models import Device
from devices.modbus.identification import signature_words, string_words
from webview.demo.modbus_server import SimulatedUnit
from tests.devices.conftest import free_port

pytestmark = pytest.mark.django_db
SCAN = "/settings/devices/device/scan/"


def socomec_unit(unit_id: int, product_name: str) -> SimulatedUnit:
    unit = SimulatedUnit(unit_id)
    unit.set_words(50000, signature_words("SOCO"))
    unit.set_words(50058, string_words(product_name, 8))
    return unit


@pytest.fixture
def site(meters):
    other = SimulatedUnit(9)
    other.set_words(100, [1, 2, 3])  # a Modbus device without Socomec's identification zone
    return meters([socomec_unit(3, "COUNTIS E23"), socomec_unit(7, "DIRIS A-10"), socomec_unit(8, "DIRIS X-99"),
                   other])


def test_identified_devices_are_added_once(site):
    seen = []
    found = {item.unit_id: item for item in autodetect("127.0.0.1", site, range(1, 11), 0.2,
                                                       lambda done, total, stage: seen.append((done, total)))}
    assert (found[3].reference, found[3].outcome) == ("E23", "added")
    assert (found[7].reference, found[7].outcome) == ("A-10", "added")
    assert found[8].outcome == "unidentified" and found[8].product_name == "DIRIS X-99"
    assert found[9].outcome == "not Socomec"
    assert set(found) == {3, 7, 8, 9}
    assert seen[-1] == (10, 10) and len(seen) == 10
    assert sorted(Device.objects.values_list("name", "unit_id")) == [("A-10@7", 7), ("E23@3", 3)]
    assert Device.objects.get(name="E23@3").circuits.count() == 1
    again = {item.unit_id: item.outcome for item in autodetect("127.0.0.1", site, range(1, 11), 0.2)}
    assert again[3] == again[7] == "already configured" and Device.objects.count() == 2


def test_the_simulator_identifies_itself_as_its_reference(meters):
    from django.utils import timezone

    from webview.demo.site import SimulatedMeter
    from webview.demo.physics import Network

    meter = SimulatedMeter(SimulatedUnit(4), catalogue().reference("E44"), "E44", "", 0, Network())
    meter.update(timezone.now())
    port = meters([meter.unit])
    found = autodetect("127.0.0.1", port, [4], 0.5)
    assert [(item.reference, item.outcome) for item in found] == [("E44", "added")]


def test_command_reports_and_refuses_bad_input(site):
    out = io.StringIO()
    call_command("autodetect", "--host", "127.0.0.1", "--port", str(site), "--units", "1-10", "--timeout", "0.2",
                 stdout=out, stderr=io.StringIO())
    assert "4 devices found, 2 added" in out.getvalue()
    with pytest.raises(CommandError, match="1-247"):
        call_command("autodetect", "--host", "127.0.0.1", "--units", "0-300")
    with pytest.raises(CommandError, match="cannot connect"):
        call_command("autodetect", "--host", "127.0.0.1", "--port", str(free_port()), "--units", "1")
    assert Device.objects.count() == 2


def test_a_gateway_s_topology_is_imported_through_it(site, client_as, django_capture_on_commit_callbacks):
    from devices import services
    from webview.celery import app

    gateway = services.add_device(reference="M-70", name="M-70", host="127.0.0.1", port=site, unit_id=1,
                                  area="Factory 1")
    app.conf.task_always_eager = True
    try:
        client = client_as("admin")
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = client.post(f"/api/v1/devices/{gateway.pk}/import-topology/")
        assert len(callbacks) == 1  # queued after the commit, run by a worker
    finally:
        app.conf.task_always_eager = False
    assert response.status_code == 202
    behind = Device.objects.filter(gateway=gateway).order_by("unit_id")
    assert [(d.reference, d.unit_id, d.area.name) for d in behind] == [("E23", 3, "Factory 1"), ("A-10", 7, "Factory 1")]
    assert client_as("user").post(f"/api/v1/devices/{gateway.pk}/import-topology/").status_code == 403
    not_gateway = client.post(f"/api/v1/devices/{behind[0].pk}/import-topology/")
    assert not_gateway.status_code == 400 and "not a gateway" in not_gateway.json()["detail"]


def test_the_admin_action_starts_the_import_for_gateways_only(site, client_as, django_capture_on_commit_callbacks):
    from devices import services
    from webview.celery import app

    gateway = services.add_device(reference="M-70", name="M-70", host="127.0.0.1", port=site, unit_id=1)
    meter = services.add_device(reference="A-40", name="A-40", host="10.0.0.9", unit_id=1)
    client = client_as("admin")
    url = "/settings/devices/device/"
    refused = client.post(url, {"action": "import_topology", "_selected_action": [gateway.pk, meter.pk]}, follow=True)
    assert "Select gateways only" in refused.content.decode()
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            started = client.post(url, {"action": "import_topology", "_selected_action": [gateway.pk]})
    finally:
        app.conf.task_always_eager = False
    assert Device.objects.filter(gateway=gateway).count() == 2
    assert started.status_code == 302 and started.url == f"{SCAN}?gateway={gateway.pk}"
    page = client.get(started.url).content.decode()
    assert "topology_scan.js" in page and f'data-gateway="{gateway.pk}"' in page
    [scan] = client.get(f"{SCAN}status/?gateway={gateway.pk}").json()["gateways"]
    assert (scan["state"], scan["done"], scan["total"]) == ("finished", 246, 246)
    assert scan["message"] == "Done: 4 devices found, 2 added."
    rows = {row["unit_id"]: row for row in scan["found"]}
    assert rows[3]["reference"] == "E23" and rows[3]["url"].endswith(f"/{rows[3]['device']}/change/")
    assert rows[8]["outcome"] == "not in the catalogue: add it by hand"
    assert client.get(f"/api/v1/devices/{gateway.pk}/import-topology/").json()["found"] == scan["found"]
    for key in ("user", "advanced"):  # only those who may add sources watch a scan
        assert client_as(key).get(f"{SCAN}status/?gateway={gateway.pk}").status_code in (302, 403)


def test_adding_a_gateway_in_the_admin_scans_behind_it(site, client_as, django_capture_on_commit_callbacks):
    from webview.celery import app

    form = {"reference": "M-70", "custom_map": "", "name": "M-70", "area": "", "protocol": "tcp", "host": "127.0.0.1",
            "port": str(site), "serial_port": "", "unit_id": "1", "poll_seconds": "5", "integration_minutes": "10",
            "timeout_seconds": "1", "retries": "1"}
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            added = client_as("admin").post("/settings/devices/device/add/", form)
    finally:
        app.conf.task_always_eager = False
    gateway = Device.objects.get(name="M-70")
    assert added.status_code == 302 and added.url == f"{SCAN}?gateway={gateway.pk}"
    assert Device.objects.filter(gateway=gateway).count() == 2


def test_a_scan_through_an_unreachable_gateway_says_why(client_as):
    from devices import services
    from devices.tasks import import_topology

    gateway = services.add_device(reference="M-70", name="M-70", host="127.0.0.1", port=free_port(), unit_id=1)
    assert import_topology(gateway.pk) == 0
    [scan] = client_as("admin").get(f"{SCAN}status/?gateway={gateway.pk}").json()["gateways"]
    assert scan["state"] == "failed" and "cannot connect" in scan["message"]
