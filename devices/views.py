from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cybersecurity.models import SecurityPolicy
from cybersecurity.permissions import Right, has_right
from devices import commands, monitor, selectors
from devices.models import Device
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
        # §5: the reset is offered to the profiles that have the right, for a device whose map
        # documents it; the policy's Modbus-write switch is said, not hidden.
        "can_reset": has_right(request.user, Right.RESET_COUNTERS) and commands.reset_command_of(device) is not None,
        "modbus_write": SecurityPolicy.current().modbus_write,
    })


@require_POST
def reset_counters(request, pk: int):
    """§5 reset of counters, confirmed in the page: JSON {"message"} with 200, 400 or 403."""
    device = get_object_or_404(Device, pk=pk)
    try:
        commands.reset_counters(device, profile=request.user, request=request)
    except PermissionDenied as refusal:
        return JsonResponse({"message": str(refusal)}, status=403)
    except ValidationError as refusal:
        return JsonResponse({"message": " ".join(refusal.messages)}, status=400)
    return JsonResponse({"message": _("The counters of %(device)s were reset.") % {"device": device}})
