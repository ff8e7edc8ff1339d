"""The Consumption menu's Navigation tree (§8.5, §7.2): hierarchies and their nodes, usages or
fluids, each leading to the Consumption page of that choice, with its number of loads."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from devices.models import Fluid, Usage
from hierarchies.models import Hierarchy, Member
from webview.frame import FLUID, HIERARCHY, USE, NavigationTree, TreeNode, register_tree


def _url(**params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse('hierarchies:consumption')}?{query}"


def hierarchy_tree() -> list[TreeNode]:
    nodes = []
    members = Member.objects.filter(kind=Member.Kind.NODE).order_by("name")
    by_hierarchy: dict[int, list[Member]] = {}
    for member in members:
        by_hierarchy.setdefault(member.hierarchy_id, []).append(member)
    for hierarchy in Hierarchy.objects.annotate(loads=Count("members", filter=Q(members__kind="circuit"))):
        nodes.append(TreeNode(
            name=hierarchy.name, search=hierarchy.name, url=_url(hierarchy=hierarchy.pk), loads=hierarchy.loads,
            children=[TreeNode(name=node.name, search=f"{hierarchy.name} {node.name}",
                               url=_url(hierarchy=hierarchy.pk, node=node.pk))
                      for node in by_hierarchy.get(hierarchy.pk, [])]))
    return nodes


def usage_tree() -> list[TreeNode]:
    usages = Usage.objects.annotate(loads=Count("circuits", filter=Q(circuits__device__enabled=True))).filter(loads__gt=0)
    return [TreeNode(name=str(usage), search=str(usage), url=_url(usage=usage.pk), loads=usage.loads)
            for usage in usages]


def fluid_tree() -> list[TreeNode]:
    fluids = Fluid.objects.annotate(loads=Count("circuits", filter=Q(circuits__device__enabled=True))).filter(loads__gt=0)
    return [TreeNode(name=str(fluid), search=str(fluid), url=_url(fluid=fluid.key), loads=fluid.loads)
            for fluid in fluids]


def consumption_tree(view_mode: str) -> NavigationTree:
    builders = {HIERARCHY: (hierarchy_tree, _("No hierarchy yet: the consumption of each device is shown.")),
                USE: (usage_tree, _("No circuit has a usage yet.")),
                FLUID: (fluid_tree, _("No circuit has a fluid yet."))}
    build, empty = builders.get(view_mode, (list, ""))
    nodes = build()
    return NavigationTree(nodes, "" if nodes else empty)


register_tree("consumption", lambda view_mode, context: consumption_tree(view_mode))
