"""The demo site looks like a site (issue 10, defects 10 and 13): every Monitor tab of §8.2.1 on at
least one device, values read back from the simulator, and consumption by usage that shows
several usages with a small non-measured point, the general meter, its sub-meters and the
seeded history agreeing."""

import io
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from django.core.management import call_command

from devices import monitor
from devices.acquisition.spec import CircuitSpec
from tests.devices.conftest import device_spec, free_port, read_once
from webview.demo.modbus_server import SimulatedLink, ThreadedLinks
from webview.demo.site import load_site

END = datetime(2026, 6, 10, 15, 7, tzinfo=timezone.utc)  # a Wednesday afternoon
# §8.2.1's tabs, and what the manual says they show beyond instantaneous values.
TABS_8_2_1 = {"network", "network-quality", "load", "ui", "power", "energy", "load-quality"}
SHOWN = {"ui": {"AVG_I1", "AVG_V1"}, "power": {"AVG_P", "COSPHI1", "TANPHI1"}, "energy": {"EA_IMP_T1", "EA_EXP", "ES"},
         "load-quality": {"THD_I1", "KF_I1", "H_I1_5"}, "network-quality": {"THD_V1", "H_V1_5"}}


def test_every_tab_of_8_2_1_is_on_a_demo_device_with_averages_cos_phi_tariffs_and_harmonics():
    site = load_site()
    tabs: dict[str, set[str]] = {}
    for meter in site.meters:
        measured = {r.code for r in meter.reference.register_map.registers} if meter.reference.register_map else set()
        for item in monitor.tabs_for(meter.reference):
            # What a device with the tab measures (which codes a tab lists is the Monitor's part).
            tabs.setdefault(item.tab.key, set()).update(measured)
    assert TABS_8_2_1 <= set(tabs)
    for key, codes in SHOWN.items():
        assert codes <= tabs[key], key


def test_the_demo_b30_and_a10_answer_with_every_quantity_the_tabs_show():
    site = load_site()
    site.update(END)
    workshop = [meter for meter in site.meters if meter.name in ("B-30 Workshop", "A-10 Lifts")]
    port = free_port()
    links = ThreadedLinks([SimulatedLink("127.0.0.1", port, [meter.unit for meter in workshop])]).start()
    try:
        readings = {}
        for meter in workshop:
            spec = device_spec(port, meter.unit.unit_id, register_map=meter.reference.register_map,
                               timeout=2.0, circuits=(CircuitSpec(1, 1, "Load 1"),))

            readings[meter.name] = read_once(spec)
    finally:
        links.stop()
    b30 = {**readings["B-30 Workshop"].values[0], **readings["B-30 Workshop"].values[1]}
    assert readings["B-30 Workshop"].online
    for code in ("U12", "PF", "AVG_I1", "MAXAVG_P", "COSPHI1", "TANPHI1", "THD_I1", "KF_I1", "H_I1_5", "THD_V1",
                 "H_V1_5", "EA_IMP", "EA_IMP_T1"):
        assert b30[code] and b30[code] > 0, code
    assert 0.6 < b30["PF"] <= 1 and 380 < b30["U12"] < 420
    assert b30["AVG_P"] == pytest.approx(25 * 0.15 + 25 * 0.75 * 0.9, rel=0.2)  # a weekday afternoon
    a10 = readings["A-10 Lifts"].values[1]
    assert a10["THD_I1"] > 0 and a10["MAXAVG_P"] == pytest.approx(10.0, abs=0.01)


@pytest.mark.django_db
def test_consumption_by_usage_shows_several_usages_and_a_small_non_measured_point():
    from hierarchies import breakdown
    from hierarchies.models import Hierarchy
    from webview.demo.history import seed_demo_history

    call_command("setup_demo", "--port", "5999", stdout=io.StringIO())
    seed_demo_history(3, end=END)
    hierarchy = Hierarchy.objects.get(name="CIL site")
    start, end = END - timedelta(days=2), END - timedelta(hours=1)
    usages = {load.name: float(np.nansum(load.values)) for load in breakdown.by_usage(hierarchy, start, end, "day").loads}
    total = sum(usages.values())
    assert {"Process", "Ventilation", "Refrigeration", "Heating", "Lifts and escalators", "IT equipment"} <= set(usages)
    assert "Undefined" not in usages
    assert 0 < usages["Non-measured point"] < 0.25 * total
    loads = breakdown.by_load(hierarchy, start, end, "day")
    measured = {load.name: float(np.nansum(load.values)) for load in loads.loads}
    assert {"Factory 1", "Factory 2", "Offices", "Cafeteria", "Workshop"} <= set(measured)
    # The general meter measured what its loads and the non-measured point add up to.
    assert sum(measured.values()) == pytest.approx(loads.total, rel=1e-6)
    assert measured["Non-measured point"] == pytest.approx(usages["Non-measured point"], rel=1e-6)


def test_the_simulated_general_meter_adds_up_its_sub_meters_and_the_non_measured_part():
    site = load_site()
    last = END + timedelta(seconds=120)
    for seconds in (0, 60, 120):  # a few samples, so that the counters integrate
        site.update(END + timedelta(seconds=seconds))
    by_name = {meter.name: meter for meter in site.meters}
    general = by_name["A-40 General"]
    rest = general.loads[0].rest.latest  # the part no sub-meter sees, as last sampled
    parts = [load.latest for name in general.measures for load in by_name[name].loads]
    # Sampled again at the same instant: nothing more is integrated, the sums are what it served.
    served = general.loads[0].values(last, general.network.values(last))
    for code in ("P", "Q", "I1", "AVG_P", "EA_IMP", "ER_IMP"):
        assert served[code] == pytest.approx(sum(part[code] for part in parts) + rest[code], rel=1e-9), code
    assert served["PF"] == pytest.approx(served["P"] / served["S"])
    assert 0 < rest["P"] < 0.15 * served["P"]  # the non-measured part stays small
