from django.utils.translation import gettext as _

from devices.models import Fluid, Usage
from hierarchies.models import Hierarchy, Member
from webview.frame import render_menu_page


def _choice(request) -> tuple[dict, str, bool]:
    """What to break down (the API's query parameters), its title, and whether it is a
    hierarchy. Without a choice: the first hierarchy, or else every electrical circuit
    (§8.5: without a hierarchy, a simple view of the devices' consumption)."""
    get = request.GET
    if get.get("hierarchy", "").isdigit() and (hierarchy := Hierarchy.objects.filter(pk=get["hierarchy"]).first()):
        node = (Member.objects.filter(pk=get["node"], hierarchy=hierarchy).first()
                if get.get("node", "").isdigit() else None)
        query = {"hierarchy": hierarchy.pk, **({"node": node.pk} if node else {})}
        return query, f"{hierarchy.name} › {node.name}" if node else hierarchy.name, True
    if get.get("usage", "").isdigit() and (usage := Usage.objects.filter(pk=get["usage"]).first()):
        return {"usage": usage.pk}, str(usage), False
    if get.get("fluid") and (fluid := Fluid.objects.filter(key=get["fluid"]).first()):
        return {"fluid": fluid.key}, str(fluid), False
    if first := Hierarchy.objects.first():
        return {"hierarchy": first.pk}, first.name, True
    return {"fluid": "electricity"}, _("Consumption of each device"), False


def consumption(request):
    """§8.5: the energy of the chosen hierarchy, usage or fluid over the time period, by load or
    by usage, as stacked bars, a pie or a table, with drill-down (GET /api/v1/consumption/)."""
    query, title, is_hierarchy = _choice(request)
    return render_menu_page(request, "consumption", "hierarchies/consumption.html", {
        "query": query, "title": title, "is_hierarchy": is_hierarchy,
    })
