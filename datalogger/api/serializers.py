from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from devices.catalogue import catalogue
from devices.models import Circuit

MAX_POINTS = 5000


class TrendsQuerySerializer(serializers.Serializer):
    circuit = serializers.PrimaryKeyRelatedField(queryset=Circuit.objects.all())
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
    period_minutes = serializers.IntegerField(allow_null=True, help_text=_("The integration period of the data."))
    bucket_seconds = serializers.IntegerField(allow_null=True, help_text=_("The width of each bucket."))
    points = serializers.ListField(child=serializers.ListField(),
                                   help_text=_("[start of the bucket (ISO 8601), min, avg, max]; a bucket without "
                                               "data is left out."))
