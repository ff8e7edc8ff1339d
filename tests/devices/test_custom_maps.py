"""A device the catalogue does not know, read with a register map the user defines in
Settings › Devices › Register maps (reference "Custom")."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError
from django.urls import reverse

from devices import selectors, services
from devices.catalogue import catalogue
from devices.custom_maps import reference_of, register_map_of
from devices.monitor import tabs_for
from devices.models import Circuit, CustomRegister, CustomRegisterMap, Device
from tests.devices.conftest import unit_with_values
from tests.devices.topology import add, predefined  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
MAPS = reverse("admin:devices_customregistermap_changelist")
ADD_MAP = reverse("admin:devices_customregistermap_add")
ADD_SOURCE = reverse("admin:devices_device_add")


def make_map(name: str = "Acme PM10", *, circuits: int = 1, circuit_stride: int = 0, **fields) -> CustomRegisterMap:
    custom_map = CustomRegisterMap.objects.create(name=name, circuits=circuits, circuit_stride=circuit_stride,
                                                  max_registers=20, **fields)
    CustomRegister.objects.bulk_create([
        CustomRegister(map=custom_map, code="V1", address=0, type="u32", scale=0.1, scope="device"),
        CustomRegister(map=custom_map, code="I1", address=2, type="u32", scale=0.001),
        CustomRegister(map=custom_map, code="P", address=4, type="s32", scale=0.01, word_order="little"),
        CustomRegister(map=custom_map, code="EA_IMP", address=10, type="u32", not_available=0xFFFFFFFF),
    ])
    return custom_map


def map_form(registers: list[dict], **fields) -> dict:
    """The admin's add form of a map: its fields and the registers inline ("registers-N-...")."""
    data = {"name": "Acme PM10", "function": "holding", "max_registers": "100", "word_order": "big",
            "circuit_stride": "0", "circuits": "1", "note": "Acme PM10 manual, table 4", **fields,
            "registers-TOTAL_FORMS": str(len(registers)), "registers-INITIAL_FORMS": "0",
            "registers-MIN_NUM_FORMS": "0", "registers-MAX_NUM_FORMS": "1000"}
    for n, register in enumerate(registers):
        row = {"word_order": "", "scope": "circuit", "scale": "1", "not_available": "", **register}
        data.update({f"registers-{n}-{field}": value for field, value in row.items()})
    return data


V1 = {"code": "V1", "address": "0", "type": "u32", "scale": "0.1"}
P = {"code": "P", "address": "2", "type": "s32", "scale": "0.01"}


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# The Register maps tab -------------------------------------------------------------------------

def test_an_admin_defines_a_map_with_its_registers(client_as):
    client = client_as("admin")
    assert client.get(ADD_MAP).status_code == 200
    response = client.post(ADD_MAP, map_form([V1, {**P, "word_order": "little"}], circuits="2", circuit_stride="100"))
    assert response.status_code == 302 and response.url == MAPS
    custom_map = CustomRegisterMap.objects.get(name="Acme PM10")
    assert [(r.code, r.address, r.type, r.scale, r.word_order) for r in custom_map.registers.all()] == [
        ("V1", 0, "u32", 0.1, ""), ("P", 2, "s32", 0.01, "little")]
    register_map = register_map_of(custom_map)
    assert [r.word_order for r in register_map.registers] == ["big", "little"]  # blank takes the map's
    assert "Acme PM10" in client.get(MAPS).content.decode()
    tabs = client.get(reverse("admin:devices_device_changelist")).content.decode()
    assert f'href="{MAPS}"' in tabs  # a tab of Customise › Devices


@pytest.mark.parametrize("registers, fields, message", [
    ([V1, {**P, "address": "1"}], {}, "V1 and P overlap"),
    ([V1, {**P, "code": "NOPE"}], {}, "Select a valid choice"),
    ([V1, {**P, "type": "u64", "address": "4"}], {"max_registers": "3"}, "P is larger than max_registers"),
    ([V1, {**P, "code": "V1", "address": "8"}], {}, "a quantity appears twice"),
    ([V1, {**P, "scale": "0"}], {}, "scale cannot be 0"),
    ([V1], {"circuits": "2"}, "several circuits need the map's circuit_stride"),
    ([], {}, "no registers"),
])
def test_a_map_the_catalogue_would_refuse_shows_why_and_saves_nothing(client_as, registers, fields, message):
    response = client_as("admin").post(ADD_MAP, map_form(registers, **fields))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    register_errors = [error for form_errors in formset.errors for field in form_errors.values() for error in field]
    errors = [*formset.non_form_errors(), *register_errors]
    assert any(message in error for error in errors), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not CustomRegisterMap.objects.exists() and not CustomRegister.objects.exists()


def test_changing_a_map_is_checked_as_a_whole_too(client_as):
    custom_map = make_map()
    v1, i1, p, ea = custom_map.registers.all()
    data = map_form([], name=custom_map.name, max_registers="20")
    data.update({"registers-TOTAL_FORMS": "4", "registers-INITIAL_FORMS": "4"})
    for n, register in enumerate([v1, i1, p, ea]):
        data.update({f"registers-{n}-id": str(register.pk), f"registers-{n}-map": str(custom_map.pk),
                     f"registers-{n}-code": register.code, f"registers-{n}-address": str(register.address),
                     f"registers-{n}-type": register.type, f"registers-{n}-scale": str(register.scale),
                     f"registers-{n}-word_order": register.word_order, f"registers-{n}-scope": register.scope,
                     f"registers-{n}-not_available": str(register.not_available or "")})
    data["registers-1-address"] = "1"  # I1 now starts inside V1
    response = client_as("admin").post(reverse("admin:devices_customregistermap_change", args=[custom_map.pk]), data)
    assert response.status_code == 200
    assert "V1 and I1 overlap" in " ".join(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert CustomRegister.objects.get(pk=i1.pk).address == 2


@pytest.mark.parametrize("key", ["user", "advanced", "totem"])
def test_only_admin_and_cyber_security_define_maps(client_as, key):
    client = client_as(key)
    assert client.get(MAPS).status_code == 403
    assert client.post(ADD_MAP, map_form([V1])).status_code == 403
    assert not CustomRegisterMap.objects.exists()


# Adding a Custom source ------------------------------------------------------------------------

def test_a_custom_source_gets_its_map_s_circuits(predefined):
    custom_map = make_map(circuits=3, circuit_stride=100)
    device = add("Acme", reference="Custom", custom_map=custom_map)
    assert device.catalogue_reference.label == "Acme PM10"
    assert [c.name for c in device.circuits.order_by("index")] == ["Load 1", "Load 2", "Load 3"]
    with pytest.raises(ProtectedError):
        custom_map.delete()  # a map in use stays


def test_a_custom_source_without_its_map_is_refused_and_nothing_is_created(predefined):
    with pytest.raises(ValidationError) as refusal:
        add("Acme", reference="Custom")
    assert "custom_map" in refusal.value.message_dict
    with pytest.raises(ValidationError) as refusal:
        add("Gateway", reference="M-70", custom_map=make_map())
    assert "gateway" in " ".join(refusal.value.message_dict["custom_map"])
    assert not Device.objects.exists() and not Circuit.objects.exists()


def test_a_catalogue_reference_without_a_public_table_is_read_through_a_user_map(predefined):
    """ISOM and ATyS C55/C65 have no public register table: the user types in the one that came
    with the device, and the device keeps its family's Monitor tabs."""
    assert catalogue().reference("L-60").register_map is None
    custom_map = make_map("L-60 table", circuits=1)
    CustomRegister.objects.create(map=custom_map, code="RF", address=20, type="u32", scale=0.1, scope="device")
    device = add("IMD", reference="L-60", custom_map=custom_map)
    reference = Device.objects.get(pk=device.pk).catalogue_reference
    assert (reference.reference, reference.family) == ("L-60", "isom")
    assert "insulation" in reference.capabilities and reference.is_gateway is False
    assert {r.code for r in reference.register_map.registers} == {"V1", "I1", "P", "EA_IMP", "RF"}
    assert [tab.tab.key for tab in tabs_for(reference)] == ["network", "insulation", "insulation-monitoring"]
    assert device.circuits.count() == 1


def test_the_add_form_offers_custom_with_a_map_to_choose(client_as, predefined):
    custom_map = make_map()
    client = client_as("admin")
    page = client.get(ADD_SOURCE).content.decode()
    assert 'value="Custom"' in page and f'value="{custom_map.pk}"' in page and "custom_map_field.js" in page
    form = {"reference": "Custom", "name": "Acme", "area": "", "protocol": "tcp", "host": "10.0.0.9", "port": "502",
            "serial_port": "", "unit_id": "9", "poll_seconds": "5", "integration_minutes": "10",
            "timeout_seconds": "1", "retries": "1"}
    refused = client.post(ADD_SOURCE, {**form, "custom_map": ""})
    assert refused.status_code == 400
    assert "needs its register map" in " ".join(refused.context["adminform"].form.errors["custom_map"])
    assert not Device.objects.exists()
    assert client.post(ADD_SOURCE, {**form, "custom_map": str(custom_map.pk)}).status_code == 302
    device = Device.objects.get(name="Acme")
    assert (device.reference, device.custom_map) == ("Custom", custom_map)
    change = client.get(reverse("admin:devices_device_change", args=[device.pk]))
    assert change.status_code == 200 and "Acme PM10" in change.content.decode()


def test_add_device_command_takes_a_custom_map_by_name(predefined):
    make_map()
    device_id = int(run("add_device", "--reference", "Custom", "--custom-map", "Acme PM10", "--name", "Acme",
                        "--host", "10.0.0.9", "--unit", "9"))
    assert Device.objects.get(pk=device_id).custom_map.name == "Acme PM10"
    with pytest.raises(CommandError, match="no register map is named Nope"):
        run("add_device", "--reference", "Custom", "--custom-map", "Nope", "--name", "X", "--host", "h", "--unit", "2")
    with pytest.raises(CommandError, match="^custom_map: .*register map"):
        run("add_device", "--reference", "Custom", "--name", "X", "--host", "h", "--unit", "2")
    assert Device.objects.count() == 1


# Reading a Custom source -----------------------------------------------------------------------

def test_a_custom_source_is_read_from_its_meter(meters, predefined):
    custom_map = make_map(circuits=2, circuit_stride=100)
    register_map = register_map_of(custom_map)
    unit = unit_with_values(1, {"V1": 230.1, "I1": 4.5, "P": -1.25, "EA_IMP": 0xFFFFFFFF}, register_map)
    by_code = {register.code: register for register in register_map.registers}
    unit.set(by_code["I1"], 7.25, address=by_code["I1"].address + 100)  # circuit 2, one stride further
    unit.set(by_code["P"], 3.5, address=by_code["P"].address + 100)
    unit.set(by_code["EA_IMP"], 1234, address=by_code["EA_IMP"].address + 100)
    port = meters([unit])
    device = add("Acme", reference="Custom", custom_map=custom_map, host="127.0.0.1", port=port)
    messages = {m["device"]: m for m in json.loads(run("poll", "--once", "--json"))}
    reading = messages[device.pk]
    assert reading["status"] == "online", reading
    circuits = {circuit["name"]: circuit["values"] for circuit in reading["circuits"]}
    assert circuits["Load 1"]["I1"] == 4.5 and circuits["Load 1"]["P"] == -1.25
    assert circuits["Load 1"]["EA_IMP"] is None  # the map's "not available" value
    assert {code: circuits["Load 2"][code] for code in ("V1", "I1", "P", "EA_IMP")} == {
        "V1": 230.1, "I1": 7.25, "P": 3.5, "EA_IMP": 1234}


def test_a_custom_source_s_monitor_tabs_follow_its_quantities():
    custom_map = make_map()
    CustomRegister.objects.create(map=custom_map, code="THD_I1", address=12, type="u16", scale=0.1)
    reference = reference_of(custom_map)
    assert reference.capabilities == ("network_summary", "load_summary", "ui", "power", "energy", "load_quality")
    assert reference.family == "custom" and not reference.is_gateway


def test_acquisition_reads_custom_maps_without_a_query_per_device(predefined, django_assert_max_num_queries):
    maps = [make_map(f"Map {n}") for n in range(3)]
    for n in range(12):
        add(f"Custom {n}", reference="Custom", custom_map=maps[n % 3], unit_id=n + 1)
    add("Catalogue", reference="I-35", unit_id=100)
    with django_assert_max_num_queries(3):  # devices and their maps, circuits, registers
        specs = selectors.enabled_device_specs()
    assert len(specs) == 13
    assert {len(spec.register_map.registers) for spec in specs if spec.name.startswith("Custom")} == {4}
