"""The Organisation section's Navigation tree (§7.2) in the browser: counts of loads, the Filter,
expand/collapse, and the View select reloading the page with ?view=."""

import re

import pytest
from playwright.sync_api import Page, expect

from devices import services
from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def installation(profiles):
    """Two areas and a few devices, committed for the server to see (the migration's fluids and
    usages were flushed by an earlier transactional test: circuits may have none)."""
    services.add_device(reference="I-35", name="I-35 north", host="10.0.0.1", unit_id=1, area="Building A")
    services.add_device(reference="A-40", name="Main", host="10.0.0.1", unit_id=2, area="Building A")
    services.add_device(reference="E23", name="Lab", host="10.0.0.1", unit_id=3, area="Building B")


def test_tree_filter_and_view(page: Page, installation):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "user")
    expect_home(page)
    page.goto("/trends/?period=last_month")
    tree = page.locator("[data-navigation-tree]")

    def item(name: str):
        """The first tree item whose own row (not a descendant's) is named ``name`` (on Trends a
        one-circuit device and its circuit share the name: the device comes first)."""
        return tree.locator(
            f"xpath=.//li[@data-tree-item][div/*[contains(@class, 'tree-name')][normalize-space()='{name}']]").first

    building_a, main, lab = item("Building A"), item("Main"), item("Lab")
    expect(building_a.locator("> .tree-row [data-tree-count]")).to_have_text("4 loads")
    expect(item("Building B").locator("> .tree-row [data-tree-count]")).to_have_text("1 load")
    expect(main).to_be_visible()

    # Collapse and expand a level.
    building_a.locator("> .tree-row [data-tree-toggle]").click()
    expect(building_a).to_have_attribute("aria-expanded", "false")
    expect(main).to_be_hidden()
    building_a.locator("> .tree-row [data-tree-toggle]").click()
    expect(main).to_be_visible()

    # The Filter hides what does not match; a matching device's area stays visible.
    page.fill("[data-organisation-filter]", "main")
    expect(main).to_be_visible()
    expect(building_a).to_be_visible()
    expect(item("I-35 north")).to_be_hidden()
    expect(lab).to_be_hidden()
    expect(item("Building B")).to_be_hidden()
    # By area name: the area and all its devices.
    page.fill("[data-organisation-filter]", "building b")
    expect(lab).to_be_visible()
    expect(main).to_be_hidden()
    page.fill("[data-organisation-filter]", "nothing like this")
    expect(page.locator("[data-tree-empty]")).to_be_visible()
    page.fill("[data-organisation-filter]", "")
    expect(main).to_be_visible()

    # The View select reloads the page with ?view=use, the period kept, and shows usages.
    page.select_option("[data-organisation-view]", "use")
    expect(page).to_have_url(re.compile(r"/trends/\?(?=.*period=last_month)(?=.*view=use)"))
    expect(page.locator("[data-organisation-view]")).to_have_value("use")
    expect(item("Undefined").locator("> .tree-row [data-tree-count]")).to_have_text("5 loads")
    expect(item("Main : Main")).to_be_visible()

    # The choice is remembered for the menu's next visit.
    page.goto("/trends/")
    expect(page).to_have_url(re.compile(r"/trends/\?view=use(&|$)"))
    expect(item("Main : Main")).to_be_visible()
    assert errors == []
