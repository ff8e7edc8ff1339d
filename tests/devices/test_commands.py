"""manage.py add_device, poll --once, setup_demo (DESIGN.md contract)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from devices.models import Circuit, Device
from tests.devices.conftest import unit_with_values

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_add_device_prints_the_id_and_creates_its_circuits():
    device_id = int(run("add_device", "--reference", "I-35", "--name", "I-35@4", "--area", "Factory 1",
                        "--host", "127.0.0.1", "--unit", "4", "--poll-seconds", "2", "--integration-minutes", "15"))
    device = Device.objects.get(pk=device_id)
    assert (device.reference, device.area.name, device.unit_id, device.poll_seconds, device.integration_minutes) == (
        "I-35", "Factory 1", 4, 2.0, 15)
    assert device.circuits.count() >= 1
    assert device.circuits.first().fluid.key == "electricity"


@pytest.mark.parametrize("args, field", [
    (["--reference", "X-99"], "reference"),
    (["--unit", "0"], "unit_id"),
    (["--unit", "248"], "unit_id"),
])
def test_add_device_bad_input_creates_nothing(args, field):
    base = {"--reference": "A-40", "--name": "Bad", "--host": "127.0.0.1", "--unit": "1"}
    base.update(dict(zip(args[::2], args[1::2])))
    with pytest.raises(CommandError, match=field):
        run("add_device", *[x for pair in base.items() for x in pair])
    assert Device.objects.count() == 0 and Circuit.objects.count() == 0


def test_duplicate_modbus_address_is_refused():
    run("add_device", "--reference", "A-40", "--name", "First", "--host", "10.0.0.5", "--unit", "3")
    with pytest.raises(CommandError, match="already answers"):
        run("add_device", "--reference", "E23", "--name", "Second", "--host", "10.0.0.5", "--unit", "3")
    assert Device.objects.count() == 1


def test_command_errors_exit_non_zero_with_one_line(tmp_path):
    # Its own SQLite database in tmp_path, whatever database the suite runs on.
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({"DJANGO_SETTINGS_MODULE": "tests.settings", "WEBVIEW_DATA_DIR": str(tmp_path)})
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    result = subprocess.run([sys.executable, "manage.py", "add_device", "--reference", "Z-1", "--name", "z",
                             "--host", "h", "--unit", "1"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == ["CommandError: reference: Unknown reference Z-1."]


def test_poll_once_json_reads_the_meters(meters):
    from devices.catalogue import catalogue

    port = meters([unit_with_values(1, {"F": 50.01}, catalogue().reference("A-40").register_map)])
    device_id = int(run("add_device", "--reference", "A-40", "--name", "Main", "--host", "127.0.0.1",
                        "--port", str(port), "--unit", "1"))
    dead_id = int(run("add_device", "--reference", "E23", "--name", "Dead", "--host", "127.0.0.1",
                      "--port", "1", "--unit", "1"))
    messages = {m["device"]: m for m in json.loads(run("poll", "--once", "--json"))}
    assert messages[device_id]["status"] == "online"
    assert messages[device_id]["circuits"][0]["values"]["F"] == 50.01
    assert messages[device_id]["circuits"][0]["name"] == "Main"
    assert messages[dead_id]["status"] == "offline" and messages[dead_id]["reason"] == "connection failed"
    single = json.loads(run("poll", "--once", "--device", str(device_id), "--json"))
    assert [m["device"] for m in single] == [device_id]


def test_poll_needs_once_and_a_known_device():
    with pytest.raises(CommandError, match="--once"):
        run("poll")
    with pytest.raises(CommandError, match="no enabled device"):
        run("poll", "--once", "--device", "999")


def test_demo_site_is_configured_once_and_polls_online():
    from webview.demo.modbus_server import ThreadedLinks
    from webview.demo.site import load_site
    from tests.devices.conftest import free_port_range
    from datetime import datetime, timezone

    site = load_site()
    # The demo's links listen on consecutive ports from the one given: all of them must be free.
    port = free_port_range(max(meter.port_offset for meter in site.meters) + 1)
    site.update(datetime(2026, 6, 2, 10, 30, tzinfo=timezone.utc))  # a calm moment: no dip, no overload
    links = ThreadedLinks(site.links("127.0.0.1", port)).start()
    try:
        run("setup_demo", "--port", str(port))
        count = Device.objects.count()
        run("setup_demo", "--port", str(port))
        assert Device.objects.count() == count == len(site.meters)
        messages = json.loads(run("poll", "--once", "--json"))
    finally:
        links.stop()
    assert messages and all(m["status"] == "online" for m in messages), [m["reason"] for m in messages]
    values = messages[0]["circuits"][0]["values"]
    assert 200 < values["V1"] < 260 and 49 < values["F"] < 51
    by_name = {Device.objects.get(pk=m["device"]).name: m for m in messages}
    switch = by_name["ATyS C65"]["circuits"][0]["values"]  # on source I at half past
    assert (switch["POS_CODE"], switch["SRC1_STATE"], switch["ATS_MODE"]) == (2, 2, 0x10)
    assert 220 < switch["SRC1_V"] < 240 and switch["CNT_CYCLES"] >= 42
    assert 0 < by_name["L-60 Theatre"]["circuits"][0]["values"]["RF"] < 1000
    f60 = Device.objects.get(name="F-60@3")
    assert f60.custom_map.name == "ISOM F-60 (WebView demo layout)" and f60.catalogue_reference.family == "isom"
    assert list(f60.circuits.order_by("index").values_list("name", flat=True)[:3]) == ["ABA-1650", "MOTEUR1", "MOTEUR2"]
    assert len(by_name["F-60@3"]["circuits"]) == 6


def test_the_demo_site_produces_alarm_conditions():
    from datetime import datetime, timezone

    from webview.demo.physics import Load, Network

    calm, dip = datetime(2026, 6, 2, 10, 30, tzinfo=timezone.utc), datetime(2026, 6, 2, 10, 0, 30, tzinfo=timezone.utc)
    assert Network().values(dip)["V1"] < 0.75 * Network().values(calm)["V1"]
    load = Load(rated_kw=10, seed=600)  # overloaded from 10:00 to 10:05 every day
    assert load.values(datetime(2026, 6, 2, 10, 2, tzinfo=timezone.utc), Network().values(calm))["P"] > 10


def test_the_transfer_switch_goes_to_the_genset_and_counts_it():
    from datetime import datetime, timedelta, timezone

    from webview.demo.physics import TransferSwitch

    switch = TransferSwitch()
    start = datetime(2026, 6, 2, 10, 19, tzinfo=timezone.utc)
    before = switch.values(start)
    during = switch.values(start + timedelta(minutes=2))  # 10:21, on source II
    after = switch.values(start + timedelta(minutes=5))  # 10:24, back on source I
    assert (before["POS_CODE"], during["POS_CODE"], after["POS_CODE"]) == (2, 3, 2)
    assert during["SRC1_V"] == 0 and during["SRC2_V"] > 200 and during["SRC2_STATE"] == 2
    assert after["CNT_CYCLES"] == before["CNT_CYCLES"] + 1
    assert after["CNT_ENGINE_STARTS"] == before["CNT_ENGINE_STARTS"] + 1
    assert after["SUPPLY_SRC2_S"] - before["SUPPLY_SRC2_S"] == 3 * 60  # counted while on source II
    assert after["SUPPLY_SRC1_S"] - before["SUPPLY_SRC1_S"] == 2 * 60


def test_an_insulation_fault_shows_on_one_f60_circuit():
    from datetime import datetime, timedelta, timezone

    from webview.demo.physics import Insulation

    f60 = Insulation(seed=7, circuits=6)
    minutes = (datetime(2026, 6, 2, tzinfo=timezone.utc) + timedelta(minutes=m) for m in range(24 * 60))
    at_fault = next(moment for moment in minutes if f60.fault(moment))  # at least one fault a day
    circuits = f60.circuit_values(at_fault)
    faulty = [c for c in circuits if c["IL"] > 1]
    assert len(faulty) == 1 and faulty[0]["RF"] < 100
    assert all(c["RF"] >= 400 for c in circuits if c is not faulty[0])
