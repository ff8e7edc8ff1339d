"""Trends in the browser (§8.6, §7.4): choose quantities, see the curves, zoom, table, CSV,
favourites, on the demo site's seeded history."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from webview.demo.history import seed_demo_history
from devices.models import Circuit
from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def general(profiles):
    call_command("setup_demo", "--port", "5999")
    seed_demo_history(3, end=timezone.now())
    return Circuit.objects.get(device__name="A-40 General")


def test_choose_draw_zoom_export_and_keep_a_favourite(page: Page, general):
    sign_in(page, "user")
    expect_home(page)
    page.goto(f"/trends/?circuit={general.pk}&period=yesterday")
    page.evaluate("() => localStorage.removeItem('webview.trends.selection')")
    page.reload()
    chart = page.locator("[data-trends-chart]")
    page.check("[data-quantity=P]")
    expect(chart).to_have_attribute("data-curves", "1", timeout=10_000)
    page.check("[data-quantity=I1]")
    expect(chart).to_have_attribute("data-curves", "2")
    page.locator(".trends-config summary").click()
    expect(page.locator("[data-curves] li")).to_have_count(2)
    page.check("[data-option=table]")
    rows = page.locator("[data-trends-table] tbody tr")
    expect(rows).to_have_count(144)  # yesterday's 10-minute periods, fewer than the 800 buckets asked
    # Zoom into the first quarter of the day: the table follows what is shown.
    page.evaluate("""() => echarts.getInstanceByDom(document.querySelector('[data-trends-chart]'))
        .dispatchAction({type: 'dataZoom', start: 0, end: 25})""")
    expect(rows).not_to_have_count(144)
    zoomed = rows.count()
    assert 30 <= zoomed <= 40
    with page.expect_download() as download:
        page.click("[data-export-csv]")
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == '"time";"A-40 General : Total active power P (kW)";"A-40 General : Current I1 (A)"'
    assert len(lines) == zoomed + 1 and all(len(line.split(";")) == 3 for line in lines[1:])

    page.select_option("[data-option=mode]", "stacked")
    expect(chart).to_have_attribute("data-curves", "2")
    page.fill("[data-favourite-form] input[name=name]", "General load")
    page.fill("[data-favourite-form] input[name=title]", "Main incomer")
    page.click("[data-favourite-form] button[type=submit]")
    expect(page.locator("[data-favourite-message]")).to_have_text("Favourite saved.")
    for left in (1, 0):
        page.locator("[data-curves] li button").first.click()
        expect(page.locator("[data-curves] li")).to_have_count(left)
    page.goto(f"/trends/?period=this_year")  # another visit, another period, no circuit chosen
    page.select_option("[data-favourites]", label="General load")
    expect(page.locator("[data-trends-title]")).to_have_text("Main incomer")
    expect(page.locator("[data-trends-chart]")).to_have_attribute("data-curves", "2", timeout=10_000)
    expect(page.locator("[data-option=mode]")).to_have_value("stacked")
    # The favourite brings back its time period with its curves.
    expect(page.locator("[data-period-select]")).to_have_value("yesterday")
    expect(page).to_have_url(re.compile(r"period=yesterday"))
