from datetime import timedelta

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from datalogger.consumption import STEPS
from devices.models import Circuit, Fluid, Usage
from hierarchies.models import Hierarchy, Link, Member


def auto_step(start, end) -> str:
    """§7.3 auto resolution: about a dozen to a few dozen bars whatever the period."""
    span = end - start
    if span > timedelta(days=62):
        return "month"
    if span > timedelta(days=14):
        return "week"
    if span > timedelta(days=2):
        return "day"
    return "hour"


class ConsumptionQuerySerializer(serializers.Serializer):
    hierarchy = serializers.PrimaryKeyRelatedField(queryset=Hierarchy.objects.all(), required=False)
    node = serializers.PrimaryKeyRelatedField(queryset=Member.objects.all(), required=False,
                                              help_text=_("With hierarchy: the node to break down (drill-down)."))
    usage = serializers.PrimaryKeyRelatedField(queryset=Usage.objects.all(), required=False)
    fluid = serializers.SlugRelatedField(slug_field="key", queryset=Fluid.objects.all(), required=False)
    circuit = serializers.PrimaryKeyRelatedField(queryset=Circuit.objects.select_related("device", "usage"),
                                                 required=False)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    step = serializers.ChoiceField(choices=[*STEPS, "auto"], default="auto")
    by = serializers.ChoiceField(choices=["load", "usage"], default="load",
                                 help_text=_("With hierarchy: the breakdown by load or by usage."))

    MAX_BUCKETS = 2000

    def validate(self, attrs: dict) -> dict:
        chosen = [key for key in ("hierarchy", "usage", "fluid", "circuit") if attrs.get(key) is not None]
        if len(chosen) != 1:
            raise serializers.ValidationError(
                {"hierarchy": _("Give exactly one of hierarchy, usage, fluid or circuit.")})
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": _("The end must come after the start.")})
        if attrs.get("node") is not None and attrs["node"].hierarchy_id != getattr(attrs.get("hierarchy"), "pk", None):
            raise serializers.ValidationError({"node": _("This node is not in the hierarchy.")})
        if attrs["step"] == "auto":
            attrs["step"] = auto_step(attrs["start"], attrs["end"])
        per_bucket = {"month": 28 * 86400, "week": 7 * 86400, "day": 86400, "hour": 3600, "minute": 60}
        if (attrs["end"] - attrs["start"]).total_seconds() / per_bucket[attrs["step"]] > self.MAX_BUCKETS:
            raise serializers.ValidationError({"step": _("Too many buckets for this period: choose a longer step.")})
        return attrs


class LoadSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["circuit", "node", "non_measured"])
    usage = serializers.CharField(allow_blank=True)
    values = serializers.ListField(child=serializers.FloatField(allow_null=True))


class ConsumptionSerializer(serializers.Serializer):
    unit = serializers.CharField()
    decimals = serializers.IntegerField(help_text=_("How many decimals to show for this unit."))
    step = serializers.CharField()
    buckets = serializers.ListField(child=serializers.DateTimeField())
    loads = LoadSerializer(many=True)
    total = serializers.FloatField()


class MemberSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "kind", "name", "circuit", "child", "x", "y", "label"]


class LinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Link
        fields = ["id", "source", "target"]


class HierarchySerializer(serializers.ModelSerializer):
    fluid = serializers.SlugRelatedField(slug_field="key", queryset=Fluid.objects.all())
    members = MemberSerializer(many=True, read_only=True)
    links = LinkSerializer(many=True, read_only=True)

    class Meta:
        model = Hierarchy
        fields = ["id", "name", "fluid", "members", "links"]
