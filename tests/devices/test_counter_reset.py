"""Reset of counters (§5): written to the meter over Modbus, only when the security policy
allows Modbus write, only by the profiles with the right, always audited."""

from datetime import datetime, timezone

import pytest
from django.urls import reverse
from pymodbus.constants import ExcCodes

from cybersecurity.models import AuditEvent, SecurityPolicy
from devices import services
from webview.demo.site import load_site
from tests.devices.conftest import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def atys(meters):
    """The demo's ATyS C65 answering on its own port, and its device in the gateway."""
    [meter] = [m for m in load_site().meters if m.name == "ATyS C65"]
    meter.update(datetime(2026, 6, 2, 10, 30, tzinfo=timezone.utc))
    port = meters([meter.unit])
    from webview.demo.site import demo_maps

    custom_map = services.save_register_map(demo_maps()[meter.map_name])
    device = services.add_device(reference="C65", name="ATyS", host="127.0.0.1", port=port, unit_id=meter.unit.unit_id,
                                 custom_map=custom_map)
    return meter, device


def allow_modbus_write(allowed: bool = True) -> None:
    policy = SecurityPolicy.current()
    policy.modbus_write = allowed
    policy.save()


def reset(client, device):
    return client.post(reverse("devices:reset-counters", kwargs={"pk": device.pk}))


def test_an_advanced_user_resets_the_counters_of_the_meter(atys, client_as):
    meter, device = atys
    allow_modbus_write()
    assert meter.switch.counters["CNT_CYCLES"] >= 42
    response = reset(client_as("advanced"), device)
    assert response.status_code == 200 and "were reset" in response.json()["message"]
    assert set(meter.switch.counters.values()) == {0.0}  # the meter itself was written to
    event = AuditEvent.objects.get(action=AuditEvent.Action.COUNTER_RESET)
    assert (event.profile, event.success, event.reason) == ("advanced", True, "ATyS")


def test_nothing_is_written_while_the_policy_forbids_modbus_write(atys, client_as):
    meter, device = atys
    page = client_as("admin").get(reverse("devices:device", kwargs={"pk": device.pk})).content.decode()
    assert "Modbus write is disabled in the security policy" in page and "data-reset-open" not in page
    response = reset(client_as("admin"), device)
    assert response.status_code == 403 and "security policy" in response.json()["message"]
    assert meter.switch.counters["CNT_CYCLES"] >= 42
    event = AuditEvent.objects.get(action=AuditEvent.Action.COUNTER_RESET)
    assert not event.success and "modbus write disabled" in event.reason


@pytest.mark.parametrize("key", ["user", "totem"])
def test_profiles_without_the_right_cannot_reset(atys, client_as, key, ready_profile):
    meter, device = atys
    allow_modbus_write()
    if key == "totem":
        ready_profile("totem")
    client = client_as(key)
    assert "Reset counters" not in client.get(reverse("devices:device", kwargs={"pk": device.pk})).content.decode()
    assert reset(client, device).status_code == 403
    assert client.post(f"/api/v1/devices/{device.pk}/reset-counters/").status_code == 403
    assert meter.switch.counters["CNT_CYCLES"] >= 42 and not AuditEvent.objects.filter(action="counter_reset").exists()


def test_the_page_offers_the_reset_with_a_confirmation(atys, client_as):
    meter, device = atys
    allow_modbus_write()
    page = client_as("cyber").get(reverse("devices:device", kwargs={"pk": device.pk})).content.decode()
    assert "data-reset-open" in page and "data-reset-dialog" in page and "cannot be undone" in page


def test_a_meter_without_a_documented_reset_is_refused(client_as):
    allow_modbus_write()
    device = services.add_device(reference="A-40", name="General", host="127.0.0.1", port=free_port(), unit_id=1)
    assert "Reset counters" not in client_as("admin").get(
        reverse("devices:device", kwargs={"pk": device.pk})).content.decode()
    response = reset(client_as("admin"), device)
    assert response.status_code == 400 and "no counter reset" in response.json()["message"]


def test_a_refused_or_unreachable_write_says_why(atys, client_as):
    meter, device = atys
    allow_modbus_write()
    meter.unit.exception = ExcCodes.DEVICE_BUSY
    refused = client_as("admin").post(f"/api/v1/devices/{device.pk}/reset-counters/")
    assert refused.status_code == 400 and "Modbus exception 6" in refused.json()["detail"]
    assert meter.switch.counters["CNT_CYCLES"] >= 42
    device.port = free_port()
    device.save()
    unreachable = reset(client_as("admin"), device)
    assert unreachable.status_code == 400 and "cannot connect" in unreachable.json()["message"]
    assert list(AuditEvent.objects.filter(action="counter_reset").values_list("success", flat=True)) == [False, False]


def test_the_api_resets_too(atys, client_as):
    meter, device = atys
    allow_modbus_write()
    response = client_as("admin").post(f"/api/v1/devices/{device.pk}/reset-counters/")
    assert response.status_code == 200 and meter.switch.counters["CNT_POS_1"] == 0
    assert AuditEvent.objects.get(action="counter_reset").channel == "api"


def test_a_reset_needs_both_its_register_and_its_value(client_as):
    client = client_as("admin")
    form = {"name": "Half", "function": "holding", "max_registers": "10", "word_order": "big", "circuit_stride": "0",
            "circuits": "1", "note": "", "reset_address": "100", "reset_value": "",
            "registers-TOTAL_FORMS": "1", "registers-INITIAL_FORMS": "0", "registers-MIN_NUM_FORMS": "0",
            "registers-MAX_NUM_FORMS": "1000", "registers-0-code": "V1", "registers-0-address": "0",
            "registers-0-type": "u16", "registers-0-scale": "1", "registers-0-word_order": "",
            "registers-0-scope": "device", "registers-0-not_available": ""}
    response = client.post(reverse("admin:devices_customregistermap_add"), form)
    assert response.status_code == 200 and "needs both its register and its value" in response.content.decode()
    overlapping = client.post(reverse("admin:devices_customregistermap_add"),
                              {**form, "reset_address": "0", "reset_value": "1"})
    assert "the reset register is one the map reads" in overlapping.content.decode()
    from devices.models import CustomRegisterMap

    assert not CustomRegisterMap.objects.exists()
