import django_filters
from django.utils.translation import gettext_lazy as _

from devices.models import Area, Circuit, Device, Fluid, Usage


class DeviceFilterSet(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all())

    class Meta:
        model = Device
        fields = ["area", "reference", "enabled", "protocol"]


class CircuitFilterSet(django_filters.FilterSet):
    device = django_filters.ModelChoiceFilter(queryset=Device.objects.all())
    area = django_filters.ModelChoiceFilter(field_name="device__area", queryset=Area.objects.all())
    # ?fluid=null / ?usage=null: the circuits still "Undefined" (§9.6.4).
    fluid = django_filters.ModelChoiceFilter(queryset=Fluid.objects.all(), null_label=_("Undefined"))
    usage = django_filters.ModelChoiceFilter(queryset=Usage.objects.all(), null_label=_("Undefined"))

    class Meta:
        model = Circuit
        fields = ["device", "area", "fluid", "usage"]
