"""Consumption in the browser (§8.5): the demo hierarchy over last week, drill-down, a load left
out of the total, pie and table."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from webview.demo.history import seed_demo_history
from hierarchies.models import Hierarchy
from tests.devices.topology import predefined  # noqa: F401 (fixture: the flushed fluids and usages)
from tests.e2e.charts import click_bar
from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(profiles, predefined):
    call_command("setup_demo", "--port", "5999")
    seed_demo_history(16, end=timezone.now())
    return Hierarchy.objects.get(name="CIL site")


def test_drill_down_hide_a_load_pie_and_table(page: Page, demo):
    sign_in(page, "user")
    expect_home(page)
    page.goto("/consumption/?period=last_week")
    chart = page.locator("[data-consumption-chart]")
    expect(chart).to_have_attribute("data-bars", "7", timeout=10_000)
    expect(chart).to_have_attribute("data-step", "day")
    root = page.locator("[data-consumption]")
    week_total = float(root.get_attribute("data-total"))
    assert week_total > 0

    # A load's name in the legend leaves it out of the total in the corner.
    page.evaluate("""() => echarts.getInstanceByDom(document.querySelector('[data-consumption-chart]'))
        .dispatchAction({type: 'legendUnSelect', name: 'Non-measured point'})""")
    expect(root).not_to_have_attribute("data-total", str(week_total))
    assert float(root.get_attribute("data-total")) < week_total  # the sub-meters carry most of the site

    # A day's bar opens that day per hour; Back returns to the week.
    click_bar(page, "[data-consumption-chart]", 0)
    expect(chart).to_have_attribute("data-step", "hour", timeout=10_000)
    assert int(chart.get_attribute("data-bars")) in (23, 24, 25)
    page.click("[data-drill-up]")
    expect(chart).to_have_attribute("data-step", "day")

    page.click("[data-view=pie]")
    expect(chart).to_be_visible()
    page.click("[data-view=table]")
    rows = page.locator("[data-consumption-table] tbody tr")
    expect(rows).to_have_count(2 + 7)  # Total, Average, then a day per row
    expect(rows.first).to_contain_text("Total")

    page.click("[data-by=usage]")
    expect(page.locator("[data-by=usage]")).to_have_attribute("aria-pressed", "true")
    expect(rows).to_have_count(2 + 7)
