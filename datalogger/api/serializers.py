from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from devices.catalogue import catalogue
from devices.models import Circuit

MAX_POINTS = 5000


class TrendsQuerySerializer(serializers.Serializer):
    circuit = serializers.PrimaryKeyRelatedField(queryset=Circuit.objects.select_related("device"))
    quantity = serializers.CharField(help_text=_("A quantity code, e.g. P or EA_IMP."))
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    points = serializers.IntegerField(min_value=1, max_value=MAX_POINTS, default=1000,
                                      help_text=_("The most buckets to return."))

    def validate_quantity(self, value: str) -> str:
        if value not in catalogue().quantities:
            raise serializers.ValidationError(_("Unknown quantity code %(code)s.") % {"code": value})
        return value

    def validate(self, attrs: dict) -> dict:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": _("The end must come after the start.")})
        return attrs


class TrendsSerializer(serializers.Serializer):
    circuit = serializers.IntegerField()
    quantity = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    decimals = serializers.IntegerField(help_text=_("How many decimals to show for this quantity."))
    label = serializers.CharField(help_text=_("The quantity's name, in the reader's language."))
    circuit_name = serializers.CharField(help_text=_("Device : circuit."))
    period_minutes = serializers.IntegerField(allow_null=True, help_text=_("The integration period of the data."))
    bucket_seconds = serializers.IntegerField(allow_null=True, help_text=_("The width of each bucket."))
    points = serializers.ListField(child=serializers.ListField(),
                                   help_text=_("[start of the bucket (ISO 8601 with the site's offset), min, avg, "
                                               "max]; a bucket without data is left out."))


MAX_CURVES = 20
RENDERING_MODES = ("single", "stacked")


class CurveSerializer(serializers.Serializer):
    circuit = serializers.PrimaryKeyRelatedField(queryset=Circuit.objects.all())
    quantity = serializers.CharField()

    def validate_quantity(self, value: str) -> str:
        if value not in catalogue().quantities:
            raise serializers.ValidationError(_("Unknown quantity code %(code)s.") % {"code": value})
        return value

    def to_representation(self, instance: dict) -> dict:
        circuit = instance["circuit"]
        return {"circuit": circuit.pk if isinstance(circuit, Circuit) else circuit, "quantity": instance["quantity"]}


class OptionsSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=RENDERING_MODES, default="single",
                                   help_text=_("single: every curve on one graph; stacked: a graph per unit."))
    auto_scale = serializers.BooleanField(default=False, help_text=_("Fit the scale to the data instead of from 0."))
    table = serializers.BooleanField(default=False, help_text=_("Show the data table."))


# The keys of §7.3's predefined periods (webview.navigation.PERIODS, which this app may not import:
# a test keeps both lists equal).
PERIOD_KEYS = ("today", "yesterday", "this_week", "last_week", "this_month", "last_month", "this_year",
               "last_year", "custom")


class PeriodSerializer(serializers.Serializer):
    """A favourite's time period: a predefined one by its key, or custom dates."""

    period = serializers.ChoiceField(choices=PERIOD_KEYS)
    start = serializers.DateTimeField(required=False, help_text=_("With custom: the start (ISO 8601 with offset)."))
    end = serializers.DateTimeField(required=False, help_text=_("With custom: the end (ISO 8601 with offset)."))

    def validate(self, attrs: dict) -> dict:
        if attrs["period"] != "custom":
            return {"period": attrs["period"]}  # relative: dates would be stale tomorrow
        if "start" not in attrs or "end" not in attrs:
            raise serializers.ValidationError({"start": _("Custom dates need a start and an end.")})
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": _("The end must come after the start.")})
        return attrs

    def to_representation(self, instance: dict) -> dict:
        return super().to_representation(instance) if instance else {}


class FavouriteSerializer(serializers.Serializer):
    """§7.4: a Trends selection kept for the signed-in profile."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=128, required=False, allow_blank=True, default="")
    selection = CurveSerializer(many=True)
    options = OptionsSerializer(required=False, default=dict)
    period = PeriodSerializer(required=False, default=dict)

    def validate_selection(self, value: list) -> list:
        if not value:
            raise serializers.ValidationError(_("Choose at least one curve."))
        if len(value) > MAX_CURVES:
            raise serializers.ValidationError(_("At most %(count)d curves.") % {"count": MAX_CURVES})
        return [{"circuit": curve["circuit"].pk, "quantity": curve["quantity"]} for curve in value]

    def validate_period(self, value: dict) -> dict:
        # Stored as JSON: instants as ISO strings with their offsets.
        return {key: item.isoformat() if hasattr(item, "isoformat") else item for key, item in value.items()}
