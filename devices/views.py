from django.shortcuts import get_object_or_404

from devices import monitor, selectors
from webview.views import render_menu_page


def index(request):
    """§8.2: the device to monitor is picked in the left pane."""
    return render_menu_page(request, "monitor", "devices/monitor.html")


def device(request, pk: int):
    """§8.2.1: a device's live values, tab by tab, updated in place over /ws/live/."""
    device = get_object_or_404(selectors.devices_with_circuits(), pk=pk)
    reference = device.catalogue_reference
    circuits = list(device.circuits.all())
    tabs = monitor.tabs_for(reference)
    return render_menu_page(request, "monitor", "devices/monitor_device.html", {
        "device": device,
        "reference": reference,
        "circuits": circuits,
        # A tab that lists every circuit at once (F-60) needs no circuit to be chosen.
        "pick_circuit": len(circuits) > 1 and any(not item.tab.per_circuit for item in tabs),
        "tabs": tabs,
        "live": selectors.live_of(device),
        "quantities": monitor.units_of(reference),
        "current_device_id": device.pk,
    })
