"""Circuits tab (§9.6.4): circuits grouped by device; name, fluid and usage edited one at a
time, fluid and usage for several at once."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from devices import services
from devices.admin.changelist import PerPageMixin
from devices.forms import CircuitBulkEditForm
from devices.models import Circuit


@admin.register(Circuit)
class CircuitAdmin(PerPageMixin, ModelAdmin):
    list_display = ["device", "area", "name", "fluid", "index", "usage", "load_type"]
    list_display_links = ["name"]
    list_filter = ["device__area", "fluid", "usage", "device"]
    search_fields = ["name", "device__name", "device__area__name"]
    search_help_text = _("Search by circuit, device or area name.")
    list_select_related = ["device__area", "fluid", "usage"]
    # Circuits of one device stay together, in the device's order (the manual groups them by colour).
    ordering = ["device__name", "device_id", "index"]
    fields = ["device", "index", "load_type", "name", "fluid", "usage"]
    readonly_fields = ["device", "index", "load_type"]
    actions = ["set_fluid_and_usage"]

    @display(description=_("area"), ordering="device__area__name")
    def area(self, circuit: Circuit):
        return circuit.device.area

    def save_model(self, request, obj, form, change):
        services.update_circuit(obj, **{field: form.cleaned_data[field] for field in form.changed_data})

    @admin.action(permissions=["change"], description=_("Set the fluid and usage of selected circuits"))
    def set_fluid_and_usage(self, request, queryset):
        form = CircuitBulkEditForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            changed = services.set_fluid_and_usage(queryset, **form.changes())
            self.message_user(request, ngettext("%(count)d circuit changed.", "%(count)d circuits changed.", changed)
                              % {"count": changed}, messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": ngettext("Set the fluid and usage of %(count)d circuit",
                              "Set the fluid and usage of %(count)d circuits", len(queryset)) % {"count": len(queryset)},
            "opts": self.opts,
            "form": form,
            "circuits": queryset,
            "action": "set_fluid_and_usage",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "devices/admin/circuit_bulk_edit.html", context)
