"""Settings forms of §9.6 that are not a model's own form."""

import json
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import BLANK_CHOICE_DASH
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from unfold.widgets import UnfoldAdminSelectWidget, UnfoldAdminTextInputWidget

from devices.catalogue import catalogue
from devices.custom_maps import CUSTOM_REFERENCE
from devices.models import CUSTOM_MAP_HELP, CustomRegisterMap, Device, Fluid, Usage

# What adding a source asks besides its reference and area (§9.6.2), as the model defines them.
ADD_DEVICE_FIELDS = ["name", "protocol", "host", "port", "serial_port", "unit_id", "poll_seconds",
                     "integration_minutes", "timeout_seconds", "retries"]


def reference_choices() -> list:
    """Catalogue references grouped by family, as the manual's list of supported devices, then
    "Custom" for a device read with a user-defined register map."""
    families = [(family.label, [(reference.reference, reference.label) for reference in family.references])
                for family in catalogue().families.values()]
    custom = (_("Not in the catalogue"), [(CUSTOM_REFERENCE, _("Custom: a register map of your own"))])
    return [*BLANK_CHOICE_DASH, *families, custom]


class DeviceAddForm(forms.Form):
    """§9.6.2: the reference and the fields of a new source. Only the shape of each value is
    checked here; devices.services.add_device decides the rest and creates the device."""

    reference = forms.ChoiceField(label=capfirst(_("reference")), choices=reference_choices,
                                  widget=UnfoldAdminSelectWidget)
    # Hidden for gateways (devices/js/custom_map_field.js); the service refuses a Custom device
    # without a map and a gateway with one.
    custom_map = forms.ModelChoiceField(label=capfirst(_("register map")), queryset=CustomRegisterMap.objects.all(),
                                        required=False, widget=UnfoldAdminSelectWidget, help_text=CUSTOM_MAP_HELP)
    area = forms.CharField(label=capfirst(_("area")), max_length=64, required=False, widget=UnfoldAdminTextInputWidget,
                           help_text=_("An existing area's name, or a new one to create."))

    class Media:
        js = ["devices/js/custom_map_field.js"]

    def __init__(self, *args, formfield_callback: Callable | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        model_fields = forms.fields_for_model(Device, fields=ADD_DEVICE_FIELDS, formfield_callback=formfield_callback)
        own = dict(self.fields)
        self.fields = {"reference": own["reference"], "custom_map": own["custom_map"], "name": model_fields.pop("name"),
                       "area": own["area"], **model_fields}
        self.fields["custom_map"].widget.attrs["data-gateways"] = json.dumps(catalogue().gateway_references)

    def add_service_errors(self, error: ValidationError) -> None:
        """Show the service's refusal beside the fields at fault (the rest above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages in error.message_dict.items():
            self.add_error(field if field in self.fields else None, messages)


KEEP = "keep"
UNDEFINED = "undefined"


def _bulk_choices(model) -> Callable[[], list]:
    def choices() -> list:
        return [(KEEP, _("Keep as it is")), (UNDEFINED, _("Undefined")),
                *((str(obj.pk), str(obj)) for obj in model.objects.all())]

    return choices


class CircuitBulkEditForm(forms.Form):
    """§9.6.4 item 8: the fluid and usage of several circuits at once."""

    fluid = forms.ChoiceField(label=capfirst(_("fluid")), choices=_bulk_choices(Fluid), initial=KEEP,
                              widget=UnfoldAdminSelectWidget)
    usage = forms.ChoiceField(label=capfirst(_("usage")), choices=_bulk_choices(Usage), initial=KEEP,
                              widget=UnfoldAdminSelectWidget)

    def clean(self) -> dict:
        cleaned = super().clean()
        for field, model in (("fluid", Fluid), ("usage", Usage)):
            value = cleaned.get(field)
            if value not in (None, KEEP, UNDEFINED):
                cleaned[field] = model.objects.filter(pk=value).first()
                if cleaned[field] is None:
                    self.add_error(field, _("This choice was deleted meanwhile; choose again."))
        return cleaned

    def changes(self) -> dict:
        """The fields to set, as service arguments: an instance, or None for undefined."""
        return {field: (None if value == UNDEFINED else value)
                for field, value in self.cleaned_data.items() if value != KEEP}
