"""Register maps tab: a device the catalogue does not know is described by a user-defined map
(its reference is then "Custom"). The map and its registers are saved only when the catalogue's
own validation accepts them together (devices/custom_maps.py)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import display

from devices.admin.changelist import PerPageMixin
from devices.catalogue import CatalogueError
from devices.custom_maps import build_register_map
from devices.models import CustomRegister, CustomRegisterMap

MAP_FIELDS = ("name", "function", "max_registers", "word_order", "circuit_stride", "circuits", "note")
REGISTER_FIELDS = ("code", "address", "type", "scale", "word_order", "scope", "not_available")


class RegisterFormSet(BaseInlineFormSet):
    """Each register is checked by its own form; the whole map (overlaps, a quantity twice, reads
    larger than the device accepts...) here, with the map's fields as the main form left them."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return  # a register's own fault is shown beside it first
        registers = [{field: form.cleaned_data[field] for field in REGISTER_FIELDS} for form in self.forms
                     if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        try:
            build_register_map(**{field: getattr(self.instance, field) for field in MAP_FIELDS},
                               registers=registers, reset=self.instance.reset)
        except CatalogueError as error:
            raise ValidationError(gettext("This register map cannot be read: %(reason)s. Correct it and save "
                                          "again.") % {"reason": error}, code="invalid_map") from None


class CustomRegisterInline(TabularInline):
    model = CustomRegister
    formset = RegisterFormSet
    fields = list(REGISTER_FIELDS)
    extra = 1


@admin.register(CustomRegisterMap)
class CustomRegisterMapAdmin(PerPageMixin, ModelAdmin):
    list_display = ["name", "function", "register_count", "circuits", "device_count"]
    search_fields = ["name", "note"]
    search_help_text = _("Search by name or note.")
    fields = [*MAP_FIELDS, "reset_address", "reset_value"]
    inlines = [CustomRegisterInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(register_count=Count("registers", distinct=True),
                                                      device_count=Count("devices", distinct=True))

    @display(description=_("registers"), ordering="register_count")
    def register_count(self, custom_map: CustomRegisterMap) -> int:
        return custom_map.register_count

    @display(description=_("sources"), ordering="device_count")
    def device_count(self, custom_map: CustomRegisterMap) -> int:
        return custom_map.device_count
