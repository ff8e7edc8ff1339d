"""The hierarchy editor (§9.7) in Settings › Hierarchies: create, add, draw links, rename; the
rules answer through the API."""

import pytest
from playwright.sync_api import Page, expect

from devices import services
from hierarchies.models import Hierarchy, Link, Member
from tests.conftest import password_of
from tests.devices.topology import predefined  # noqa: F401 (fixture)
from tests.e2e.flows import expect_home, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def centre(page: Page, member: Member) -> tuple[float, float]:
    box = page.locator("[data-editor-canvas]").bounding_box()
    x, y = page.evaluate(f"""() => {{
        const p = document.querySelector('[data-editor-canvas]').cy.getElementById('m{member.pk}').renderedPosition();
        return [p.x, p.y];
    }}""")
    return box["x"] + x, box["y"] + y


def drag(page: Page, source: Member, target: Member) -> None:
    page.mouse.move(*centre(page, source))
    page.mouse.down()
    tx, ty = centre(page, target)
    page.mouse.move(tx, ty, steps=12)
    page.mouse.up()


def test_an_admin_builds_a_hierarchy_in_the_editor(page: Page, ready_profile, predefined):
    services.add_device(reference="E23", name="Floor meter", host="127.0.0.1", unit_id=3)
    ready_profile("admin")
    sign_in(page, "admin", password_of("admin"))
    expect_home(page)
    page.goto("/settings/hierarchies/hierarchy/add/")
    page.fill("input[name=name]", "Building")
    page.select_option("select[name=fluid]", label="Electricity")
    page.click("button[name=_continue], input[name=_continue]")
    building = Hierarchy.objects.get(name="Building")
    canvas = page.locator("[data-editor-canvas]")
    expect(canvas).to_have_attribute("data-members", "1", timeout=10_000)  # the main node only

    # A module dragged from the palette lands where it is dropped; a click adds it in the middle.
    page.fill("[data-new-node-name]", "1st floor")
    # The HTML5 drag events, as Playwright documents for them: one DataTransfer from start to drop.
    transfer = page.evaluate_handle("() => new DataTransfer()")
    box = canvas.bounding_box()
    page.dispatch_event("[data-add-node]", "dragstart", {"dataTransfer": transfer})
    page.dispatch_event("[data-editor-canvas]", "dragover", {"dataTransfer": transfer})
    page.dispatch_event("[data-editor-canvas]", "drop", {"dataTransfer": transfer, "clientX": box["x"] + 150,
                                                         "clientY": box["y"] + 420})
    expect(canvas).to_have_attribute("data-members", "2")
    page.click("[data-add-circuit]")
    expect(canvas).to_have_attribute("data-members", "3")
    root, floor = building.root, Member.objects.get(hierarchy=building, name="1st floor")
    assert floor.y > Member.objects.get(hierarchy=building, kind="circuit").y  # dropped low, the load sits mid-way
    meter = Member.objects.get(hierarchy=building, kind="circuit")

    page.check("[data-editor-mode][value=link]")
    drag(page, root, floor)
    expect(canvas).to_have_attribute("data-links", "1")
    drag(page, floor, meter)
    expect(canvas).to_have_attribute("data-links", "2")
    assert set(Link.objects.values_list("source_id", "target_id")) == {(root.pk, floor.pk), (floor.pk, meter.pk)}
    drag(page, floor, root)  # a node cannot feed the main node: refused, nothing stored
    expect(page.locator("[data-editor-message]")).to_contain_text("Only a circuit can feed the main node")
    expect(canvas).to_have_attribute("data-links", "2")
    assert Link.objects.count() == 2

    page.check("[data-editor-mode][value=move]")
    page.once("dialog", lambda dialog: dialog.accept("First floor"))
    x, y = centre(page, floor)
    page.mouse.dblclick(x, y)
    page.wait_for_function("() => document.querySelector('[data-editor-canvas]').cy"
                           f".getElementById('m{floor.pk}').data('label') === 'First floor'")
    assert Member.objects.get(pk=floor.pk).name == "First floor"
