"""Defect: DESIGN.md's one-process command `celery -A webview worker --beat` never read a meter,
the acquisition queue being consumed only when named. Started exactly as documented, against a
simulated meter, it polls and the datalogger stores the meter's values."""

import os
import sys

import pytest
from django.conf import settings

from datalogger.models import HotPoint
from devices import services
from devices.catalogue import catalogue
from tests.webview.processes import database_env, environment, free_port, running, wait_until
from webview.demo.modbus_server import SimulatedLink, SimulatedUnit, ThreadedLinks

pytestmark = pytest.mark.django_db(transaction=True)

VOLTAGE = 231.5


@pytest.fixture
def meter_port():
    register_map = catalogue().reference("A-10").register_map
    unit = SimulatedUnit(1)
    for register in register_map.registers:
        unit.set(register, VOLTAGE if register.code == "V1" else 1.0)
    port = free_port()
    links = ThreadedLinks([SimulatedLink("127.0.0.1", port, [unit])]).start()
    yield port
    links.stop()


@pytest.mark.timeout(360)
def test_the_documented_one_process_command_polls_and_stores(meter_port, tmp_path):
    device = services.add_device(reference="A-10", name="Main", host="127.0.0.1", port=meter_port, unit_id=1,
                                 integration_minutes=1)
    env = environment(**database_env(), REDIS_URL=settings.REDIS_URL, WEBVIEW_DATA_DIR=str(tmp_path))
    command = [sys.executable, "-m", "celery", "-A", "webview", "worker", "--beat"]  # DESIGN.md, as is
    with running(command, env, tmp_path / "celery.log") as worker:
        def stored() -> bool:
            worker.check_alive()
            return HotPoint.objects.filter(series__device=device, series__code="V1", series__stat="avg").exists()

        # The first 1-minute period ends within a minute; it is stored by the next 30-s run.
        try:
            wait_until(stored, 240, "a stored value", interval=1)
        except AssertionError as error:
            pytest.fail(f"{error}; the worker's log:\n{worker.output()[-4000:]}")
        log = worker.output()
    point = HotPoint.objects.get(series__device=device, series__code="V1", series__stat="avg")
    assert point.value == pytest.approx(VOLTAGE)
    assert "Traceback" not in log, log[-4000:]
    # Celery's twelve-line root warning gives way to one line, once, and only as root.
    assert "superuser privileges" not in log, log[-4000:]
    assert log.count("runs as root") == (1 if os.geteuid() == 0 else 0), log[-4000:]
    assert "acquisition_tick" not in log, log[-4000:]  # no line per tick
