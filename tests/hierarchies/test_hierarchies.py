"""Hierarchies (§9.7) and the consumption breakdown (§8.5), on stored consumption series."""

from datetime import datetime, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError

from datalogger.closing import store_period
from devices import services
from devices.models import Circuit, Fluid, Usage
from hierarchies import breakdown, rules
from hierarchies.models import Hierarchy, Member

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 6, 1, 0, 0, tzinfo=timezone.utc)
DAY = (T0, T0 + timedelta(days=1))


def meter(name: str, kwh_per_period: float, usage: str | None = None) -> Circuit:
    """A COUNTIS with a day of 10-minute periods consuming ``kwh_per_period`` each."""
    device = services.add_device(reference="E23", name=name, host="127.0.0.1", unit_id=1 + Circuit.objects.count())
    for n in range(145):  # one more index than periods: the first consumption needs an index before it
        store_period(device.pk, T0 + timedelta(minutes=10 * (n - 1)), 10,
                     {"1|EA_IMP|l": repr(1000.0 + n * kwh_per_period)})
    circuit = device.circuits.get()
    if usage:
        circuit.usage = Usage.objects.get_or_create(name=usage, defaults={"external_key": usage})[0]
        circuit.save()
    return circuit


@pytest.fixture
def electricity():
    return Fluid.objects.get(key="electricity")


@pytest.fixture
def building(electricity):
    """The manual's example: the building's incomer measures the main node; floors are nodes
    with their own meters; what the floors do not measure is the non-measured point."""
    main, ground, first = meter("Incomer", 10.0), meter("Ground floor", 3.0, "Lighting"), meter("1st floor", 5.0, "HVAC")
    hierarchy = rules.create_hierarchy(name="CIL Building", fluid=electricity)
    root = hierarchy.root
    incomer = rules.add_circuit(hierarchy, main)
    rules.link(incomer, root)
    floors = {}
    for circuit in (ground, first):
        node = rules.add_node(hierarchy, name=f"Floor {circuit.device.name}")
        rules.link(root, node)
        rules.link(node, rules.add_circuit(hierarchy, circuit))
        floors[circuit.device.name] = node
    return hierarchy, floors


def test_by_load_with_the_non_measured_point(building):
    hierarchy, _floors = building
    result = breakdown.by_load(hierarchy, *DAY, "day")
    totals = {load.name: (load.kind, float(load.values.sum())) for load in result.loads}
    assert totals == {"Floor Ground floor": ("node", pytest.approx(144 * 3.0)),
                      "Floor 1st floor": ("node", pytest.approx(144 * 5.0)),
                      "Non-measured point": ("non_measured", pytest.approx(144 * 2.0))}
    assert result.total == pytest.approx(144 * 10.0)  # what the incomer measured


def test_drill_down_into_a_node_and_by_usage(building):
    hierarchy, floors = building
    inside = breakdown.by_load(hierarchy, *DAY, "hour", node=floors["1st floor"])
    assert [(load.name, load.kind) for load in inside.loads] == [("1st floor", "circuit")]
    assert len(inside.buckets) >= 24 and inside.total == pytest.approx(144 * 5.0)
    usages = {load.name: float(load.values.sum()) for load in breakdown.by_usage(hierarchy, *DAY, "day").loads}
    assert usages == {"HVAC": pytest.approx(720.0), "Lighting": pytest.approx(432.0),
                      "Non-measured point": pytest.approx(288.0)}


def test_a_child_hierarchy_counts_as_a_node(building, electricity):
    parent = rules.create_hierarchy(name="Campus", fluid=electricity)
    child_member = rules.add_child(parent, building[0])
    rules.link(parent.root, child_member)
    result = breakdown.by_load(parent, *DAY, "day")
    assert [(load.name, load.kind) for load in result.loads] == [("CIL Building", "node")]
    assert result.total == pytest.approx(1440.0)
    with pytest.raises(ValidationError, match="loop"):
        rules.add_child(building[0], parent)


def test_the_rules_of_a_hierarchy(building, electricity):
    hierarchy, floors = building
    water = Fluid.objects.get(key="water")
    other = meter("Pump", 1.0)
    other.fluid = water
    other.save()
    with pytest.raises(ValidationError, match="one utility"):
        rules.add_circuit(hierarchy, other)
    with pytest.raises(ValidationError, match="already in the hierarchy"):
        rules.add_circuit(hierarchy, Circuit.objects.get(device__name="Incomer"))
    node = floors["Ground floor"]
    with pytest.raises(ValidationError, match="fed already"):
        rules.link(floors["1st floor"], node)
    loose, other_node = rules.add_node(hierarchy, name="Loose"), rules.add_node(hierarchy, name="Other")
    with pytest.raises(ValidationError, match="cannot feed itself"):
        rules.link(loose, loose)
    rules.link(loose, other_node)
    with pytest.raises(ValidationError, match="loop"):
        rules.link(other_node, loose)
    with pytest.raises(ValidationError, match="Only a circuit can feed the main node"):
        rules.link(loose, hierarchy.root)
    with pytest.raises(ValidationError, match="main node stays"):
        rules.remove(hierarchy.root)
    while hierarchy.members.filter(kind__in=["root", "node"]).count() < rules.MAX_NODES:
        rules.add_node(hierarchy, name="n")
    with pytest.raises(ValidationError, match="at most 32 nodes"):
        rules.add_node(hierarchy, name="one too many")
    for n in range(rules.MAX_HIERARCHIES - Hierarchy.objects.count()):
        rules.create_hierarchy(name=f"H{n}", fluid=electricity)
    with pytest.raises(ValidationError, match="at most 10 hierarchies"):
        rules.create_hierarchy(name="eleventh", fluid=electricity)
    assert Hierarchy.objects.count() == 10 and not Member.objects.filter(name="one too many").exists()


def test_at_most_fifty_circuits(electricity):
    hierarchy = rules.create_hierarchy(name="Big", fluid=electricity)
    device = services.add_device(reference="I-35", name="I-35", host="127.0.0.1", unit_id=9)
    circuits = list(device.circuits.all())
    for n in range(rules.MAX_CIRCUITS):
        extra = services.add_device(reference="E23", name=f"E{n}", host="127.0.0.2", unit_id=n + 1)
        circuits.append(extra.circuits.get())
    for circuit in circuits[:rules.MAX_CIRCUITS]:
        rules.add_circuit(hierarchy, circuit)
    with pytest.raises(ValidationError, match="at most 50 circuits"):
        rules.add_circuit(hierarchy, circuits[rules.MAX_CIRCUITS])
