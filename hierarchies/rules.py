"""Building hierarchies by the rules of §9.7.1. Every change goes through here: a refusal is a
ValidationError naming the field at fault, and nothing is changed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from devices.models import Circuit, Fluid
from hierarchies.models import Hierarchy, Link, Member
from hierarchies.selectors import measures_energy

MAX_HIERARCHIES, MAX_NODES, MAX_CIRCUITS = 10, 32, 50
Kind = Member.Kind


@transaction.atomic
def create_hierarchy(*, name: str, fluid: Fluid) -> Hierarchy:
    """§9.7.1 step 1: a name and a utility; it starts with its main node only."""
    if Hierarchy.objects.select_for_update().count() >= MAX_HIERARCHIES:
        raise ValidationError({"name": _("There can be at most %(count)d hierarchies.") % {"count": MAX_HIERARCHIES}})
    hierarchy = Hierarchy(name=name, fluid=fluid)
    hierarchy.full_clean()
    hierarchy.save()
    Member.objects.create(hierarchy=hierarchy, kind=Kind.ROOT, name=name)
    return hierarchy


def _locked(hierarchy: Hierarchy) -> Hierarchy:
    return Hierarchy.objects.select_for_update().get(pk=hierarchy.pk)


@transaction.atomic
def add_node(hierarchy: Hierarchy, *, name: str, x: float = 0, y: float = 0) -> Member:
    hierarchy = _locked(hierarchy)
    if not name.strip():
        raise ValidationError({"name": _("A node needs a name.")})
    if hierarchy.members.filter(kind__in=[Kind.ROOT, Kind.NODE]).count() >= MAX_NODES:
        raise ValidationError({"name": _("A hierarchy has at most %(count)d nodes.") % {"count": MAX_NODES}})
    return Member.objects.create(hierarchy=hierarchy, kind=Kind.NODE, name=name.strip(), x=x, y=y)


@transaction.atomic
def add_circuit(hierarchy: Hierarchy, circuit: Circuit, *, x: float = 0, y: float = 0) -> Member:
    hierarchy = _locked(hierarchy)
    if circuit.fluid_id != hierarchy.fluid_id:
        raise ValidationError({"circuit": _("%(circuit)s is not of this hierarchy's utility (%(fluid)s): a hierarchy "
                                            "holds one utility only.") % {"circuit": circuit, "fluid": hierarchy.fluid}})
    if not measures_energy(circuit):
        raise ValidationError({"circuit": _("%(circuit)s measures no energy: it cannot be a load of a "
                                            "hierarchy.") % {"circuit": circuit}})
    if hierarchy.members.filter(kind=Kind.CIRCUIT).count() >= MAX_CIRCUITS:
        raise ValidationError({"circuit": _("A hierarchy has at most %(count)d circuits.") % {"count": MAX_CIRCUITS}})
    if hierarchy.members.filter(circuit=circuit).exists():
        raise ValidationError({"circuit": _("This circuit is already in the hierarchy.")})
    return Member.objects.create(hierarchy=hierarchy, kind=Kind.CIRCUIT, circuit=circuit, x=x, y=y)


def _descendants(hierarchy: Hierarchy) -> set[int]:
    """The hierarchies below ``hierarchy`` through its child members, at any depth."""
    found, todo = set(), [hierarchy.pk]
    while todo:
        children = Member.objects.filter(hierarchy_id__in=todo, kind=Kind.HIERARCHY).values_list("child_id", flat=True)
        todo = [pk for pk in children if pk not in found]
        found.update(todo)
    return found


@transaction.atomic
def add_child(hierarchy: Hierarchy, child: Hierarchy, *, x: float = 0, y: float = 0) -> Member:
    """A parent/child link between hierarchies (multi-level hierarchies)."""
    hierarchy = _locked(hierarchy)
    if child.pk == hierarchy.pk or hierarchy.pk in _descendants(child):
        raise ValidationError({"child": _("%(child)s contains this hierarchy already: the link would make a loop.")
                               % {"child": child}})
    if child.fluid_id != hierarchy.fluid_id:
        raise ValidationError({"child": _("%(child)s is of another utility.") % {"child": child}})
    if hierarchy.members.filter(child=child).exists():
        raise ValidationError({"child": _("This hierarchy is already linked here.")})
    return Member.objects.create(hierarchy=hierarchy, kind=Kind.HIERARCHY, child=child, x=x, y=y)


@transaction.atomic
def link(source: Member, target: Member) -> Link:
    """``source`` feeds ``target``. A circuit feeding a node measures it: the node's
    non-measured point is computed from it."""
    hierarchy = _locked(source.hierarchy)
    if source.hierarchy_id != target.hierarchy_id:
        raise ValidationError({"target": _("Both ends of a link belong to the same hierarchy.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("An element cannot feed itself.")})
    if source.kind == Kind.HIERARCHY:
        raise ValidationError({"source": _("A linked hierarchy is fed from here; what it feeds is drawn in it.")})
    if target.kind == Kind.ROOT and source.kind != Kind.CIRCUIT:
        raise ValidationError({"source": _("Only a circuit can feed the main node (it then measures it).")})
    if Link.objects.filter(target=target).exists():
        raise ValidationError({"target": _("%(target)s is fed already: an element has one feeder.") % {"target": target}})
    # A loop would come back to the source from the target.
    reached, todo = set(), [target.pk]
    while todo:
        if source.pk in todo:
            raise ValidationError({"target": _("This link would make a loop.")})
        reached.update(todo)
        todo = [pk for pk in Link.objects.filter(source_id__in=todo).values_list("target_id", flat=True)
                if pk not in reached]
    return Link.objects.create(hierarchy=hierarchy, source=source, target=target)


@transaction.atomic
def rename_node(node: Member, name: str) -> Member:
    if node.kind not in (Kind.ROOT, Kind.NODE):
        raise ValidationError({"name": _("Only nodes are named here; a circuit is renamed in Circuits.")})
    if not name.strip():
        raise ValidationError({"name": _("A node needs a name.")})
    node.name = name.strip()
    node.save(update_fields=["name"])
    return node


@transaction.atomic
def remove(member: Member) -> None:
    if member.kind == Kind.ROOT:
        raise ValidationError({"kind": _("The main node stays: delete the hierarchy instead.")})
    member.delete()  # its links go with it
