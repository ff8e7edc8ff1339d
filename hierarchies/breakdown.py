"""Where the energy goes (§8.5): a hierarchy's consumption per bucket, broken down by load (the
elements below a node, and its non-measured point) or by usage; or, without a hierarchy, the
circuits of a usage or a fluid. Sums of the circuits' consumption series (datalogger)."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from django.utils.translation import gettext as _

from datalogger.consumption import consumed
from datalogger.models import Series
from devices.models import Circuit
from hierarchies.models import Hierarchy, Link, Member

ENERGY_CODE = "EA_IMP"  # the consumption of a circuit: its active energy imported
Kind = Member.Kind


@dataclass
class Load:
    name: str
    kind: str  # "circuit", "node" or "non_measured" (DESIGN.md contract)
    values: np.ndarray
    usage: str = ""


@dataclass
class Breakdown:
    buckets: list[datetime]
    loads: list[Load] = field(default_factory=list)

    @property
    def total(self) -> float:
        return float(np.nansum([np.nansum(load.values) for load in self.loads])) if self.loads else 0.0


def circuit_name(circuit: Circuit) -> str:
    device = circuit.device.name
    return device if circuit.name == device else f"{device} : {circuit.name}"


def _consumption(circuits: list[Circuit], start: datetime, end: datetime, step: str) -> tuple[list, dict]:
    """Per circuit id, its consumption per bucket (NaN where nothing is stored)."""
    series = {(s.device_id, s.circuit_index): s for s in Series.objects.filter(
        code=ENERGY_CODE, stat=Series.Stat.DELTA, device_id__in={c.device_id for c in circuits})}
    found = {c.pk: series[(c.device_id, c.index)] for c in circuits if (c.device_id, c.index) in series}
    buckets, sums = consumed(list(found.values()), start, end, step)
    nothing = np.full(len(buckets), np.nan)
    return buckets, {c.pk: sums[found[c.pk].pk] if c.pk in found else nothing for c in circuits}


def _add(values: list[np.ndarray], size: int) -> np.ndarray:
    """Bucket by bucket sum; NaN only where every part is NaN (a gap, never a zero)."""
    if not values:
        return np.full(size, np.nan)
    stacked = np.vstack(values)
    return np.where(np.isnan(stacked).all(axis=0), np.nan, np.nansum(stacked, axis=0))


class Graph:
    """A hierarchy's members and links, with its child hierarchies' graphs, read once."""

    def __init__(self, hierarchy: Hierarchy, seen: frozenset = frozenset()) -> None:
        self.hierarchy = hierarchy
        self.members = {m.pk: m for m in hierarchy.members.select_related("circuit__device", "circuit__usage", "child")}
        self.children: dict[int, list[int]] = defaultdict(list)
        self.feeder: dict[int, int] = {}
        for source, target in Link.objects.filter(hierarchy=hierarchy).values_list("source_id", "target_id"):
            self.children[source].append(target)
            self.feeder[target] = source
        seen = seen | {hierarchy.pk}
        self.subgraphs = {m.child_id: Graph(m.child, seen) for m in self.members.values()
                          if m.kind == Kind.HIERARCHY and m.child_id not in seen}
        self.root = next(m for m in self.members.values() if m.kind == Kind.ROOT)

    def circuits(self) -> list[Circuit]:
        own = [m.circuit for m in self.members.values() if m.kind == Kind.CIRCUIT]
        return own + [c for graph in self.subgraphs.values() for c in graph.circuits()]

    def measured_by(self, member: Member) -> Member | None:
        """The circuit that feeds (and so measures) a node, if any."""
        feeder = self.members.get(self.feeder.get(member.pk))
        return feeder if feeder is not None and feeder.kind == Kind.CIRCUIT else None

    def value(self, member: Member, of: dict[int, np.ndarray], size: int) -> np.ndarray:
        if member.kind == Kind.CIRCUIT:
            return of[member.circuit_id]
        if member.kind == Kind.HIERARCHY:
            graph = self.subgraphs.get(member.child_id)
            return graph.value(graph.root, of, size) if graph else np.full(size, np.nan)
        feeder = self.measured_by(member)
        if feeder is not None:
            return of[feeder.circuit_id]
        return _add([self.value(self.members[pk], of, size) for pk in self.children[member.pk]], size)

    def name(self, member: Member) -> str:
        if member.kind == Kind.CIRCUIT:
            return circuit_name(member.circuit)
        return member.child.name if member.kind == Kind.HIERARCHY else member.name


def by_load(hierarchy: Hierarchy, start: datetime, end: datetime, step: str, node: Member | None = None) -> Breakdown:
    """The elements fed by ``node`` (default: the main node), each with its consumption, and the
    node's non-measured point when a circuit measures it (§9.7: measured − Σ the loads below)."""
    graph = Graph(hierarchy)
    focus = graph.members[node.pk] if node else graph.root
    buckets, of = _consumption(graph.circuits(), start, end, step)
    size = len(buckets)
    loads = []
    for pk in graph.children[focus.pk]:
        member = graph.members[pk]
        kind = "circuit" if member.kind == Kind.CIRCUIT else "node"
        usage = str(member.circuit.usage or "") if member.kind == Kind.CIRCUIT else ""
        loads.append(Load(graph.name(member), kind, graph.value(member, of, size), usage))
    feeder = graph.measured_by(focus)
    if feeder is not None:
        below = _add([load.values for load in loads], size)
        measured = of[feeder.circuit_id]
        loads.append(Load(_("Non-measured point"), "non_measured", measured - np.nan_to_num(below)))
    return Breakdown(buckets, loads)


def by_usage(hierarchy: Hierarchy, start: datetime, end: datetime, step: str) -> Breakdown:
    """The hierarchy's consumption by usage: each circuit at the end of the flow (nothing fed by
    it) counted under its usage, non-measured points under their own name."""
    graph = Graph(hierarchy)
    buckets, of = _consumption(graph.circuits(), start, end, step)
    size = len(buckets)
    groups: dict[str, list[np.ndarray]] = defaultdict(list)

    def walk(g: Graph, member: Member) -> None:
        kids = [g.members[pk] for pk in g.children[member.pk]]
        if member.kind == Kind.CIRCUIT and not kids:
            groups[str(member.circuit.usage or _("Undefined"))].append(of[member.circuit_id])
        if member.kind == Kind.HIERARCHY and member.child_id in g.subgraphs:
            sub = g.subgraphs[member.child_id]
            walk(sub, sub.root)
        for kid in kids:
            walk(g, kid)
        feeder = g.measured_by(member)
        if feeder is not None and member.kind in (Kind.ROOT, Kind.NODE):
            below = _add([g.value(kid, of, size) for kid in kids], size)
            groups[_("Non-measured point")].append(of[feeder.circuit_id] - np.nan_to_num(below))

    walk(graph, graph.root)
    return Breakdown(buckets, [Load(name, "circuit" if name != _("Non-measured point") else "non_measured",
                                    _add(values, size)) for name, values in sorted(groups.items())])


def of_circuits(circuits: list[Circuit], start: datetime, end: datetime, step: str) -> Breakdown:
    """Without a hierarchy (§8.5): each circuit of a usage, a fluid, or one circuit."""
    buckets, of = _consumption(circuits, start, end, step)
    return Breakdown(buckets, [Load(circuit_name(c), "circuit", of[c.pk], str(c.usage or "")) for c in circuits])
