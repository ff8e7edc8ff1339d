"""Monitor pages (§8.2): a device's tabs follow its capabilities, its values come live."""

import pytest
from django.urls import reverse

from devices import monitor, services
from devices.catalogue import catalogue

pytestmark = pytest.mark.django_db


def tab_keys(reference: str) -> list[str]:
    return [item.tab.key for item in monitor.tabs_for(catalogue().reference(reference))]


def test_tabs_follow_the_capabilities_and_the_data_of_the_map():
    assert tab_keys("A-10") == ["network", "network-quality", "load", "ui", "power", "energy", "load-quality"]
    # The COUNTIS E23 map has no THD: no Quality tabs (§8.1 example 2).
    assert "network-quality" not in tab_keys("E23") and "load-quality" not in tab_keys("E23")
    assert tab_keys("M-70") == []  # a gateway measures nothing


def test_harmonics_go_to_the_chart_not_to_the_table():
    quality = next(item for item in monitor.tabs_for(catalogue().reference("A-10")) if item.tab.key == "network-quality")
    assert quality.tab.chart == "harmonics_v"
    assert all(not row.code.startswith("H_") for row in quality.rows)


def test_device_page_shows_the_tabs_and_the_cached_values(client_as):
    device = services.add_device(reference="A-10", name="General", host="10.0.0.5", unit_id=1, area="Plant")
    page = client_as("user").get(reverse("devices:device", kwargs={"pk": device.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-tab="ui"' in html and 'data-value="U12"' in html
    assert 'id="live-initial"' in html and "not polled yet" in html
    assert "/static/dist/echarts.js" in html


def test_unknown_device_is_404(client_as):
    assert client_as("user").get(reverse("devices:device", kwargs={"pk": 999})).status_code == 404


def test_a_device_without_map_says_so(client_as):
    device = services.add_device(reference="L-60", name="IMD", host="10.0.0.6", unit_id=1)
    html = client_as("user").get(reverse("devices:device", kwargs={"pk": device.pk})).content.decode()
    assert "no register map for this reference" in html


def demo_device(name: str):
    from django.core.management import call_command

    from devices.models import Device

    call_command("setup_demo", "--port", "5999")
    return Device.objects.get(name=name)


def test_an_atys_shows_status_metering_counters_and_io(client_as):
    device = demo_device("ATyS C65")
    assert [item.tab.key for item in monitor.tabs_for(device.catalogue_reference)] == [
        "switch", "switch-metering", "switch-counters", "io"]  # it opens on Status (§8.2.3)
    html = client_as("user").get(reverse("devices:device", kwargs={"pk": device.pk})).content.decode()
    assert "data-switch-diagram" in html and 'data-value="ENGINE_RUN_S"' in html
    states = monitor.units_of(device.catalogue_reference)
    assert states["POS_CODE"]["states"]["3"] == "Position II" and states["ATS_MODE"]["states"]["16"] == "Automatic"


def test_an_f60_lists_every_circuit_at_once(client_as):
    device = demo_device("F-60@3")
    assert [item.tab.key for item in monitor.tabs_for(device.catalogue_reference)] == ["insulation-circuits"]
    html = client_as("user").get(reverse("devices:device", kwargs={"pk": device.pk})).content.decode()
    assert html.count("data-circuit-time") == 6 and 'data-circuit-value="2:RF"' in html and "MOTEUR1" in html
    assert "data-circuit>" not in html  # no circuit to choose: they are all shown


def test_quantity_labels_and_states_follow_the_language(client_as):
    from django.utils import translation

    device = demo_device("ATyS C65")
    with translation.override("fr"):
        described = monitor.units_of(device.catalogue_reference)
    assert described["SRC1_V"]["label"] == "Tension de la source I"
    assert described["IN_1"]["states"] == {"0": "Ouvert", "1": "Fermé"}
