"""Usages tab (§9.6.5), and the areas and fluids circuits are grouped by."""

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as delete_selected_after_confirmation
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import display

from devices.models import Area, Fluid, Usage
from devices.predefined import FLUIDS


class PredefinedReadOnlyAdmin(ModelAdmin):
    """Rows the gateway comes with are shown, not changed or deleted (their names follow the
    reader's language); rows the user added are fully editable."""

    actions = ["delete_selected"]
    predefined_refusal = ""

    def is_predefined(self, obj) -> bool:
        """Whether ``obj`` came with the gateway; each admin below says how it knows."""
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and self.is_predefined(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and self.is_predefined(obj))

    @admin.action(permissions=["delete"], description=_("Delete selected rows"))
    def delete_selected(self, request, queryset):
        predefined = [str(obj) for obj in queryset if self.is_predefined(obj)]
        if predefined:
            self.message_user(request, self.predefined_refusal % {"names": ", ".join(predefined)}, messages.ERROR)
            return None
        return delete_selected_after_confirmation(self, request, queryset)


@admin.register(Usage)
class UsageAdmin(PredefinedReadOnlyAdmin):
    list_display = ["display_name", "external_key", "predefined"]
    list_filter = ["predefined"]
    search_fields = ["name", "external_key"]
    fields = ["name", "external_key"]
    predefined_refusal = _("Predefined usages cannot be deleted: %(names)s. Unselect them and try again.")

    def is_predefined(self, usage: Usage) -> bool:
        return usage.predefined

    @display(description=_("usage name"), ordering="name")
    def display_name(self, usage: Usage) -> str:
        return str(usage)


@admin.register(Fluid)
class FluidAdmin(PredefinedReadOnlyAdmin):
    list_display = ["display_name", "key", "energy_unit"]
    search_fields = ["name", "key"]
    fields = ["key", "name", "energy_unit"]
    predefined_refusal = _("Predefined fluids cannot be deleted: %(names)s. Unselect them and try again.")

    def is_predefined(self, fluid: Fluid) -> bool:
        return fluid.key in FLUIDS

    @display(description=_("name"), ordering="name")
    def display_name(self, fluid: Fluid) -> str:
        return str(fluid)


@admin.register(Area)
class AreaAdmin(ModelAdmin):
    list_display = ["name", "device_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(device_count=Count("devices"))

    @display(description=_("sources"), ordering="device_count")
    def device_count(self, area: Area) -> int:
        return area.device_count
