"""Monitor in the browser as issue 10 saw it (defects 9 and 14): what the charts draw, legends and
axis texts that never overlap, numbers with the quantity's precision in the page's locale, a
gateway's modules, the tab an ATyS opens on, the landing page, wide and tablet layouts."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from devices import services
from devices.acquisition.spec import Reading, spec_for
from devices.models import Device
from tests.e2e.flows import expect_home, sign_in
from tests.e2e.test_monitor import Publisher

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NNBSP = "\u202f"  # French groups digits with a narrow no-break space

# Values of a 211 kW / 95 kvar load, the sizes the issue saw, on a DIRIS A-40.
VALUES = {"V1": 231.4, "V2": 230.9, "V3": 232.2, "U12": 400.5, "U23": 399.8, "U31": 401.1,
          "I1": 305.2, "I2": 298.7, "I3": 310.4, "IN": 12.3, "P": 211.0, "P1": 70.1, "P2": 69.4, "P3": 71.5,
          "Q": 95.0, "Q1": 31.2, "Q2": 31.9, "Q3": 31.9, "S": 231.4, "S1": 77.0, "S2": 76.4, "S3": 78.4,
          "PF": 0.912, "PF1": 0.91, "PF2": 0.908, "PF3": 0.912, "EA_IMP": 6_064_220.04, "ER_IMP": 2_425_758.2,
          "EA_EXP": 0.0, "ER_EXP": 0.0, "ES": 3500.0}


@pytest.fixture
def a40(profiles):
    device = services.add_device(reference="A-40", name="General", host="127.0.0.1", unit_id=1, area="Plant")
    return spec_for(Device.objects.prefetch_related("circuits").get(pk=device.pk))


def live_reading(spec) -> Reading:
    return Reading(device_id=spec.id, timestamp=timezone.now(), online=True, reason="",
                   values={0: {"F": 50.02}, 1: dict(VALUES)})


def open_monitor(page: Page, device_id: int, language: str = "en") -> None:
    page.goto(f"/login/?language={language}")  # §6.1: the language is chosen when signing in
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/monitor/{device_id}/")
    expect(page.locator("html")).to_have_attribute("lang", language)


def chart_option(page: Page, selector: str) -> dict:
    """The option the page gave ECharts (read through the global echarts, not a hook of ours)."""
    page.wait_for_function("(s) => { const el = document.querySelector(s);"
                           " return window.echarts && el && window.echarts.getInstanceByDom(el); }", arg=selector)
    return page.evaluate("(s) => { const o = window.echarts.getInstanceByDom(document.querySelector(s)).getOption();"
                         " return { series: o.series.map((x) => ({ name: x.name, xAxisIndex: x.xAxisIndex,"
                         " yAxisIndex: x.yAxisIndex, data: x.data.map((d) => d && typeof d === 'object' && !Array.isArray(d)"
                         " ? { code: d.code, value: d.value } : d) })),"
                         " xAxis: o.xAxis.map((a) => ({ data: a.data, gridIndex: a.gridIndex })),"
                         " yAxis: o.yAxis.map((a) => ({ name: a.name, gridIndex: a.gridIndex })) }; }", selector)


# The texts ECharts drew (legend items, axis names and labels), from its renderer's display list:
# the canvas has no DOM to measure. A box is the text's width by its font size, at its centre.
TEXT_BOXES = """(selector) => {
  const chart = window.echarts && window.echarts.getInstanceByDom(document.querySelector(selector));
  if (!chart) return [];
  return chart.getZr().storage.getDisplayList(true)
    .filter((el) => el.style && el.style.text != null && String(el.style.text).trim() && !el.invisible)
    .map((el) => {
      const owner = el.parent && el.parent.type === "text" ? el.parent : el;
      const rect = owner.getBoundingRect().clone();
      if (owner.transform) rect.applyTransform(owner.transform);
      const size = Number((/(\\d+(?:\\.\\d+)?)px/.exec(el.style.font || "") || [0, 12])[1]);
      // The glyphs' height (0.8 of the font size) from the baseline the text is drawn on.
      const m = owner.transform || [1, 0, 0, 1, 0, 0];
      const y = m[5] + m[3] * (el.style.y || 0);
      const shift = { top: 0, middle: 0.5, bottom: 1, alphabetic: 0.8 }[el.style.textBaseline] ?? 0.8;
      const top = y - shift * size + 0.1 * size;
      return { text: String(el.style.text), left: rect.x, right: rect.x + rect.width, top, bottom: top + 0.8 * size };
    });
}"""


def texts_do_not_overlap(page: Page, selector: str) -> None:
    page.wait_for_function(f"() => ({TEXT_BOXES})({selector!r}).length > 3", timeout=15_000)
    boxes = page.evaluate(TEXT_BOXES, selector)
    clashes = [f"{a['text']} / {b['text']}" for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
               and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1]
    assert clashes == []


def test_the_power_chart_draws_s_and_pf_and_keeps_p_and_q_on_one_scale(page: Page, a40):
    open_monitor(page, a40.id)
    page.click("[data-tab=power]")
    with Publisher(a40, live_reading(a40)):
        page.wait_for_function("() => { const el = document.querySelector('[data-panel=power] [data-chart]');"
                               " const c = window.echarts && window.echarts.getInstanceByDom(el);"
                               " return c && c.getOption().series.some((s) => s.data.some((d) => d && d.value === 211)); }",
                               timeout=10_000)
        option = chart_option(page, "[data-panel=power] [data-chart]")
    drawn = {point["code"]: (series["yAxisIndex"], point["value"]) for series in option["series"]
             for point in series["data"] if isinstance(point, dict) and point["value"] is not None}
    assert drawn["S"][1] == pytest.approx(231.4) and drawn["PF"][1] == pytest.approx(0.912)
    # P, Q and S compare on one axis; the power factor has its own plot.
    assert drawn["P"][0] == drawn["Q"][0] == drawn["S"][0] != drawn["PF"][0]
    assert "kvar" in option["yAxis"][drawn["P"][0]]["name"]


@pytest.mark.parametrize("width, height", [(1440, 900), (768, 1024)])
def test_chart_legends_and_axis_labels_never_overlap(page: Page, a40, width, height):
    page.set_viewport_size({"width": width, "height": height})
    open_monitor(page, a40.id)
    with Publisher(a40, live_reading(a40)):
        for tab in ("network", "ui", "power"):
            page.click(f"[data-tab={tab}]")
            expect(page.locator(f"[data-panel={tab}] [data-chart]")).to_be_visible()
            texts_do_not_overlap(page, f"[data-panel={tab}] [data-chart]")


def test_the_l60_curve_legend_clears_its_axes(page: Page, profiles):
    from django.core.management import call_command

    from webview.demo.history import seed_demo_history

    call_command("setup_demo", "--port", "5999")
    l60 = Device.objects.get(name="L-60 Theatre")
    seed_demo_history(2, end=timezone.now())
    page.set_viewport_size({"width": 768, "height": 1024})
    open_monitor(page, l60.pk)
    page.click("[data-tab=insulation-monitoring]")
    panel = page.locator("[data-panel=insulation-monitoring]")
    expect(panel).to_have_attribute("data-history-loaded", __import__("re").compile(r"^[1-9]\d*$"), timeout=15_000)
    texts_do_not_overlap(page, "[data-panel=insulation-monitoring] [data-history-chart]")


@pytest.mark.parametrize("language, energy, apparent, pf, tick, foreign_tick", [
    ("en", "6,064,220", "3,500", "0.912", "0.2", "0,2"),
    ("fr", f"6{NNBSP}064{NNBSP}220", f"3{NNBSP}500", "0,912", "0,2", "0.2"),
])
def test_numbers_follow_the_quantity_precision_and_the_page_locale(page: Page, a40, language, energy, apparent, pf,
                                                                   tick, foreign_tick):
    open_monitor(page, a40.id, language)
    with Publisher(a40, live_reading(a40)):
        page.click("[data-tab=energy]")
        # Whole kWh on a 6 GWh counter, grouped as the page's language groups digits.
        expect(page.locator("[data-panel=energy] [data-value=EA_IMP]")).to_have_text(energy, timeout=10_000)
        expect(page.locator("[data-panel=energy] [data-value=ES]")).to_have_text(apparent)
        page.click("[data-tab=power]")
        page.click("[data-panel=power] [data-mode-toggle]")
        expect(page.locator("[data-panel=power] [data-value=PF]")).to_have_text(pf)
        page.click("[data-panel=power] [data-mode-toggle]")
        selector = "[data-panel=power] [data-chart]"
        page.wait_for_function(f"() => ({TEXT_BOXES})({selector!r}).some((box) => /^0[.,]2$/.test(box.text))",
                               timeout=10_000)
        texts = [box["text"] for box in page.evaluate(TEXT_BOXES, selector)]
    # The chart's axis writes its ticks in the page's locale too.
    assert tick in texts and foreign_tick not in texts


def test_a_gateway_page_lists_its_modules_and_each_device_its_network(page: Page, profiles):
    from django.core.management import call_command

    call_command("setup_demo", "--port", "5999")
    gateway = Device.objects.get(name="M-70")
    Device.objects.filter(name="L-60 Theatre").update(network_type="1P+N")
    open_monitor(page, gateway.pk)
    expect(page.locator("[data-gateway-modules]")).to_be_visible()
    for name in ("I-35@4", "I-30@5", "U-30@6"):
        expect(page.locator("[data-gateway-modules] tbody tr", has_text=name)).to_be_visible()
    expect(page.locator("[data-module] [data-counter=requests]").first).to_have_text("0")
    expect(page.get_by_text("no register map")).to_have_count(0)
    expect(page.locator("[data-network-type]")).to_have_count(0)
    page.goto(f"/monitor/{Device.objects.get(name='L-60 Theatre').pk}/")
    expect(page.locator("[data-network-type]")).to_have_text("1P+N")


def test_an_atys_opens_on_its_status(page: Page, profiles):
    from django.core.management import call_command

    call_command("setup_demo", "--port", "5999")
    open_monitor(page, Device.objects.get(name="ATyS C65").pk)
    expect(page.locator("[data-panel=switch]")).to_be_visible()
    expect(page.locator("[data-tab=switch]")).to_have_attribute("aria-selected", "true")
    expect(page.locator("[data-panel=io]")).to_be_hidden()


def test_the_landing_page_lists_the_devices_of_the_pane(page: Page, a40):
    sign_in(page, "user")
    expect_home(page)
    page.goto("/monitor/")
    expect(page.get_by_text("No device to monitor yet")).to_have_count(0)
    expect(page.locator("[data-monitor-overview] a", has_text="General")).to_be_visible()


def test_tables_and_tiles_use_the_width_of_a_wide_screen(page: Page, a40):
    page.set_viewport_size({"width": 1920, "height": 1080})
    sign_in(page, "user")
    expect_home(page)
    tiles = page.evaluate("() => { const boxes = [...document.querySelectorAll('a.tile')].map((t) => t.getBoundingClientRect());"
                          " return { left: Math.min(...boxes.map((b) => b.left)),"
                          " right: Math.max(...boxes.map((b) => b.right)), width: window.innerWidth }; }")
    # The tiles are centred: as much room on their left as on their right.
    assert abs(tiles["left"] - (tiles["width"] - tiles["right"])) < 40
    page.goto(f"/monitor/{a40.id}/")
    page.click("[data-tab=energy]")
    card = page.locator("[data-panel=energy]").bounding_box()
    table = page.locator("[data-panel=energy] table").first.bounding_box()
    assert table["width"] > 0.9 * (card["width"] - 40)


def test_on_a_tablet_the_pane_button_leaves_the_page_title_clear(page: Page, a40):
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/monitor/{a40.id}/")
    button = page.locator(".pane-open")
    expect(button).to_be_visible()
    a, b = button.bounding_box(), page.locator(".page-title .icon").bounding_box()
    assert a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"] or \
        a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]


def test_a_voltage_module_shows_the_voltages_it_measures(page: Page, profiles):
    """A U-30 was "Online" with every value "—": it had no circuit for its values to sit in."""
    device = services.add_device(reference="U-30", name="U-30@6", host="127.0.0.1", unit_id=6, area="Plant")
    spec = spec_for(Device.objects.prefetch_related("circuits").get(pk=device.pk))
    open_monitor(page, device.pk)
    page.click("[data-panel=network] [data-mode-toggle]")  # graph → table
    reading = Reading(device_id=spec.id, timestamp=timezone.now(), online=True, reason="",
                      values={0: {"V1": 230.12, "U12": 398.64, "F": 50.01}})
    with Publisher(spec, reading):
        expect(page.locator("[data-status]")).to_have_text("Online", timeout=10_000)
        expect(page.locator("[data-panel=network] [data-value=V1]")).to_have_text("230.1")
        expect(page.locator("[data-panel=network] [data-value=U12]")).to_have_text("398.6")
        expect(page.locator("[data-panel=network] [data-value=F]")).to_have_text("50.01")


def test_a_b30_shows_its_quality_averages_and_tariffs(page: Page, profiles):
    """Defect 10: the §8.2.1 tabs a public table allows, on a DIRIS B-30."""
    device = services.add_device(reference="B-30 RS485", name="Workshop", protocol="rtu", serial_port="/dev/ttyUSB0",
                                 unit_id=3, area="Workshop")
    spec = spec_for(Device.objects.prefetch_related("circuits").get(pk=device.pk))
    values = {**VALUES, "AVG_I1": 290.44, "MAXAVG_I1": 350.0, "COSPHI1": 0.934, "TANPHI1": 0.383, "KF_IN": 1.52,
              "THD_I1": 12.34, "EA_IMP_T1": 600.0, "EA_IMP_T2": 300.0, "EA_IMP_T3": 100.0, "EA_IMP_T4": 0.0,
              **{f"H_I1_{order}": 10.0 / order for order in range(2, 26)}}
    reading = Reading(device_id=spec.id, timestamp=timezone.now(), online=True, reason="", values={0: {}, 1: values})
    page.set_viewport_size({"width": 768, "height": 1024})
    open_monitor(page, device.pk)
    with Publisher(spec, reading):
        page.click("[data-tab=ui]")
        page.click("[data-panel=ui] [data-mode-toggle]")
        expect(page.locator("[data-panel=ui] [data-value=AVG_I1]")).to_have_text("290.44", timeout=10_000)
        expect(page.locator("[data-panel=ui] [data-value=MAXAVG_I1]")).to_have_text("350.00")
        page.click("[data-tab=power]")
        page.click("[data-panel=power] [data-mode-toggle]")
        expect(page.locator("[data-panel=power] [data-value=COSPHI1]")).to_have_text("0.934")
        expect(page.locator("[data-panel=power] [data-value=TANPHI1]")).to_have_text("0.383")
        page.click("[data-tab=energy]")
        expect(page.locator("[data-share=EA_IMP_T1]")).to_have_text("60.0\u00a0%")
        expect(page.locator("[data-share=EA_IMP_T3]")).to_have_text("10.0\u00a0%")
        page.click("[data-tab=load-quality]")
        chart = "[data-panel=load-quality] [data-chart]"
        page.wait_for_function("(s) => { const c = window.echarts && window.echarts.getInstanceByDom(document.querySelector(s));"
                               " return c && c.getOption().series.some((x) => x.name === 'I1' && x.data[1] > 3); }",
                               arg=chart, timeout=10_000)
        texts_do_not_overlap(page, chart)
        page.click("[data-panel=load-quality] [data-mode-toggle]")
        expect(page.locator("[data-panel=load-quality] [data-value=KF_IN]")).to_have_text("1.52")
        expect(page.locator("[data-panel=load-quality] [data-value=THD_I1]")).to_have_text("12.3")
