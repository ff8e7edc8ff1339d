from django.utils.translation import gettext_lazy as _

from datalogger import selectors
from datalogger.models import Favourite
from devices.models import Circuit
from webview.frame import render_menu_page

# §8.6 step 2: the data categories, as quantities.yaml files each code.
CATEGORIES = (("measure", _("Measure")), ("meter", _("Meter")), ("status", _("Status")), ("alarm", _("Alarm")))


def trends(request):
    """§8.6: the circuit chosen in the left pane offers its logged quantities; the curves
    chosen (from one or several circuits) are drawn over the time period from /api/v1/trends/."""
    chosen = request.GET.get("circuit", "")
    circuit = (Circuit.objects.select_related("device__area").filter(pk=int(chosen)).first()
               if chosen.isdigit() else None)
    quantities = selectors.quantities_of(circuit) if circuit else []
    return render_menu_page(request, "trends", "datalogger/trends.html", {
        "circuit": circuit,
        "circuit_label": selectors.circuit_label(circuit) if circuit else "",
        "categories": [(key, label, [q for q in quantities if q["category"] == key]) for key, label in CATEGORIES],
        "favourites": Favourite.objects.filter(profile=request.user),
        "current_device_id": circuit.device_id if circuit else None,
    })
