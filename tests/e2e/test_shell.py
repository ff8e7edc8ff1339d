"""The page frame (§7): left pane, top bar, Time period; and no script or CSP errors."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trends(page: Page, profiles) -> Page:
    sign_in(page, "user")
    expect_home(page)
    page.goto("/trends/")
    return page


def test_left_pane_close_open_and_pin(trends):
    pane, opener, pin = (trends.locator(s) for s in ("[data-left-pane]", "[data-pane-open]", "[data-pane-pin]"))
    expect(pane).to_be_visible()
    expect(opener).to_be_hidden()
    expect(pin).to_have_attribute("aria-pressed", "true")  # pinned by default

    trends.click("[data-pane-close]")
    expect(pane).to_be_hidden()
    expect(opener).to_be_visible()
    expect(pin).to_have_attribute("aria-pressed", "false")  # closing unpins

    opener.click()
    expect(pane).to_be_visible()
    pin.click()
    expect(pin).to_have_attribute("aria-pressed", "true")
    pin.click()
    expect(pin).to_have_attribute("aria-pressed", "false")


def test_top_bar_hides_and_comes_back(trends):
    header, reveal = trends.locator("header[data-topbar]"), trends.locator("button.topbar-reveal")
    expect(reveal).to_be_hidden()
    header.locator("[data-topbar-toggle]").click()
    expect(header).to_be_hidden()
    expect(reveal).to_be_visible()
    reveal.click()
    expect(header).to_be_visible()
    expect(reveal).to_be_hidden()


def test_time_period(trends):
    select, dates = trends.locator("[data-period-select]"), trends.locator("[data-custom-dates]")
    expect(dates).to_be_hidden()
    select.select_option("custom")
    expect(dates).to_be_visible()
    expect(trends.locator("[data-period-start]")).to_be_visible()
    expect(trends.locator("[data-period-end]")).to_be_visible()
    select.select_option("last_month")
    expect(dates).to_be_hidden()
    expect(trends).to_have_url(re.compile(r"/trends/\?(.*&)?period=last_month(&|$)"))


def test_no_script_or_csp_errors(page, profiles):
    errors = []
    # CSP violations and failed loads (e.g. a missing static file) are console errors in Chromium.
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "user")
    expect_home(page)
    page.goto("/trends/")
    # shell.js ran under script-src 'self': it turned the pin's template "false" into "true".
    expect(page.locator("[data-pane-pin]")).to_have_attribute("aria-pressed", "true")
    page.wait_for_load_state("networkidle")  # let late console messages (fonts, icons) arrive
    assert errors == []
