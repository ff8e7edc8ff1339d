from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cybersecurity.models import SecurityPolicy
from cybersecurity.permissions import Right, has_right
from devices import commands, monitor, selectors
from devices.models import Device
from webview.frame import render_menu_page


def index(request):
    """§8.2: the device to monitor is picked in the left pane; the page lists them too, with their
    status, so that a site with devices never reads as an empty one."""
    devices = list(selectors.devices_with_circuits().order_by("name"))  # custom maps fetched with them
    return render_menu_page(request, "monitor", "devices/monitor.html", {
        "devices": monitor.device_statuses(devices, selectors.cached_live([device.pk for device in devices])),
    })


def device(request, pk: int):
    """§8.2.1: a device's live values, tab by tab, updated in place over /ws/live/. A gateway has
    no values of its own: its page lists the modules reached through it."""
    device = get_object_or_404(selectors.devices_with_circuits(), pk=pk)
    reference = device.catalogue_reference
    circuits = list(device.circuits.all())
    tabs = monitor.tabs_for(reference)
    context = {
        "device": device,
        "reference": reference,
        "network_type": monitor.network_type_of(device),
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
    }
    if device.is_gateway:
        modules = selectors.gateway_modules(device)
        context.update(modules=modules, gateway=monitor.gateway_status(modules),
                       module_ids=[module["device"].pk for module in modules])
    return render_menu_page(request, "monitor", "devices/monitor_device.html", context)


def gateway_modules(request, pk: int):
    """The modules of a gateway with their status and link counters (JSON), for its Monitor page
    to refresh the counters the live messages do not carry."""
    gateway = get_object_or_404(Device, pk=pk)
    if not gateway.is_gateway:
        return JsonResponse({"message": _("%(device)s is not a gateway.") % {"device": gateway}}, status=404)
    modules = selectors.gateway_modules(gateway)
    return JsonResponse({
        **{key: str(value) for key, value in monitor.gateway_status(modules).items()},
        "modules": [{"id": module["device"].pk, "status": module["status"], "reason": module["reason"],
                     "timestamp": module["timestamp"], "counters": module["counters"]} for module in modules],
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
