"""Settings › Customise › Devices (manual §9.6.1-9.6.5): Sources, Circuits, Usages, Areas and
Fluids, managed by Admin and Cyber Security only."""

import threading
from contextlib import contextmanager

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from devices import services
from devices.catalogue import catalogue
from devices.live import KEY_PREFIX, live_key
from devices.models import Area, Circuit, Device, Fluid, Usage
from tests.devices.topology import add, live_cache, predefined  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
SOURCES = reverse("admin:devices_device_changelist")
ADD_SOURCE = reverse("admin:devices_device_add")
CIRCUITS = reverse("admin:devices_circuit_changelist")
USAGES = reverse("admin:devices_usage_changelist")
LISTS = [SOURCES, CIRCUITS, USAGES, reverse("admin:devices_area_changelist"), reverse("admin:devices_fluid_changelist")]


def run_action(client, url: str, action: str, objects, **extra):
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], "index": "0",
                             **extra}, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# Rights --------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["admin", "cyber"])
def test_admin_and_cyber_security_manage_the_devices(client_as, key, predefined):
    add("Main")
    client = client_as(key)
    for url in [*LISTS, ADD_SOURCE, reverse("admin:devices_usage_add"), reverse("admin:devices_area_add")]:
        assert client.get(url).status_code == 200, url
    sidebar = client.get(reverse("admin:index")).content.decode()
    assert f'href="{SOURCES}"' in sidebar
    tabs = client.get(CIRCUITS).content.decode()
    assert all(f'href="{url}"' in tabs for url in LISTS)


@pytest.mark.parametrize("key", ["user", "advanced", "totem"])
def test_other_profiles_see_none_of_it(client_as, key, predefined):
    device = add("Main")
    client = client_as(key)
    for url in [*LISTS, ADD_SOURCE, reverse("admin:devices_device_change", args=[device.pk])]:
        assert client.get(url).status_code == 403, url
    if key != "user":  # the User profile has no settings at all
        assert f'href="{SOURCES}"' not in client.get(reverse("admin:index")).content.decode()
    refused = client.post(ADD_SOURCE, {"reference": "A-40", "name": "X", "host": "10.0.0.2", "unit_id": 2})
    assert refused.status_code == 403
    assert Device.objects.count() == 1


# Sources: list, status, search, rows per page ------------------------------------------------

@contextmanager
def live_cache_commands():
    """The commands the gateway sends about live keys while the block runs (Redis MONITOR)."""
    url = django_settings.REDIS_URL
    db = redis.Redis.from_url(url).connection_pool.connection_kwargs.get("db", 0)
    stop = "webview-test-monitor-stop"
    seen: list[str] = []
    ready = threading.Event()

    def listen():
        with redis.Redis.from_url(url).monitor() as monitor:
            ready.set()
            for command in monitor.listen():
                if stop in command["command"]:
                    return
                # MONITOR sees the whole server: keep this run's database and live keys only.
                if int(command["db"]) == int(db) and KEY_PREFIX in command["command"]:
                    seen.append(command["command"])

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert ready.wait(5)
    try:
        yield seen
    finally:
        with redis.Redis.from_url(url) as client:
            client.echo(stop)
        thread.join(5)


def test_sources_show_their_live_status_from_one_cache_read(client_as, predefined, live_cache):
    online = add("Online meter", unit_id=1)
    offline = add("Dead meter", unit_id=2)
    never = add("New meter", unit_id=3)
    live_cache(online.pk, {"device": online.pk, "status": "online", "reason": "", "timestamp": "2026-06-01T12:00:00Z",
                           "circuits": []})
    live_cache(offline.pk, {"device": offline.pk, "status": "offline", "reason": "connection refused",
                            "timestamp": None, "circuits": []})
    client = client_as("admin")
    with live_cache_commands() as commands:
        page = client.get(SOURCES).content.decode()
    assert "Online" in page and "Offline: connection refused" in page and "Offline: not polled yet" in page
    assert len(commands) == 1 and commands[0].startswith("MGET")
    assert all(live_key(device.pk) in commands[0] for device in (online, offline, never))


def test_sources_still_list_when_the_live_cache_is_down(client_as, predefined, settings):
    add("Main")
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client_as("admin").get(SOURCES)
    assert response.status_code == 200
    assert any("live cache cannot be reached" in message for message in messages_of(response))
    assert "Unknown" in response.content.decode()


def test_sources_are_searched_by_name_area_and_ip_address(client_as, predefined):
    add("Boiler room", area="Basement", unit_id=1, host="10.0.0.1")
    add("Kitchen", area="Cafeteria", unit_id=2, host="192.168.7.20")
    client = client_as("admin")

    def found(query: str) -> list[str]:
        return sorted(device.name for device in client.get(SOURCES, {"q": query}).context["cl"].result_list)

    assert found("boiler") == ["Boiler room"]
    assert found("cafeteria") == ["Kitchen"]
    assert found("192.168.7") == ["Kitchen"]


def test_rows_per_page_is_the_reader_s_choice(client_as, predefined):
    for n in range(1, 31):
        add(f"Meter {n:02}", unit_id=n)
    client = client_as("admin")
    assert len(client.get(SOURCES).context["cl"].result_list) == 25
    page = client.get(SOURCES, {"per_page": "50", "q": "Meter"})
    assert len(page.context["cl"].result_list) == 30
    assert "per_page=100" in page.content.decode()
    ignored = client.get(SOURCES, {"per_page": "7"})
    assert ignored.status_code == 200 and len(ignored.context["cl"].result_list) == 25


def test_sources_list_queries_do_not_grow_with_rows(client_as, predefined, django_assert_max_num_queries):
    client = client_as("admin")
    for n in range(1, 26):
        add(f"I-35@{n}", reference="I-35", area=f"Area {n % 5}", unit_id=n)
    with django_assert_max_num_queries(8):
        assert client.get(SOURCES).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(CIRCUITS, {"per_page": "100"}).status_code == 200


# Sources: adding (§9.6.2) --------------------------------------------------------------------

ADD_FORM = {"reference": "I-35", "name": "I-35@4", "area": "Factory 1", "protocol": "tcp", "host": "10.0.0.4",
            "port": "502", "serial_port": "", "unit_id": "4", "poll_seconds": "5", "integration_minutes": "10",
            "timeout_seconds": "1", "retries": "1"}


def test_the_add_form_offers_the_catalogue_by_family(client_as):
    page = client_as("admin").get(ADD_SOURCE).content.decode()
    for family in catalogue().families.values():
        assert f'<optgroup label="{family.label}">' in page
    assert 'value="M-70"' in page and 'value="I-35"' in page


def test_adding_a_source_creates_it_with_its_circuits(client_as, predefined):
    response = client_as("admin").post(ADD_SOURCE, ADD_FORM)
    assert response.status_code == 302 and response.url == SOURCES
    device = Device.objects.get(name="I-35@4")
    assert (device.area.name, device.unit_id, device.host) == ("Factory 1", 4, "10.0.0.4")
    assert [c.name for c in device.circuits.order_by("index")] == [
        c.name for c in catalogue().reference("I-35").circuits]


@pytest.mark.parametrize("change, field, message", [
    ({"reference": "X-99"}, "reference", "Select a valid choice"),
    ({"unit_id": "248"}, "unit_id", "less than or equal to 247"),
    ({"unit_id": "0"}, "unit_id", "greater than or equal to 1"),
    ({"unit_id": "5", "host": "10.0.0.5"}, "unit_id", "already answers at this Modbus address"),
    ({"host": ""}, "host", "needs an IP address"),
    ({"name": "Existing"}, "name", "already exists"),
    ({"poll_seconds": "0.01"}, "poll_seconds", "greater than or equal to 0.2"),
])
def test_a_refused_source_shows_why_beside_the_field_and_creates_nothing(client_as, predefined, change, field, message):
    add("Existing", unit_id=5, host="10.0.0.5")
    response = client_as("admin").post(ADD_SOURCE, {**ADD_FORM, **change})
    assert response.status_code == 400
    form = response.context["adminform"].form
    assert message in " ".join(form.errors[field]), form.errors
    assert not form.non_field_errors()
    assert list(Device.objects.values_list("name", flat=True)) == ["Existing"]
    assert not Area.objects.filter(name="Factory 1").exists()
    assert Circuit.objects.count() == 1


def test_editing_a_source_changes_its_fields_but_not_its_reference(client_as, predefined):
    device = add("Main", unit_id=1, host="10.0.0.1")
    client = client_as("admin")
    url = reverse("admin:devices_device_change", args=[device.pk])
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data.update({"name": "Main board", "unit_id": "7", "enabled": "", "reference": "M-70",
                 "circuits-TOTAL_FORMS": "1", "circuits-INITIAL_FORMS": "1", "circuits-MIN_NUM_FORMS": "0",
                 "circuits-MAX_NUM_FORMS": "1000"})
    assert client.post(url, data).status_code == 302
    device.refresh_from_db()
    assert (device.name, device.unit_id, device.enabled, device.reference) == ("Main board", 7, False, "A-40")


def test_a_source_s_gateway_is_chosen_among_gateways(client_as, predefined):
    gateway = add("M-70", reference="M-70", unit_id=247)
    meter = add("I-35@4", reference="I-35", unit_id=4)
    form = client_as("admin").get(reverse("admin:devices_device_change", args=[meter.pk])).context["adminform"].form
    assert list(form.fields["gateway"].queryset) == [gateway]


# Sources: deleting and refreshing (§9.6.3) ---------------------------------------------------

def test_delete_selected_refuses_a_selection_with_the_gateway(client_as, predefined):
    gateway = add("M-70", reference="M-70", unit_id=247)
    meter = add("I-35@4", reference="I-35", unit_id=4)
    response = run_action(client_as("admin"), SOURCES, "delete_selected", [gateway, meter])
    assert any("Gateways cannot be deleted: M-70" in message for message in messages_of(response))
    assert Device.objects.count() == 2 and Circuit.objects.filter(device=meter).count() == 3


def test_delete_selected_deletes_meters_and_their_circuits_after_confirmation(client_as, predefined):
    gateway = add("M-70", reference="M-70", unit_id=247)
    meters = [add("I-35@4", reference="I-35", unit_id=4), add("A-40@5", unit_id=5)]
    client = client_as("admin")
    confirmation = run_action(client, SOURCES, "delete_selected", meters)
    assert confirmation.status_code == 200 and "Are you sure" in confirmation.content.decode()
    assert not confirmation.context["perms_lacking"]
    assert Device.objects.count() == 3
    run_action(client, SOURCES, "delete_selected", meters, post="yes")
    assert list(Device.objects.all()) == [gateway]
    assert not Circuit.objects.exists()


def test_the_gateway_s_own_page_offers_no_deletion(client_as, predefined):
    gateway = add("M-70", reference="M-70", unit_id=247)
    client = client_as("admin")
    page = client.get(reverse("admin:devices_device_change", args=[gateway.pk]))
    assert page.context["has_delete_permission"] is False
    assert client.post(reverse("admin:devices_device_delete", args=[gateway.pk]), {"post": "yes"}).status_code == 403
    assert Device.objects.filter(pk=gateway.pk).exists()


def test_refresh_re_creates_missing_circuits_and_keeps_the_others(client_as, predefined):
    meter = add("I-35@4", reference="I-35", unit_id=4)
    first = meter.circuits.get(index=1)
    services.update_circuit(first, name="Lighting")
    meter.circuits.filter(index=3).delete()
    response = run_action(client_as("admin"), SOURCES, "refresh_selected", [meter])
    assert "1 missing circuit re-created." in messages_of(response)
    assert [c.name for c in meter.circuits.order_by("index")] == [
        "Lighting", *[c.name for c in catalogue().reference("I-35").circuits[1:]]]


# Circuits (§9.6.4) ---------------------------------------------------------------------------

def test_circuits_are_grouped_by_device(client_as, predefined):
    add("B meter", reference="I-35", unit_id=2)
    add("A meter", reference="I-35", unit_id=1)
    rows = client_as("admin").get(CIRCUITS).context["cl"].result_list
    assert [(c.device.name, c.index) for c in rows] == [("A meter", 1), ("A meter", 2), ("A meter", 3),
                                                        ("B meter", 1), ("B meter", 2), ("B meter", 3)]


def test_one_circuit_s_name_fluid_and_usage_are_edited(client_as, predefined):
    circuit = add("Main").circuits.get()
    gas, heating = Fluid.objects.get(key="gas"), Usage.objects.get(external_key="Heating")
    client = client_as("admin")
    url = reverse("admin:devices_circuit_change", args=[circuit.pk])
    assert client.post(url, {"name": "Boiler", "fluid": gas.pk, "usage": heating.pk}).status_code == 302
    circuit.refresh_from_db()
    assert (circuit.name, circuit.fluid, circuit.usage, circuit.index) == ("Boiler", gas, heating, 1)
    assert client.get(reverse("admin:devices_circuit_add")).status_code == 403


def test_several_circuits_take_one_fluid_and_usage(client_as, predefined):
    meter = add("I-35@4", reference="I-35", unit_id=4)
    other = add("A-40@5", unit_id=5).circuits.get()
    heating = Usage.objects.get(external_key="Heating")
    selected = list(meter.circuits.filter(index__in=[1, 2]))
    client = client_as("admin")
    form_page = run_action(client, CIRCUITS, "set_fluid_and_usage", selected)
    assert form_page.status_code == 200 and 'name="apply"' in form_page.content.decode()
    response = run_action(client, CIRCUITS, "set_fluid_and_usage", selected,
                          apply="1", fluid="undefined", usage=str(heating.pk))
    assert "2 circuits changed." in messages_of(response)
    changed = {(c.index, c.fluid_id, c.usage_id) for c in meter.circuits.all()}
    electricity = Fluid.objects.get(key="electricity").pk
    assert changed == {(1, None, heating.pk), (2, None, heating.pk), (3, electricity, None)}
    other.refresh_from_db()
    assert (other.fluid_id, other.usage_id) == (electricity, None)
    # "Keep as it is" leaves that field alone.
    run_action(client, CIRCUITS, "set_fluid_and_usage", selected, apply="1", fluid=str(electricity), usage="keep")
    assert {(c.fluid_id, c.usage_id) for c in selected[0].device.circuits.filter(index__in=[1, 2])} == {
        (electricity, heating.pk)}


# Usages, areas, fluids (§9.6.5) --------------------------------------------------------------

def test_predefined_usages_are_neither_renamed_nor_deleted(client_as, predefined):
    heating = Usage.objects.get(external_key="Heating")
    client = client_as("admin")
    page = client.get(reverse("admin:devices_usage_change", args=[heating.pk]))
    assert page.status_code == 200 and page.context["has_change_permission"] is False
    client.post(reverse("admin:devices_usage_change", args=[heating.pk]), {"name": "Warmth", "external_key": "W"})
    assert client.post(reverse("admin:devices_usage_delete", args=[heating.pk]), {"post": "yes"}).status_code == 403
    custom = services.add_usage(name="Car charging", external_key="CarCharging")
    response = run_action(client, USAGES, "delete_selected", [heating, custom])
    assert any("Predefined usages cannot be deleted" in message for message in messages_of(response))
    heating.refresh_from_db()
    assert (heating.name, heating.external_key) == ("Heating", "Heating")
    assert Usage.objects.filter(pk=custom.pk).exists()


def test_custom_usages_are_added_renamed_and_deleted(client_as, predefined):
    client = client_as("admin")
    assert client.post(reverse("admin:devices_usage_add"),
                       {"name": "Car charging", "external_key": "CarCharging"}).status_code == 302
    usage = Usage.objects.get(name="Car charging")
    assert usage.predefined is False
    assert client.post(reverse("admin:devices_usage_change", args=[usage.pk]),
                       {"name": "EV charging", "external_key": "CarCharging"}).status_code == 302
    usage.refresh_from_db()
    assert usage.name == "EV charging"
    assert client.post(reverse("admin:devices_usage_delete", args=[usage.pk]), {"post": "yes"}).status_code == 302
    assert not Usage.objects.filter(pk=usage.pk).exists()


def test_areas_and_custom_fluids_are_simple_lists(client_as, predefined):
    client = client_as("admin")
    assert client.post(reverse("admin:devices_area_add"), {"name": "Workshop"}).status_code == 302
    assert client.post(reverse("admin:devices_fluid_add"),
                       {"key": "biogas", "name": "Biogas", "energy_unit": "m³"}).status_code == 302
    assert Area.objects.filter(name="Workshop").exists() and Fluid.objects.filter(key="biogas").exists()
    electricity = Fluid.objects.get(key="electricity")
    assert client.post(reverse("admin:devices_fluid_delete", args=[electricity.pk]),
                       {"post": "yes"}).status_code == 403
