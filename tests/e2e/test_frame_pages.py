"""The frame's pages in Chromium: the weight of the first page after sign-in (defect 12), the API
docs under the strict CSP, a refused page in the frame, and Settings lists on a tablet (defect 14)."""

import pytest
from playwright.sync_api import Page, expect

from devices import services
from tests.conftest import password_of
from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TRANSFERRED = """() => [performance.getEntriesByType("navigation")[0], ...performance.getEntriesByType("resource")]
  .map((entry) => ({ url: entry.name, bytes: entry.transferSize, encoded: entry.encodedBodySize }))"""


def csp_violations(page: Page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text)
            if "Content Security Policy" in message.text else None)
    return messages


def test_first_page_after_sign_in_loads_subset_fonts_and_its_weight(new_context, ready_profile):
    """Cold (a new browser context: nothing cached), the home page fetches only the subset fonts
    and draws icons with them. The bytes transferred are printed as a figure: under the test
    server static files are not precompressed (ServeStatic does that at collectstatic)."""
    ready_profile("admin")
    context = new_context()
    page = context.new_page()
    sign_in(page, "admin", password_of("admin"))
    expect_home(page)
    cold = context.browser.new_context(base_url=page.url.rsplit("/", 1)[0], storage_state=context.storage_state())
    home = cold.new_page()
    home.goto("/")
    expect_home(home)
    home.evaluate("document.fonts.ready.then(() => true)")
    entries = home.evaluate(TRANSFERRED)
    fonts = [entry for entry in entries if entry["url"].endswith(".woff2")]
    assert fonts and all("/static/webview/fonts/" in entry["url"] for entry in fonts)
    assert sum(entry["encoded"] for entry in fonts) <= 100 * 1024
    # The icon font is the subset and has the home page's icons: "bolt" is one glyph, not four letters.
    brand = home.locator(".brand-mark")
    box = brand.bounding_box()
    assert box and box["width"] <= box["height"] * 1.5
    total = sum(entry["bytes"] for entry in entries)
    print(f"\nfirst page after sign-in, cold: {total / 1024:.1f} KiB transferred in {len(entries)} responses "
          f"(fonts {sum(entry['encoded'] for entry in fonts) / 1024:.1f} KiB)")
    cold.close()


def test_api_docs_render_under_the_strict_csp(page: Page, ready_profile):
    ready_profile("user")
    violations = csp_violations(page)
    sign_in(page, "user")
    expect_home(page)
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("WebView API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.locator(".swagger-ui .opblock-summary").first.click()  # an operation opens: more styles applied
    expect(page.locator(".swagger-ui .opblock-body").first).to_be_visible()
    assert violations == []


def test_anonymous_api_docs_visitor_lands_on_sign_in(page: Page, ready_profile):
    ready_profile("user")
    page.goto("/api/docs/")
    expect(page).to_have_url("/login/?next=/api/docs/")
    sign_in(page, "user")
    expect(page).to_have_url("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("WebView API")


def test_admin_opening_a_cyber_security_page_sees_the_frame(page: Page, ready_profile):
    ready_profile("admin")
    violations = csp_violations(page)
    sign_in(page, "admin", password_of("admin"))
    expect_home(page)
    page.goto("/settings/cybersecurity/securitypolicy/")
    expect(page.locator("[data-topbar]")).to_be_visible()
    expect(page.locator("[data-profiles-needed]")).to_have_text("Only the Cyber Security profile may open it.")
    assert "Inter" in page.locator("body").evaluate("(body) => getComputedStyle(body).fontFamily")
    page.click("[data-sign-in-again]")
    expect(page).to_have_url("/login/")
    assert violations == []


def test_settings_sources_stay_a_table_on_a_tablet(page: Page, ready_profile):
    """Unfold's responsive list turned each source into a card of stacked columns: 12 sources
    made a list thousands of pixels tall. On a tablet the list is a table, scrolled sideways."""
    ready_profile("admin")
    for unit_id in range(1, 13):
        services.add_device(reference="I-35", name=f"Meter {unit_id}", host="10.0.0.9", unit_id=unit_id)
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(page, "admin", password_of("admin"))
    expect_home(page)
    page.goto("/settings/devices/device/")
    rows = page.locator("#result_list tr.data-row")
    expect(rows).to_have_count(12)
    assert rows.first.evaluate("(row) => getComputedStyle(row).display") == "table-row"
    expect(page.locator("#result_list thead th").nth(1)).to_be_visible()  # column headers, not per-cell labels
    heights = rows.evaluate_all("(rows) => rows.map((row) => row.getBoundingClientRect().height)")
    assert max(heights) <= 80, heights
    table = page.locator("#result_list").bounding_box()
    assert table and table["height"] <= 13 * 80
