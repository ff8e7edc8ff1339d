"""One clock, the site's (DESIGN.md "Time"): a browser in New York (conftest.BROWSER_TIME_ZONE)
reads, sends and clicks times of a site in Europe/Paris, across the site's spring DST change
(Sunday 29 March 2026: that day lasts 23 hours in Paris; New York changed on 8 March)."""

import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from devices.models import Circuit
from hierarchies.models import Hierarchy
from tests.devices.topology import predefined  # noqa: F401 (fixture: the flushed fluids and usages)
from tests.e2e.charts import click_bar
from tests.e2e.flows import expect_home, sign_in
from webview.demo.history import seed_demo_history

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Wednesday 1 April 2026, noon in Paris: "Last week" is Monday 23 → Sunday 29 March, the week of
# the spring change; "yesterday" from Monday 30 March is the 23-hour Sunday.
AFTER_THE_SPRING_WEEK = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
MONDAY_AFTER_THE_CHANGE = datetime(2026, 3, 30, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _site_in_paris():
    assert settings.TIME_ZONE == "Europe/Paris"  # the dates below are Paris's DST dates


@pytest.fixture
def demo(profiles, predefined):
    call_command("setup_demo", "--port", "5999")
    seed_demo_history(12, end=AFTER_THE_SPRING_WEEK)
    return Hierarchy.objects.get(name="CIL site")


def _signed_in_at(page: Page, moment: datetime) -> None:
    page.clock.set_fixed_time(moment)  # the browser's clock; timers keep running
    sign_in(page, "user")
    expect_home(page)


CHART = "echarts.getInstanceByDom(document.querySelector('[data-consumption-chart]'))"


SPRING = {"now": AFTER_THE_SPRING_WEEK, "start": "2026-03-23T00:00:00+01:00", "end": "2026-03-30T00:00:00+02:00",
          "labels": ["Mon, 3/23", "Tue, 3/24", "Wed, 3/25", "Thu, 3/26", "Fri, 3/27", "Sat, 3/28", "Sun, 3/29"],
          "tuesday": ("2026-03-24T00:00:00+01:00", "Mar 24, 2026, 12:00 AM", "24"),
          "sunday": ("2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00", "23")}
# Wednesday 28 October 2026: last week is 19 → 25 October, whose Sunday lasts 25 hours in Paris.
AUTUMN = {"now": datetime(2026, 10, 28, 11, 0, tzinfo=UTC), "start": "2026-10-19T00:00:00+02:00",
          "end": "2026-10-26T00:00:00+01:00",
          "labels": ["Mon, 10/19", "Tue, 10/20", "Wed, 10/21", "Thu, 10/22", "Fri, 10/23", "Sat, 10/24", "Sun, 10/25"],
          "tuesday": ("2026-10-20T00:00:00+02:00", "Oct 20, 2026, 12:00 AM", "24"),
          "sunday": ("2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00", "25")}


@pytest.mark.parametrize("week", [SPRING, AUTUMN], ids=["spring", "autumn"])
def test_last_week_across_dst_is_the_sites_week_whatever_the_browser_zone(page: Page, profiles, predefined, week):
    call_command("setup_demo", "--port", "5999")
    seed_demo_history(12, end=week["now"])
    hierarchy = Hierarchy.objects.get(name="CIL site")
    _signed_in_at(page, week["now"])
    page.goto("/consumption/?period=last_week")
    chart = page.locator("[data-consumption-chart]")
    expect(chart).to_have_attribute("data-step", "day", timeout=10_000)
    expect(chart).to_have_attribute("data-bars", "7")  # a browser's week would straddle 8 days
    # The site's Monday 00:00 to the next Monday 00:00, each with its own offset.
    expect(chart).to_have_attribute("data-start", week["start"])
    expect(chart).to_have_attribute("data-end", week["end"])
    labels = page.evaluate(f"() => {CHART}.getOption().xAxis[0].data")
    assert labels == week["labels"]

    # The total in the corner is the API's for the site's calendar week, asked independently.
    api = page.request.get("/api/v1/consumption/", params={
        "hierarchy": hierarchy.pk, "start": week["start"], "end": week["end"], "step": "day"}).json()
    assert len(api["buckets"]) == 7 and api["buckets"][0] == week["start"]
    root = page.locator("[data-consumption]")
    assert api["total"] > 0
    assert float(root.get_attribute("data-total")) == pytest.approx(api["total"], abs=1e-3)

    # "Tue" opens that Tuesday, per hour; "Sun" opens the day of the change (23 or 25 hours).
    tuesday, tuesday_text, tuesday_hours = week["tuesday"]
    click_bar(page, "[data-consumption-chart]", 1)
    expect(chart).to_have_attribute("data-step", "hour", timeout=10_000)
    expect(chart).to_have_attribute("data-start", tuesday)
    expect(chart).to_have_attribute("data-bars", tuesday_hours)
    expect(page.locator("[data-consumption-period]")).to_contain_text(tuesday_text)
    page.click("[data-drill-up]")
    expect(chart).to_have_attribute("data-step", "day")
    sunday, monday, sunday_hours = week["sunday"]
    click_bar(page, "[data-consumption-chart]", 6)
    expect(chart).to_have_attribute("data-start", sunday, timeout=10_000)
    expect(chart).to_have_attribute("data-end", monday)
    expect(chart).to_have_attribute("data-bars", sunday_hours)


def test_trends_reads_the_sites_23_hour_day(page: Page, demo):
    general = Circuit.objects.get(device__name="A-40 General")
    _signed_in_at(page, MONDAY_AFTER_THE_CHANGE)
    page.goto(f"/trends/?circuit={general.pk}&period=yesterday")
    page.evaluate("() => localStorage.removeItem('webview.trends.selection')")
    page.reload()
    page.check("[data-quantity=P]")
    expect(page.locator("[data-trends-chart]")).to_have_attribute("data-curves", "1", timeout=10_000)
    page.locator(".trends-config summary").click()
    page.check("[data-option=table]")
    rows = page.locator("[data-trends-table] tbody tr")
    expect(rows).to_have_count(23 * 6)  # Sunday 29 March in Paris: 23 hours of 10-minute periods
    expect(rows.first.locator("td").first).to_have_text("Mar 29, 2026, 12:00 AM")
    expect(rows.last.locator("td").first).to_have_text("Mar 29, 2026, 11:50 PM")
    # Numbers with the quantity's precision (kW: 2 decimals) in the page's locale, the unit in the head.
    expect(page.locator("[data-trends-table] thead th").nth(1)).to_have_text("A-40 General : Total active power P (kW)")
    expect(rows.first.locator("td").nth(1)).to_have_text(re.compile(r"^-?\d{1,3}(,\d{3})*\.\d{2}$"))
    tooltip = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.querySelector('[data-trends-chart]'));
        const series = chart.getOption().series[0];
        return chart.getOption().tooltip[0].formatter([{seriesIndex: 0, value: series.data[0]}]);
    }""")
    lines = tooltip.split("\n")
    assert lines[0] == "Mar 29, 2026, 12:00 AM GMT+1"
    assert re.fullmatch(r"A-40 General : Total active power P: -?\d{1,3}(,\d{3})*\.\d{2}\u00a0kW", lines[1]), lines[1]
    # The time period says whose clock it is.
    expect(page.locator("[data-period-zone]")).to_contain_text("Europe/Paris")


CSP_WATCH = """() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (event) => {
        window.__csp.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
    });
}"""


def _csp_violations(page: Page, console: list[str]) -> list[str]:
    return [*page.evaluate("() => window.__csp"), *console]


def _watch_csp(page: Page) -> list[str]:
    page.add_init_script(f"({CSP_WATCH})()")
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    return console


def _hover_over(page: Page, selector: str) -> None:
    """The mouse over the chart, then a tooltip asked for a data point: both draw a tooltip."""
    box = page.locator(selector).bounding_box()
    for fraction in (0.3, 0.5, 0.7):
        page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.6)
    page.evaluate("""(selector) => echarts.getInstanceByDom(document.querySelector(selector))
        .dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 2})""", selector)


def test_trends_zoom_stacked_and_tooltips_keep_the_csp(page: Page, demo):
    console = _watch_csp(page)
    general = Circuit.objects.get(device__name="A-40 General")
    _signed_in_at(page, AFTER_THE_SPRING_WEEK)
    page.goto(f"/trends/?circuit={general.pk}&period=yesterday")
    page.evaluate("() => localStorage.removeItem('webview.trends.selection')")
    page.reload()
    chart = page.locator("[data-trends-chart]")
    page.check("[data-quantity=P]")
    page.check("[data-quantity=I1]")
    expect(chart).to_have_attribute("data-curves", "2", timeout=10_000)
    _hover_over(page, "[data-trends-chart]")
    page.evaluate("""() => echarts.getInstanceByDom(document.querySelector('[data-trends-chart]'))
        .dispatchAction({type: 'dataZoom', start: 10, end: 40})""")
    page.locator(".trends-config summary").click()
    page.select_option("[data-option=mode]", "stacked")
    page.wait_for_function("() => echarts.getInstanceByDom(document.querySelector('[data-trends-chart]'))"
                           ".getOption().grid.length === 2")
    _hover_over(page, "[data-trends-chart]")
    box = chart.bounding_box()  # drag the zoom slider's handle: the zoom's own interactions
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] - 25)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] - 25)
    page.mouse.up()
    assert _csp_violations(page, console) == []


def test_consumption_bars_pie_and_tooltips_keep_the_csp(page: Page, demo):
    console = _watch_csp(page)
    _signed_in_at(page, AFTER_THE_SPRING_WEEK)
    page.goto("/consumption/?period=last_week")
    chart = page.locator("[data-consumption-chart]")
    expect(chart).to_have_attribute("data-step", "day", timeout=10_000)
    _hover_over(page, "[data-consumption-chart]")
    page.click("[data-view=pie]")
    page.wait_for_function(f"() => {CHART}.getOption().series[0].type === 'pie'")
    # The pie names each load with its energy and its share.
    labels = page.evaluate(f"""() => {{
        const series = {CHART}.getOption().series[0];
        const total = series.data.reduce((sum, item) => sum + item.value, 0);
        return series.data.map((item) => series.label.formatter({{...item, percent: 100 * item.value / total}}));
    }}""")
    pie_label = re.compile(r"[^\n]+\n\d{1,3}(,\d{3})*\u00a0kWh \(\d+\.\d %\)")
    assert labels and all(pie_label.fullmatch(label) for label in labels), labels
    _hover_over(page, "[data-consumption-chart]")
    page.click("[data-view=table]")
    assert _csp_violations(page, console) == []


def test_monitor_shows_the_time_of_a_reading_on_the_sites_clock(page: Page, profiles):
    from devices import services
    from devices.acquisition.spec import Reading, spec_for
    from tests.e2e.test_monitor import Publisher

    device = services.add_device(reference="A-10", name="General", host="127.0.0.1", unit_id=1, area="Plant")
    spec = spec_for(type(device).objects.prefetch_related("circuits").get(pk=device.pk))
    # 01:30:15 UTC on 29 March 2026: 03:30:15 in Paris (just after the change), 21:30:15 the
    # day before in New York.
    moment = datetime(2026, 3, 29, 1, 30, 15, tzinfo=UTC)
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/monitor/{spec.id}/")
    reading = Reading(device_id=spec.id, timestamp=moment, online=True, values={0: {"F": 50.0}, 1: {"U12": 400.0}})
    with Publisher(spec, reading):
        expect(page.locator("[data-timestamp]")).to_have_text("Mar 29, 2026, 03:30:15 AM", timeout=10_000)


LAYOUT = """(selector) => {
    // Rectangles ECharts computed: each graph's plot area, the legend, the zoom slider.
    const chart = echarts.getInstanceByDom(document.querySelector(selector));
    const model = chart.getModel();
    const grids = model.findComponents({mainType: 'grid'}).map((grid) => grid.coordinateSystem.getRect());
    const rect = (component) => {
        if (!component) return null;
        const view = chart.getViewOfComponentModel(component);
        const box = view.group.getBoundingRect();
        const [x, y] = view.group.transformCoordToGlobal(box.x, box.y);
        return {x, y, width: box.width, height: box.height};
    };
    const slider = model.findComponents({mainType: 'dataZoom'}).find((zoom) => zoom.subType === 'slider');
    return {height: chart.getHeight(), grids, legend: rect(model.getComponent('legend')), slider: rect(slider)};
}"""


def test_trends_legend_and_zoom_slider_stay_clear_of_the_graphs(page: Page, demo):
    general = Circuit.objects.get(device__name="A-40 General")
    _signed_in_at(page, AFTER_THE_SPRING_WEEK)
    page.goto(f"/trends/?circuit={general.pk}&period=yesterday")
    page.evaluate("() => localStorage.removeItem('webview.trends.selection')")
    page.reload()
    for code in ("P", "I1", "PF"):
        page.check(f"[data-quantity={code}]")
    chart = page.locator("[data-trends-chart]")
    expect(chart).to_have_attribute("data-curves", "3", timeout=10_000)
    page.locator(".trends-config summary").click()
    for mode, graphs in (("single", 1), ("stacked", 3)):
        page.select_option("[data-option=mode]", mode)
        page.wait_for_function("([selector, graphs]) => echarts.getInstanceByDom(document.querySelector(selector))"
                               ".getOption().grid.length === graphs", arg=["[data-trends-chart]", graphs])
        box = page.evaluate(LAYOUT, "[data-trends-chart]")
        assert len(box["grids"]) == graphs
        first, last = box["grids"][0], box["grids"][-1]
        legend, slider = box["legend"], box["slider"]
        # The legend ends above the unit written over the first value axis (about 24 px).
        assert legend["y"] + legend["height"] <= first["y"] - 24, (mode, legend, first)
        # The time labels (about 20 px) under the last graph end above the zoom slider.
        assert last["y"] + last["height"] + 20 <= slider["y"], (mode, last, slider)
        # Stacked graphs do not overlap one another.
        for upper, lower in zip(box["grids"], box["grids"][1:]):
            assert upper["y"] + upper["height"] < lower["y"], (upper, lower)


def test_consumption_legend_stays_clear_of_the_bars(page: Page, demo):
    _signed_in_at(page, AFTER_THE_SPRING_WEEK)
    page.goto("/consumption/?period=last_week")
    expect(page.locator("[data-consumption-chart]")).to_have_attribute("data-bars", "7", timeout=10_000)
    box = page.evaluate(LAYOUT, "[data-consumption-chart]")
    legend, grid = box["legend"], box["grids"][0]
    assert legend["y"] + legend["height"] <= grid["y"] - 24, (legend, grid)


def test_custom_dates_are_typed_on_the_sites_clock(page: Page, profiles):
    _signed_in_at(page, AFTER_THE_SPRING_WEEK)
    page.goto("/trends/?period=yesterday")
    page.select_option("[data-period-select]", "custom")
    # The night of the spring change, typed as the site's wall clock reads it.
    page.fill("[data-period-start]", "2026-03-29T01:00")
    page.fill("[data-period-end]", "2026-03-29T05:00")
    page.locator("[data-period-end]").dispatch_event("change")
    expect(page).to_have_url(re.compile(r"start=2026-03-29T01%3A00%3A00%2B01%3A00"
                                        r"&end=2026-03-29T05%3A00%3A00%2B02%3A00"))
    expect(page.locator("[data-period-summary]")).to_have_text("Mar 29, 2026, 01:00 AM → Mar 29, 2026, 05:00 AM")
    # The end before the start: a clear error, and the period is not sent.
    page.fill("[data-period-end]", "2026-03-28T23:00")
    page.locator("[data-period-end]").dispatch_event("change")
    expect(page.locator("[data-period-error]")).to_be_visible()
