"""Autodetect in the browser (§9.6.3 item 14): the scan behind a gateway shows its progress,
then what it found, without reloading. The test plays the worker's part through the same
progress calls the Celery task makes."""

import re

import pytest
from playwright.sync_api import Page, expect

from devices import scan_progress, services
from devices.autodetect import Found
from tests.conftest import password_of
from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_scan_page_follows_the_worker(page: Page, ready_profile):
    ready_profile("admin")
    gateway = services.add_device(reference="M-70", name="M-70", host="10.0.0.70", unit_id=1)
    added = services.add_device(reference="I-35", name="I-35@4", host="10.0.0.70", unit_id=4, gateway=gateway)
    scan_progress.queued(gateway.pk)
    sign_in(page, "admin", password_of("admin"))
    expect_home(page)
    page.goto(f"/settings/devices/device/scan/?gateway={gateway.pk}")
    section = page.locator(f'[data-gateway="{gateway.pk}"]')
    expect(section.locator("[data-role=message]")).to_have_text("Waiting for a worker…")
    marker = page.evaluate("() => (window.__stayed = true)")  # lost on any reload

    report = scan_progress.reporter(gateway.pk)
    report(123, 246, "Modbus address 124")
    expect(section.locator("[data-role=message]")).to_have_text("Reading Modbus address 123 of 246…")
    expect(section.locator("progress")).to_have_attribute("value", "123")

    scan_progress.finished(gateway.pk, [Found(4, "DIRIS DIGIWARE I-35", "I-35", added.pk, "added"),
                                        Found(9, "", outcome="not Socomec")])
    expect(section.locator("[data-role=message]")).to_have_text("Done: 2 devices found, 1 added.")
    rows = section.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("no Socomec identification")
    rows.nth(0).get_by_role("link", name="I-35").click()
    expect(page).to_have_url(re.compile(rf"/settings/devices/device/{added.pk}/change/$"))
    assert marker is True
