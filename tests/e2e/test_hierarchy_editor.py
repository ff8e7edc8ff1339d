"""The hierarchy editor (§9.7) in Settings › Hierarchies: create, add, draw links, rename; the
rules answer through the API; the manual's example built there, then read in Consumption."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from webview.demo.history import seed_demo_history
from devices import services
from devices.models import Circuit, Usage
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


def new_hierarchy(page: Page, ready_profile, name: str) -> Hierarchy:
    """Signed in as the admin, a new electricity hierarchy, open in the editor."""
    ready_profile("admin")
    sign_in(page, "admin", password_of("admin"))
    expect_home(page)
    page.goto("/settings/hierarchies/hierarchy/add/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=fluid]", label="Electricity")
    page.click("button[name=_continue], input[name=_continue]")
    expect(page.locator("[data-editor-canvas]")).to_have_attribute("data-members", "1", timeout=10_000)  # main node
    return Hierarchy.objects.get(name=name)


def test_an_admin_builds_a_hierarchy_in_the_editor(page: Page, ready_profile, predefined):
    services.add_device(reference="E23", name="Floor meter", host="127.0.0.1", unit_id=3)
    building = new_hierarchy(page, ready_profile, "Building")
    canvas = page.locator("[data-editor-canvas]")

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


def series_names(page: Page) -> set[str]:
    return set(page.evaluate("""() => echarts.getInstanceByDom(document.querySelector('[data-consumption-chart]'))
        .getOption().series.map((s) => s.name)"""))


def test_the_manuals_example_built_in_the_editor_then_read_by_load_and_by_usage(page: Page, ready_profile,
                                                                                predefined):
    """§9.7's example: the building's general meter feeds the main node, the first floor is a
    node with its own meter below it, and the rest of the building is the non-measured point."""
    call_command("setup_demo", "--port", "5999")
    seed_demo_history(9, end=timezone.now())
    general = Circuit.objects.get(device__name="A-40 General")
    offices = Circuit.objects.get(device__name="E23 Offices")
    offices.usage = Usage.objects.get(external_key="IndoorLighting")  # as set in Settings › Circuits
    offices.save(update_fields=["usage"])
    building = new_hierarchy(page, ready_profile, "Building")
    canvas = page.locator("[data-editor-canvas]")
    for count, circuit in ((2, general), (3, offices)):
        page.select_option("[data-new-circuit]", str(circuit.pk))
        page.click("[data-add-circuit]")
        expect(canvas).to_have_attribute("data-members", str(count))
    page.fill("[data-new-node-name]", "1st floor")
    page.click("[data-add-node]")
    expect(canvas).to_have_attribute("data-members", "4")
    members = {m.name or m.circuit_id: m for m in Member.objects.filter(hierarchy=building)}
    floor = members["1st floor"]
    page.check("[data-editor-mode][value=link]")
    for n, (source, target) in enumerate([(members[general.pk], building.root), (building.root, floor),
                                          (floor, members[offices.pk])], start=1):
        drag(page, source, target)
        expect(canvas).to_have_attribute("data-links", str(n))

    page.goto(f"/consumption/?hierarchy={building.pk}&period=last_week")
    chart = page.locator("[data-consumption-chart]")
    expect(chart).to_have_attribute("data-bars", "7", timeout=10_000)
    assert series_names(page) == {"1st floor", "Non-measured point"}
    by_load = float(page.locator("[data-consumption]").get_attribute("data-total"))
    assert by_load > 0
    page.click("[data-by=usage]")
    expect(page.locator("[data-by=usage]")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function("(usage) => echarts.getInstanceByDom(document.querySelector('[data-consumption-chart]'))"
                           ".getOption().series.some((s) => s.name === usage)", arg=str(offices.usage))
    assert series_names(page) == {str(offices.usage), "Non-measured point"}
    # The same energy, shared out another way: the general meter's, in both views.
    assert float(page.locator("[data-consumption]").get_attribute("data-total")) == pytest.approx(by_load, rel=1e-3)
