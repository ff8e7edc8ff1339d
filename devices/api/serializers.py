from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from devices.models import CUSTOM_MAP_HELP, Area, Circuit, CustomRegisterMap, Device, Fluid, Usage


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["id", "name"]
        read_only_fields = fields


class FluidSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True, help_text=_("In the reader's language."))

    class Meta:
        model = Fluid
        fields = ["id", "key", "name", "energy_unit"]
        read_only_fields = fields


class UsageSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True,
                                 help_text=_("Predefined usages in the reader's language, custom ones as written."))

    class Meta:
        model = Usage
        fields = ["id", "name", "external_key", "predefined"]
        read_only_fields = fields


class UsageCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    external_key = serializers.CharField(max_length=64, help_text=_("The key EMS files carry for this usage."))


class BriefSerializer(serializers.Serializer):
    """A related object as ``{"id", "name"}``."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class DeviceCircuitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Circuit
        fields = ["id", "index", "name"]
        read_only_fields = fields


class DeviceSerializer(serializers.ModelSerializer):
    area = BriefSerializer(allow_null=True)
    circuits = DeviceCircuitSerializer(many=True)

    class Meta:
        model = Device
        fields = ["id", "reference", "name", "area", "protocol", "host", "port", "serial_port", "unit_id", "gateway",
                  "poll_seconds", "integration_minutes", "timeout_seconds", "retries", "network_type", "enabled",
                  "circuits"]
        read_only_fields = fields


class DeviceCreateSerializer(serializers.Serializer):
    """What ``POST /api/v1/devices/`` takes; devices.services.add_device checks the rest
    (known reference, Modbus address 1-247 and free, an IP address for Modbus TCP...)."""

    reference = serializers.CharField(max_length=32,
                                      help_text=_("A catalogue reference as the manual names it: A-40, I-35..."))
    name = serializers.CharField(max_length=64)
    area = serializers.CharField(max_length=64, required=False, allow_blank=True, help_text=_("Created if new."))
    protocol = serializers.ChoiceField(choices=Device.Protocol.choices, required=False)
    host = serializers.CharField(max_length=255, required=False, allow_blank=True)
    port = serializers.IntegerField(required=False)
    serial_port = serializers.CharField(max_length=128, required=False, allow_blank=True)
    unit_id = serializers.IntegerField(help_text=_("Modbus address, 1-247."))
    poll_seconds = serializers.FloatField(required=False)
    integration_minutes = serializers.IntegerField(required=False)
    timeout_seconds = serializers.FloatField(required=False)
    retries = serializers.IntegerField(required=False)
    gateway = serializers.PrimaryKeyRelatedField(queryset=Device.objects.all(), required=False, allow_null=True,
                                                 help_text=_("The gateway this device is reached through."))
    custom_map = serializers.PrimaryKeyRelatedField(queryset=CustomRegisterMap.objects.all(), required=False,
                                                    allow_null=True, help_text=CUSTOM_MAP_HELP)


class DeviceUpdateSerializer(serializers.Serializer):
    """What ``PATCH /api/v1/devices/{id}/`` may change; the reference and the map stay."""

    name = serializers.CharField(max_length=64, required=False)
    area = serializers.CharField(max_length=64, required=False, allow_blank=True, help_text=_("Created if new."))
    host = serializers.CharField(max_length=255, required=False, allow_blank=True)
    port = serializers.IntegerField(required=False)
    unit_id = serializers.IntegerField(required=False)
    enabled = serializers.BooleanField(required=False)
    poll_seconds = serializers.FloatField(required=False)
    integration_minutes = serializers.IntegerField(required=False)
    timeout_seconds = serializers.FloatField(required=False)
    retries = serializers.IntegerField(required=False)


class CircuitSerializer(serializers.ModelSerializer):
    device_name = serializers.CharField(source="device.name", read_only=True)
    area = BriefSerializer(source="device.area", allow_null=True, read_only=True)
    fluid = BriefSerializer(allow_null=True, read_only=True)
    usage = BriefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Circuit
        fields = ["id", "device", "device_name", "area", "index", "name", "fluid", "usage", "load_type"]
        read_only_fields = fields


class CircuitEditSerializer(serializers.Serializer):
    """What ``PATCH /api/v1/circuits/{id}/`` changes (§9.6.4): fluid and usage by id, null for undefined."""

    name = serializers.CharField(max_length=64, required=False)
    fluid = serializers.PrimaryKeyRelatedField(queryset=Fluid.objects.all(), allow_null=True, required=False)
    usage = serializers.PrimaryKeyRelatedField(queryset=Usage.objects.all(), allow_null=True, required=False)


class LiveCircuitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    index = serializers.IntegerField()
    name = serializers.CharField()
    values = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                   help_text=_("By quantity code; device-wide values (e.g. F) in every circuit."))


class LiveSerializer(serializers.Serializer):
    """The ``live/`` shape of the public contract (also sent on /ws/live/)."""

    device = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["online", "offline"])
    reason = serializers.CharField(allow_blank=True,
                                   help_text=_("Why offline: timeout, connection refused, not polled yet..."))
    timestamp = serializers.DateTimeField(allow_null=True,
                                          help_text=_("Time of the values; null before the first good poll."))
    circuits = LiveCircuitSerializer(many=True)


class ScanFoundSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField(help_text=_("Modbus address"))
    product_name = serializers.CharField(allow_blank=True, help_text=_("As the device's identification registers say."))
    reference = serializers.CharField(allow_blank=True, help_text=_("The catalogue reference it was identified as."))
    device = serializers.IntegerField(allow_null=True, help_text=_("The source added for it, if any."))
    outcome = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class ScanStatusSerializer(serializers.Serializer):
    """Where a gateway's topology scan stands (autodetect, §9.6.3 item 14)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=["queued", "scanning", "finished", "failed"])
    message = serializers.CharField()
    done = serializers.IntegerField(help_text=_("Modbus addresses read so far."))
    total = serializers.IntegerField(help_text=_("Modbus addresses to read."))
    found = ScanFoundSerializer(many=True)
