"""A U-30 shows its voltages (issue 10, defect 9): a voltage module has one circuit, where the
live payload puts its device-wide values, so the Monitor shows them and the datalogger can log
them; devices configured before the catalogue gave it one get it by migration."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from devices import live, services
from devices.acquisition.spec import spec_for
from devices.catalogue import catalogue
from devices.models import Device
from tests.devices.conftest import read_once
from webview.demo.modbus_server import SimulatedUnit
from webview.demo.physics import Network
from webview.demo.site import SimulatedMeter

pytestmark = pytest.mark.django_db


def test_a_u30_reads_its_voltages_into_its_circuit(meters):
    now = timezone.now()
    meter = SimulatedMeter(unit=SimulatedUnit(6), reference=catalogue().reference("U-30"), name="U-30@6", area="",
                           port_offset=0, network=Network())
    meter.update(now)
    port = meters([meter.unit])
    device = services.add_device(reference="U-30", name="U-30@6", host="127.0.0.1", port=port, unit_id=6)
    assert list(device.circuits.values_list("index", "name")) == [(1, "U-30@6")]
    spec = spec_for(Device.objects.prefetch_related("circuits").get(pk=device.pk))

    reading = read_once(spec)
    message = live.payload(spec, reading)
    assert message["status"] == "online" and len(message["circuits"]) == 1
    values = message["circuits"][0]["values"]
    assert 200 < values["V1"] < 260 and 380 < values["U12"] < 420 and 49 < values["F"] < 51
    assert values["THD_V1"] > 0 and values["AVG_V1"] > 200


def test_a_voltage_module_configured_before_gets_its_circuit():
    migration = importlib.import_module("devices.migrations.0007_voltage_modules_have_a_circuit")
    old = Device.objects.create(reference="U-30", name="U-30@9", host="127.0.0.1", port=502, unit_id=9)
    meter = Device.objects.create(reference="E23", name="E23 kept", host="127.0.0.1", port=502, unit_id=10)
    migration.add_circuit(apps, None)
    migration.add_circuit(apps, None)  # twice: nothing more
    assert list(old.circuits.values_list("index", "name", "fluid__key")) == [(1, "U-30@9", "electricity")]
    assert not meter.circuits.exists()  # only voltage modules
