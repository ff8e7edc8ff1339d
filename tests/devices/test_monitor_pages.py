"""Monitor pages as issue 10 found them in the browser (defects 9, 10 and 14), server side: the
landing page, a gateway's modules with their link counters, network types, the tab a device opens
on, the energy tab's tariff breakdown and the decimals the page's script is given."""

import json

import pytest
import redis
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from devices import live, monitor, selectors, services
from devices.catalogue import catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache():
    client = redis.Redis.from_url(settings.REDIS_URL)
    yield client
    client.close()


def put_live(cache, device, status: str, reason: str = "", counters: dict | None = None) -> None:
    cache.set(live.live_key(device.pk), json.dumps({
        "device": device.pk, "status": status, "reason": reason, "timestamp": timezone.now().isoformat(),
        "circuits": []}))
    cache.delete(live.COUNTERS_PREFIX + str(device.pk))
    if counters:
        cache.hset(live.COUNTERS_PREFIX + str(device.pk), mapping=counters)


def test_the_landing_page_lists_the_devices_rather_than_saying_there_are_none(client_as, cache):
    general = services.add_device(reference="A-40", name="General", host="10.0.0.5", unit_id=1, area="Plant")
    services.add_device(reference="M-70", name="Gateway", host="10.0.0.9", unit_id=1)
    put_live(cache, general, "online")
    html = client_as("user").get(reverse("devices:monitor")).content.decode()
    assert "No device to monitor yet" not in html
    assert f'href="{reverse("devices:device", kwargs={"pk": general.pk})}"' in html
    assert "DIRIS A-40" in html and "Gateway" in html and "Online" in html


def test_the_landing_page_of_an_empty_site_says_so(client_as):
    html = client_as("user").get(reverse("devices:monitor")).content.decode()
    assert "No device to monitor yet" in html


def test_a_gateway_page_lists_its_modules_with_status_and_link_counters(client_as, cache):
    gateway = services.add_device(reference="M-70", name="M-70", host="10.0.0.9", unit_id=1)
    i35 = services.add_device(reference="I-35", name="I-35@4", host="10.0.0.9", unit_id=4, gateway=gateway)
    u30 = services.add_device(reference="U-30", name="U-30@6", host="10.0.0.9", unit_id=6, gateway=gateway)
    put_live(cache, i35, "online", counters={"requests": 1234, "errors": 5, "timeouts": 2,
                                               "last_success": "2026-06-02T10:30:00+02:00"})
    put_live(cache, u30, "offline", "timeout", counters={"requests": 80, "errors": 80, "timeouts": 80,
                                                          "last_error": "timeout"})
    html = client_as("user").get(reverse("devices:device", kwargs={"pk": gateway.pk})).content.decode()
    assert "no register map" not in html
    assert f'data-module="{i35.pk}"' in html and f'data-module="{u30.pk}"' in html
    assert 'data-counter="requests" data-count="1234"' in html and 'data-counter="timeouts" data-count="80"' in html
    assert "1 of 2 modules answer" in html
    body = client_as("user").get(reverse("devices:gateway-modules", kwargs={"pk": gateway.pk})).json()
    assert body["status"] == "online"
    by_id = {module["id"]: module for module in body["modules"]}
    assert by_id[i35.pk]["counters"]["errors"] == 5 and by_id[u30.pk]["status"] == "offline"
    assert by_id[u30.pk]["counters"]["last_error"] == "timeout"


def test_a_meter_has_no_modules_endpoint(client_as):
    meter = services.add_device(reference="A-40", name="General", host="10.0.0.5", unit_id=1)
    assert client_as("user").get(reverse("devices:gateway-modules", kwargs={"pk": meter.pk})).status_code == 404


def test_link_counters_are_zero_for_a_device_never_polled(cache):
    meter = services.add_device(reference="A-40", name="General", host="10.0.0.5", unit_id=1)
    cache.delete(live.COUNTERS_PREFIX + str(meter.pk))
    assert selectors.link_counters([meter.pk])[meter.pk] == {
        "requests": 0, "errors": 0, "timeouts": 0, "last_success": None, "last_error": None, "last_error_at": None}


def test_each_device_states_its_own_network_type_and_a_gateway_none(client_as):
    gateway = services.add_device(reference="D-75", name="D-75", host="10.0.0.9", unit_id=1)
    meter = services.add_device(reference="A-40", name="General", host="10.0.0.5", unit_id=1)
    meter.network_type = "1P+N"
    meter.save()
    assert monitor.network_type_of(gateway) == ""
    page = client_as("user").get(reverse("devices:device", kwargs={"pk": meter.pk})).content.decode()
    assert '<span data-network-type>1P+N</span>' in page and "3P+N" not in page
    page = client_as("user").get(reverse("devices:device", kwargs={"pk": gateway.pk})).content.decode()
    assert "data-network-type" not in page and "3P+N" not in page


def test_an_atys_opens_on_its_status_and_its_io_belongs_to_the_switch(client_as):
    from django.core.management import call_command

    from devices.models import Device

    call_command("setup_demo", "--port", "5999")
    atys = Device.objects.get(name="ATyS C65")
    tabs = monitor.tabs_for(atys.catalogue_reference)
    assert tabs[0].tab.key == "switch"
    io = next(item for item in tabs if item.tab.key == "io")
    assert str(io.section) == "Transfer switch"
    html = client_as("user").get(reverse("devices:device", kwargs={"pk": atys.pk})).content.decode()
    assert html.index('data-tab="switch"') < html.index('data-tab="io"')


def test_the_energy_tab_gives_the_tariff_breakdown_apart_where_the_map_has_it():
    with_tariffs = [ref for ref in catalogue().references.values()
                    if ref.register_map and {"EA_IMP_T1", "EA_IMP"} <= monitor.measured_codes(ref)
                    and "energy" in ref.capabilities]
    assert with_tariffs, "no catalogue reference maps the tariff indexes"
    energy = next(item for item in monitor.tabs_for(with_tariffs[0]) if item.tab.key == "energy")
    assert [str(part.title) for part in energy.tables] == ["Energy", "Tariff periods"]
    assert energy.tables[1].tariffs and energy.tables[1].rows[0].code == "EA_IMP_T1"


def test_the_page_script_gets_each_quantity_s_decimals():
    described = monitor.units_of(catalogue().reference("A-40"))
    assert described["EA_IMP"]["decimals"] == 0  # a 6 GWh counter has no decimal
    assert described["PF"]["decimals"] == 3 and described["V1"]["decimals"] == 1


def test_the_tabs_of_8_2_1_show_quality_averages_cos_tan_and_tariffs_where_the_map_has_them(client_as):
    """Defect 10: the DIRIS B-30's public table gives every §8.2.1 tab its data."""
    reference = catalogue().reference("B-30 RS485")
    tabs = {item.tab.key: item for item in monitor.tabs_for(reference)}
    assert {"network", "network-quality", "load", "ui", "power", "energy", "load-quality"} <= set(tabs)
    currents = next(part for part in tabs["ui"].tables if str(part.title) == "Currents")
    assert currents.averages and currents.max_averages
    assert {row.average for row in currents.rows} >= {"AVG_I1", "AVG_IN"}
    factors = [row.code for part in tabs["power"].tables for row in part.rows]
    assert {"COSPHI1", "TANPHI3", "PF"} <= set(factors)
    assert "KF_IN" in [row.code for row in tabs["load-quality"].rows]
    assert [row.code for row in tabs["energy"].tables[1].rows] == ["EA_IMP_T1", "EA_IMP_T2", "EA_IMP_T3", "EA_IMP_T4"]
    device = services.add_device(reference="B-30 RS485", name="Workshop", protocol="rtu", serial_port="/dev/ttyUSB0",
                                 unit_id=3)
    html = client_as("user").get(reverse("devices:device", kwargs={"pk": device.pk})).content.decode()
    for cell in ('data-value="AVG_I1"', 'data-value="MAXAVG_P"', 'data-value="COSPHI2"', 'data-share="EA_IMP_T3"',
                 'data-tab="load-quality"', 'data-value="KF_IN"'):
        assert cell in html
    assert "Maximum average" in html and "Tariff periods" in html


def test_the_landing_page_costs_the_same_queries_for_two_devices_or_six(client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from webview.demo.site import demo_maps

    client = client_as("user")
    custom = services.save_register_map(demo_maps()["ATyS C65 (WebView demo layout)"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("devices:monitor")).status_code == 200
        return len(queries)

    services.add_device(reference="A-40", name="Meter 0", host="10.0.0.5", unit_id=1)
    services.add_device(reference="C65", name="ATyS 0", host="10.0.0.6", unit_id=1, custom_map=custom)
    two = count()
    for n in range(1, 3):
        services.add_device(reference="A-40", name=f"Meter {n}", host="10.0.0.5", unit_id=n + 1)
        services.add_device(reference="C65", name=f"ATyS {n}", host="10.0.0.6", unit_id=n + 1, custom_map=custom)
    assert count() == two


def test_a_gateway_page_costs_the_same_queries_for_one_module_or_four(client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("user")
    gateway = services.add_device(reference="M-70", name="M-70", host="10.0.0.9", unit_id=1)
    url = reverse("devices:device", kwargs={"pk": gateway.pk})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.add_device(reference="I-35", name="I-35@2", host="10.0.0.9", unit_id=2, gateway=gateway)
    one = count()
    for unit in range(3, 6):
        services.add_device(reference="I-35", name=f"I-35@{unit}", host="10.0.0.9", unit_id=unit, gateway=gateway)
    assert count() == one
