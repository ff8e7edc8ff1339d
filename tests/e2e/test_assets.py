"""The committed front-end build runs in the browser under the strict CSP (script-src 'self', no
'unsafe-eval'): ECharts draws a polar (phasor) chart with the French locale, Alpine's CSP build
binds a component, htmx loads; no test-only page: the scripts are added to the Trends page."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHASOR_CHART = """() => {
  const div = document.createElement("div");
  div.style.width = "400px";
  div.style.height = "400px";
  document.body.append(div);
  const chart = echarts.init(div, null, { locale: "FR", renderer: "canvas" });
  // Three voltage phasors: [magnitude, angle in degrees] on a polar coordinate system.
  const phasor = (name, angle) => ({
    name, type: "line", coordinateSystem: "polar", symbol: "arrow", data: [[0, angle], [230, angle]],
  });
  chart.setOption({
    animation: false,
    title: { text: "Phasors" },
    legend: {},
    tooltip: { trigger: "item" },
    polar: {},
    angleAxis: { type: "value", min: 0, max: 360, startAngle: 0, clockwise: false },
    radiusAxis: { min: 0, max: 250 },
    series: [phasor("V1", 0), phasor("V2", 240), phasor("V3", 120)],
  });
  const canvas = div.querySelector("canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  const option = chart.getOption();
  const result = {
    polar: option.polar !== undefined && option.polar.length === 1,
    angleAxis: option.angleAxis[0].type,
    series: option.series.map((s) => s.coordinateSystem),
    painted,
    month: chart.getModel().getLocaleModel().get(["time", "month"])[0],
  };
  chart.dispose();
  return result;
}"""

# One chart per registered type and component: an unregistered one fails at setOption.
EVERY_PART = """() => {
  const div = document.createElement("div");
  div.style.width = "600px";
  div.style.height = "400px";
  document.body.append(div);
  const chart = echarts.init(div, null, { locale: "FR" });
  const options = [
    { dataset: { source: [["t", "P"], ["a", 1], ["b", 3]] }, xAxis: { type: "category" }, yAxis: {},
      tooltip: { trigger: "axis" }, legend: {}, toolbox: { feature: { saveAsImage: {}, dataZoom: {} } },
      dataZoom: [{ type: "inside" }, { type: "slider" }], visualMap: { min: 0, max: 3, show: false },
      series: [{ type: "line", sampling: "lttb", markLine: { data: [{ type: "average" }] },
                 markArea: { data: [[{ xAxis: "a" }, { xAxis: "b" }]] } },
               { type: "bar" }, { type: "scatter" }] },
    { series: [{ type: "pie", data: [{ name: "a", value: 1 }, { name: "b", value: 2 }] }] },
    { series: [{ type: "gauge", data: [{ value: 42 }] }] },
    { series: [{ type: "sankey", data: [{ name: "grid" }, { name: "load" }], links: [{ source: "grid", target: "load", value: 5 }] }] },
    { series: [{ type: "tree", data: [{ name: "site", children: [{ name: "meter" }] }] }] },
    { series: [{ type: "graph", data: [{ name: "a" }, { name: "b" }], links: [{ source: "a", target: "b" }] }] },
  ];
  const failures = [];
  for (const option of options) {
    try { chart.setOption(option, true); } catch (error) { failures.push(String(error)); }
  }
  chart.dispose();
  return failures;
}"""

ALPINE_COMPONENT = """() => {
  Alpine.data("counter", () => ({ count: 1, increment() { this.count++; } }));
  const root = document.createElement("div");
  root.id = "alpine-probe";
  root.setAttribute("x-data", "counter");
  root.innerHTML = '<span x-text="count"></span><button type="button" x-on:click="increment">+</button>';
  document.body.append(root);
}"""


@pytest.fixture
def trends(page: Page, profiles):
    """The Trends page, signed in, collecting console errors (CSP violations are among them)."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "user")
    expect_home(page)
    page.goto("/trends/")
    page.wait_for_load_state("networkidle")
    return page, errors


def test_echarts_draws_a_phasor_diagram_in_french(trends):
    page, errors = trends
    page.add_script_tag(url="/static/dist/echarts.js")
    assert page.evaluate("() => typeof window.echarts.init") == "function"
    assert page.evaluate("() => [typeof echarts.registerLocale, typeof echarts.getMap, echarts.version]") == [
        "function", "function", "6.1.0"]
    result = page.evaluate(PHASOR_CHART)
    assert result["polar"] is True
    assert result["angleAxis"] == "value"
    assert result["series"] == ["polar", "polar", "polar"]
    assert result["painted"] > 1000  # the canvas was drawn on
    assert result["month"] == "Janvier"  # the FR locale is registered and used
    assert errors == []


def test_echarts_bundle_has_every_chart_and_component(trends):
    page, errors = trends
    page.add_script_tag(url="/static/dist/echarts.js")
    assert page.evaluate(EVERY_PART) == []
    assert errors == []


def test_alpine_csp_build_binds_without_eval(trends):
    page, errors = trends
    page.add_script_tag(url="/static/dist/alpine.js")
    page.wait_for_function("() => window.Alpine !== undefined")
    page.evaluate(ALPINE_COMPONENT)
    probe = page.locator("#alpine-probe")
    expect(probe.locator("span")).to_have_text("1")
    probe.locator("button").click()
    expect(probe.locator("span")).to_have_text("2")
    assert errors == []


def test_htmx_loads(trends):
    page, errors = trends
    page.add_script_tag(url="/static/dist/htmx.js")
    assert page.evaluate("() => typeof window.htmx") == "object"
    page.wait_for_load_state("networkidle")
    assert errors == []
