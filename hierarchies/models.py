"""Hierarchies (§9.7): measurement points organised as a tree of nodes, circuits and other
hierarchies, linked in the direction of the energy flow. The rules (one fluid, at most 10
hierarchies, 32 nodes and 50 circuits each, no loop...) live in hierarchies/rules.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from devices.models import Circuit, Fluid


class Hierarchy(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    fluid = models.ForeignKey(Fluid, verbose_name=_("fluid"), on_delete=models.PROTECT, related_name="hierarchies",
                              help_text=_("A hierarchy is for a single utility."))
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hierarchy")
        verbose_name_plural = _("hierarchies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def root(self) -> "Member":
        return self.members.get(kind=Member.Kind.ROOT)


class Member(models.Model):
    """One element of a hierarchy's graph: its main node, a node, a circuit, or another
    hierarchy (a child, whose main node is then fed from here)."""

    class Kind(models.TextChoices):
        ROOT = "root", _("main node")
        NODE = "node", _("node")
        CIRCUIT = "circuit", _("circuit")
        HIERARCHY = "hierarchy", _("hierarchy")

    hierarchy = models.ForeignKey(Hierarchy, on_delete=models.CASCADE, related_name="members")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=64, blank=True, help_text=_("A node's name."))
    circuit = models.ForeignKey(Circuit, verbose_name=_("circuit"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="hierarchy_members")
    child = models.ForeignKey(Hierarchy, verbose_name=_("child hierarchy"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="parent_members")
    # Where the editor draws it.
    x = models.FloatField(default=0)
    y = models.FloatField(default=0)

    class Meta:
        verbose_name = _("hierarchy element")
        verbose_name_plural = _("hierarchy elements")
        constraints = [
            models.UniqueConstraint(fields=["hierarchy", "circuit"], name="a_circuit_once_per_hierarchy",
                                    violation_error_message=_("This circuit is already in the hierarchy.")),
            models.UniqueConstraint(fields=["hierarchy", "child"], name="a_child_hierarchy_once",
                                    violation_error_message=_("This hierarchy is already linked here.")),
            models.UniqueConstraint(fields=["hierarchy"], condition=models.Q(kind="root"), name="one_main_node"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.CIRCUIT and self.circuit_id:
            return str(self.circuit)
        if self.kind == self.Kind.HIERARCHY and self.child_id:
            return str(self.child)
        return self.name


class Link(models.Model):
    """``source`` feeds ``target`` (the direction of the energy flow)."""

    hierarchy = models.ForeignKey(Hierarchy, on_delete=models.CASCADE, related_name="links")
    source = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="incoming")

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="one_link_per_pair")]
