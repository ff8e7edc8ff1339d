"""Monitor's charts keep the strict CSP (issue 10, defect 14): their tooltips are drawn on the
canvas, since ECharts' HTML tooltips carry style attributes that the CSP refuses."""

import pytest
from playwright.sync_api import Page

from tests.e2e.test_monitor import Publisher
from tests.e2e.test_monitor_charts import a40, live_reading, open_monitor  # noqa: F401 (a40: fixture)
from tests.e2e.test_site_clock import _csp_violations, _watch_csp

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOW_TIPS = """() => {
    let shown = 0;
    for (const element of document.querySelectorAll('[data-chart], [data-history-chart]')) {
        const chart = window.echarts && window.echarts.getInstanceByDom(element);
        if (!chart || !element.offsetParent) continue;
        chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: 0});
        shown += 1;
    }
    return shown;
}"""


def test_every_tab_and_tooltip_of_a_meter_keeps_the_csp(page: Page, a40):  # noqa: F811
    console = _watch_csp(page)
    open_monitor(page, a40.id)
    shown = 0
    with Publisher(a40, live_reading(a40)):
        page.wait_for_function("() => document.querySelector('[data-timestamp]')?.textContent.trim().length > 1",
                               timeout=10_000)
        for tab in page.locator("[data-tab]").all():
            tab.click()
            shown += page.evaluate(SHOW_TIPS)
            box = page.locator("[data-panel]:visible [data-chart]").first
            if box.count():
                area = box.bounding_box()
                page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
    assert shown >= 3  # the phasor diagram, U/I and power at least
    assert _csp_violations(page, console) == []
