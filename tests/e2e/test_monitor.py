"""Monitor in the browser (§8.2): live values change in place, offline shows, tabs and modes switch."""

import asyncio
import re
import threading

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from devices import live, services
from devices.acquisition.spec import Reading, spec_for
from tests.devices.conftest import meters  # noqa: F401 (fixture)
from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Publisher:
    """Publishes a reading every 0.2 s from its own thread and event loop (Playwright's sync API
    owns the main thread's loop) until stopped: the page subscribes when its socket opens."""

    def __init__(self, spec, reading: Reading) -> None:
        self.spec, self.reading = spec, reading
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self) -> None:
        redis = live.redis_client()
        try:
            while not self.stopped.is_set():
                await live.publish(self.spec.id, live.payload(self.spec, self.reading))
                await asyncio.sleep(0.2)
        finally:
            await redis.aclose()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


@pytest.fixture
def meter(profiles):
    device = services.add_device(reference="A-10", name="General", host="127.0.0.1", unit_id=1, area="Plant")
    return spec_for(type(device).objects.prefetch_related("circuits").get(pk=device.pk))


@pytest.fixture
def monitor_page(page: Page, meter) -> Page:
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/monitor/{meter.id}/")
    return page


def reading(online: bool, **values) -> Reading:
    return Reading(device_id=0, timestamp=timezone.now(), online=online, reason="" if online else "timeout",
                   values={0: {"F": values.pop("F", 50.0)}, 1: values})


def test_values_update_in_place_and_offline_shows(monitor_page, meter):
    page = monitor_page
    page.click("[data-tab=ui]")
    page.click("[data-panel=ui] [data-mode-toggle]")  # graph → table
    cell = page.locator("[data-panel=ui] [data-value=U12]")
    expect(cell).to_have_text("—")
    marker = page.evaluate("() => (window.__stayed = true)")  # lost on any reload
    with Publisher(meter, reading(True, U12=401.25, I1=12.5)):
        expect(cell).to_have_text("401.3", timeout=10_000)
        expect(page.locator("[data-status]")).to_have_text("Online")
    with Publisher(meter, reading(True, U12=398.5, I1=12.5)):
        expect(cell).to_have_text("398.5", timeout=10_000)
    with Publisher(meter, reading(False)):
        expect(page.locator("[data-status]")).to_have_text("Offline", timeout=10_000)
        expect(page.locator("[data-reason]")).to_have_text("timeout")
    assert marker is True and page.evaluate("() => window.__stayed") is True


def test_tabs_and_table_graph_modes(monitor_page):
    page = monitor_page
    for key in ("network", "load", "ui", "power", "energy"):
        page.click(f"[data-tab={key}]")
        expect(page.locator(f"[data-panel={key}]")).to_be_visible()
        expect(page.locator(f"[data-tab={key}]")).to_have_attribute("aria-selected", "true")
    page.click("[data-tab=power]")
    chart, table = page.locator("[data-panel=power] .chart"), page.locator("[data-panel=power] table").first
    expect(chart).to_be_visible()
    expect(table).to_be_hidden()
    page.click("[data-panel=power] [data-mode-toggle]")
    expect(table).to_be_visible()
    expect(chart).to_be_hidden()


def demo_spec(name: str):
    from django.core.management import call_command

    from devices.models import Device

    call_command("setup_demo", "--port", "5999")
    return spec_for(Device.objects.prefetch_related("circuits").get(name=name))


def test_an_atys_shows_its_position_and_counters(page: Page, profiles):
    atys = demo_spec("ATyS C65")
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/monitor/{atys.id}/")
    page.click("[data-tab=switch]")
    caption = page.locator("[data-switch-caption]")
    on_genset = Reading(device_id=atys.id, timestamp=timezone.now(), online=True, reason="", values={0: {
        "POS_CODE": 3.0, "ATS_MODE": 16.0, "SRC1_STATE": 0.0, "SRC2_STATE": 2.0, "ENGINE_RUN_S": 1_239_152.0}})
    with Publisher(atys, on_genset):
        expect(caption).to_have_text("Position II", timeout=10_000)
        expect(page.locator("[data-panel=switch] [data-value=ATS_MODE]")).to_have_text("Automatic")
        expect(page.locator("[data-switch-diagram] [data-source='2']")).to_have_class("source live")
        page.click("[data-tab=switch-counters]")
        expect(page.locator("[data-value=ENGINE_RUN_S]")).to_have_text("14 d 8 h 12 m 32 s")


def test_an_f60_shows_every_circuit(page: Page, profiles):
    f60 = demo_spec("F-60@3")
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/monitor/{f60.id}/")
    fault = Reading(device_id=f60.id, timestamp=timezone.now(), online=True, reason="",
                    values={index: {"IDN": 30.0, "IL": 8.0 if index == 2 else 0.014, "RF": 40.0 if index == 2 else 400.0,
                                    "CF": 0.2} for index in range(1, 7)})
    with Publisher(f60, fault):
        expect(page.locator("[data-circuit-value='2:IL']")).to_have_text("8.0", timeout=10_000)
        expect(page.locator("[data-circuit-value='2:RF']")).to_have_text("40")
        expect(page.locator("[data-circuit-value='1:RF']")).to_have_text("400")
        expect(page.locator("[data-circuit-time]").first).not_to_have_text("—")


def test_an_advanced_user_resets_counters_after_confirming(page: Page, ready_profile, meters):
    from datetime import datetime, timezone as tz

    from cybersecurity.models import SecurityPolicy
    from webview.demo.site import demo_maps, load_site
    from tests.conftest import password_of

    [meter] = [m for m in load_site().meters if m.name == "ATyS C65"]
    meter.update(datetime(2026, 6, 2, 10, 30, tzinfo=tz.utc))
    port = meters([meter.unit])
    device = services.add_device(reference="C65", name="ATyS", host="127.0.0.1", port=port, unit_id=1,
                                 custom_map=services.save_register_map(demo_maps()[meter.map_name]))
    policy = SecurityPolicy.current()
    policy.modbus_write = True
    policy.save()
    ready_profile("advanced")
    sign_in(page, "advanced", password_of("advanced"))
    expect_home(page)
    page.goto(f"/monitor/{device.pk}/")
    page.click("[data-reset-open]")
    dialog = page.locator("[data-reset-dialog]")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert meter.switch.counters["CNT_CYCLES"] >= 42  # cancelled: nothing written
    page.click("[data-reset-open]")
    dialog.get_by_role("button", name="Reset counters").click()
    expect(page.locator("[data-reset-message]")).to_have_text("The counters of ATyS were reset.")
    assert meter.switch.counters["CNT_CYCLES"] == 0


def test_an_l60_shows_its_insulation_history(page: Page, profiles):
    from webview.demo.history import seed_demo_history

    l60 = demo_spec("L-60 Theatre")
    seed_demo_history(8, end=timezone.now())
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/monitor/{l60.id}/")
    page.click("[data-tab=insulation]")
    expect(page.locator("[data-stat='min:RF']")).not_to_have_text("—", timeout=10_000)
    low = float(page.locator("[data-stat='min:RF']").inner_text().replace(",", ""))
    high = float(page.locator("[data-stat='max:RF']").inner_text().replace(",", ""))
    assert 0 < low <= high
    page.click("[data-tab=insulation-monitoring]")
    panel = page.locator("[data-panel=insulation-monitoring]")
    expect(panel).to_have_attribute("data-history-loaded", re.compile(r"^[1-9]\d*$"), timeout=10_000)
    day_rows = int(panel.get_attribute("data-history-loaded"))
    panel.get_by_role("button", name="Last week").click()
    expect(panel.get_by_role("button", name="Last week")).to_have_attribute("aria-pressed", "true")
    expect(panel).not_to_have_attribute("data-history-loaded", str(day_rows), timeout=10_000)
    panel.locator("[data-mode-toggle]").click()
    expect(panel.locator("[data-history-rows] tr").first).to_be_visible()


@pytest.mark.parametrize("width, height", [(1920, 1080), (768, 1024)])
def test_the_monitor_page_fits_a_desktop_and_a_tablet(page: Page, meter, width, height):
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/monitor/{meter.id}/")
    for tab in ("network", "ui", "power", "energy"):
        page.click(f"[data-tab={tab}]")
        expect(page.locator(f"[data-panel={tab}]")).to_be_visible()
        # Nothing wider than the screen: no sideways scrolling on a tablet.
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
