"""The Navigation tree of the left pane's Organisation section (manual §7.2): the installation
browsed by area, by usage or by fluid, with the number of loads (circuits) below each level.

Each mode reads the database in at most two queries, however many devices there are."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from devices.models import Area, Circuit, Device
from webview.frame import AREA, FLUID, HIERARCHY, PHOTOVIEW, USE, NavigationTree, TreeNode, register_tree


def device_url(device_id: int) -> str:
    """The Monitor page of a device; "#" while that page is not routed."""
    try:
        return reverse("devices:device", kwargs={"pk": device_id})
    except NoReverseMatch:
        return "#"


def _joined(*parts: object) -> str:
    return " ".join(str(part) for part in parts if part)


def trends_url(circuit_id: int) -> str:
    """The Trends page with this circuit chosen (§8.6: area → device → circuit)."""
    return f"{reverse('datalogger:trends')}?circuit={circuit_id}"


def area_tree(current_device_id: int | None = None, circuit_links: bool = False) -> list[TreeNode]:
    """Each area (configured ones, even empty) then "No area" → its enabled devices, gateways
    included (they have no circuits); with ``circuit_links`` (Trends), each device → its
    circuits, linked to the Trends page. Two queries (three with the circuits)."""
    devices = (Device.objects.filter(enabled=True).select_related("area")
               .annotate(loads=Count("circuits")).order_by("name"))
    circuits: dict[int, list[Circuit]] = {}
    if circuit_links:
        for circuit in Circuit.objects.filter(device__enabled=True).order_by("index"):
            circuits.setdefault(circuit.device_id, []).append(circuit)
    by_area: dict[int | None, list[TreeNode]] = {}
    for device in devices:
        area_name = device.area.name if device.area else ""
        by_area.setdefault(device.area_id, []).append(TreeNode(
            name=device.name, search=_joined(device.name, device.reference, area_name),
            url="" if circuit_links else device_url(device.pk), loads=device.loads,
            current=device.pk == current_device_id,
            children=[TreeNode(name=circuit.name, search=_joined(device.name, circuit.name, area_name),
                               url=trends_url(circuit.pk)) for circuit in circuits.get(device.pk, [])],
        ))
    groups = [(area.name, by_area.get(area.pk, [])) for area in Area.objects.all()]
    if None in by_area:
        groups.append((_("No area"), by_area[None]))
    return [_group(name, children) for name, children in groups]


def _circuit_tree(group_of: Callable[[Circuit], object | None], undefined: str, related: str,
                  current_device_id: int | None, circuit_links: bool = False) -> list[TreeNode]:
    """Each usage or fluid that has circuits (then ``undefined``) → its circuits. One query."""
    circuits = (Circuit.objects.filter(device__enabled=True)
                .select_related("device__area", related).order_by("device__name", "index"))
    groups: dict[object | None, list[TreeNode]] = {}
    for circuit in circuits:
        device = circuit.device
        group = group_of(circuit)
        area_name = device.area.name if device.area else ""
        groups.setdefault(group, []).append(TreeNode(
            name=f"{device.name} : {circuit.name}",
            search=_joined(device.name, circuit.name, device.reference, area_name, group or undefined),
            url=trends_url(circuit.pk) if circuit_links else f"{device_url(device.pk)}#circuit-{circuit.pk}",
            current=device.pk == current_device_id,
        ))
    named = sorted((group for group in groups if group is not None), key=lambda group: str(group).casefold())
    nodes = [_group(str(group), groups[group]) for group in named]
    if None in groups:
        nodes.append(_group(undefined, groups[None]))
    return nodes


def _group(name: str, children: Iterable[TreeNode]) -> TreeNode:
    children = list(children)
    return TreeNode(name=name, search=name, children=children,
                    loads=sum(1 if child.loads is None else child.loads for child in children))


def use_tree(current_device_id: int | None = None, circuit_links: bool = False) -> list[TreeNode]:
    return _circuit_tree(lambda circuit: circuit.usage, _("Undefined"), "usage", current_device_id, circuit_links)


def fluid_tree(current_device_id: int | None = None, circuit_links: bool = False) -> list[TreeNode]:
    return _circuit_tree(lambda circuit: circuit.fluid, _("Undefined"), "fluid", current_device_id, circuit_links)


def navigation_tree(view_mode: str, current_device_id: int | None = None, menu: str = "monitor") -> NavigationTree:
    """The tree of ``view_mode``, or none with the reason. On Trends, circuits are the leaves
    and lead to the Trends page; elsewhere devices lead to their Monitor page."""
    if view_mode == HIERARCHY:
        return NavigationTree([], _("No hierarchy yet."))
    if view_mode == PHOTOVIEW:
        return NavigationTree([], _("No Photoview page yet."))
    builders = {AREA: area_tree, USE: use_tree, FLUID: fluid_tree}
    if view_mode not in builders:
        return NavigationTree([], "")
    nodes = builders[view_mode](current_device_id, circuit_links=menu == "trends")
    if nodes:
        return NavigationTree(nodes, "")
    if view_mode == AREA:
        return NavigationTree([], _("Nothing to show yet: no device is configured."))
    return NavigationTree([], _("Nothing to show yet: no circuit is configured."))


def monitor_tree(view_mode: str, context: Mapping[str, Any]) -> NavigationTree:
    return navigation_tree(view_mode, context.get("current_device_id"))


register_tree("monitor", monitor_tree)
