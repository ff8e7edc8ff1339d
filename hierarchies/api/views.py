"""GET /api/v1/consumption/ (DESIGN.md contract) and the hierarchies (§9.7): reading for every
profile that sees data, changes (through hierarchies/rules.py) for those who configure."""

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from devices.catalogue.precision import decimals
from devices.models import Circuit
from hierarchies import breakdown, rules
from hierarchies.api.serializers import (
    ConsumptionQuerySerializer,
    ConsumptionSerializer,
    HierarchySerializer,
    LinkSerializer,
    MemberSerializer,
)
from hierarchies.models import Hierarchy, Link, Member


def _numbers(values: np.ndarray) -> list[float | None]:
    return [None if np.isnan(v) else round(float(v), 6) for v in values]


def _refusal(error: ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


class ConsumptionView(APIView):
    @extend_schema(parameters=[ConsumptionQuerySerializer], responses=ConsumptionSerializer)
    def get(self, request):
        query = ConsumptionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        span = (q["start"], q["end"], q["step"])
        if q.get("hierarchy"):
            hierarchy = q["hierarchy"]
            unit = hierarchy.fluid.energy_unit or "kWh"
            result = (breakdown.by_usage(hierarchy, *span) if q["by"] == "usage"
                      else breakdown.by_load(hierarchy, *span, node=q.get("node")))
        else:
            circuits = Circuit.objects.select_related("device", "usage", "fluid").order_by("device__name", "index")
            if q.get("usage"):
                circuits = circuits.filter(usage=q["usage"], device__enabled=True)
            elif q.get("fluid"):
                circuits = circuits.filter(fluid=q["fluid"], device__enabled=True)
            else:
                circuits = circuits.filter(pk=q["circuit"].pk)
            circuits = list(circuits)
            unit = next((c.fluid.energy_unit for c in circuits if c.fluid and c.fluid.energy_unit), "kWh")
            result = breakdown.of_circuits(circuits, *span)
        return Response({
            # The unit's precision (precision.yaml): energy in whole kWh, as the meters count it.
            "unit": unit, "decimals": decimals("consumption", unit), "step": q["step"], "buckets": [b.isoformat() for b in result.buckets],
            "loads": [{"name": load.name, "kind": load.kind, "usage": load.usage, "values": _numbers(load.values)}
                      for load in result.loads],
            "total": round(result.total, 6),
        })


class HierarchyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """§9.7 hierarchies with their elements and links. Changes follow the rules of §9.7.1."""

    queryset = Hierarchy.objects.select_related("fluid").prefetch_related("members__circuit__device",
                                                                          "members__child", "links")
    serializer_class = HierarchySerializer
    pagination_class = None

    def perform_create(self, serializer):
        try:
            serializer.instance = rules.create_hierarchy(**serializer.validated_data)
        except ValidationError as error:
            raise _refusal(error) from None

    @extend_schema(request=MemberSerializer, responses={201: MemberSerializer})
    @action(detail=True, methods=["post"])
    def members(self, request, pk=None):
        """Add a node (kind node, name), a circuit (kind circuit, circuit) or a child hierarchy
        (kind hierarchy, child)."""
        hierarchy = self.get_object()
        data = MemberSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        position = {"x": values.get("x", 0), "y": values.get("y", 0)}
        try:
            if values["kind"] == Member.Kind.NODE:
                member = rules.add_node(hierarchy, name=values.get("name", ""), **position)
            elif values["kind"] == Member.Kind.CIRCUIT and values.get("circuit"):
                member = rules.add_circuit(hierarchy, values["circuit"], **position)
            elif values["kind"] == Member.Kind.HIERARCHY and values.get("child"):
                member = rules.add_child(hierarchy, values["child"], **position)
            else:
                raise ValidationError({"kind": "Give a node's name, a circuit or a child hierarchy."})
        except ValidationError as error:
            raise _refusal(error) from None
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LinkSerializer, responses={201: LinkSerializer})
    @action(detail=True, methods=["post"])
    def links(self, request, pk=None):
        """Link two elements in the direction of the energy flow (source feeds target)."""
        hierarchy = self.get_object()
        data = LinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        source, target = data.validated_data["source"], data.validated_data["target"]
        if source.hierarchy_id != hierarchy.pk:
            raise serializers.ValidationError({"source": ["This element is not in the hierarchy."]})
        try:
            created = rules.link(source, target)
        except ValidationError as error:
            raise _refusal(error) from None
        return Response(LinkSerializer(created).data, status=status.HTTP_201_CREATED)


class MemberViewSet(mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Rename a node or move an element (name, x, y); remove an element with its links."""

    queryset = Member.objects.all()
    serializer_class = MemberSerializer

    @transaction.atomic
    def perform_update(self, serializer):
        member = serializer.instance
        values = serializer.validated_data
        try:
            if "name" in values and values["name"] != member.name:
                rules.rename_node(member, values["name"])
        except ValidationError as error:
            raise _refusal(error) from None
        for field in ("x", "y"):
            if field in values:
                setattr(member, field, values[field])
        member.save(update_fields=["x", "y"])

    def perform_destroy(self, instance):
        try:
            rules.remove(instance)
        except ValidationError as error:
            raise _refusal(error) from None


class LinkViewSet(mixins.DestroyModelMixin, viewsets.GenericViewSet):
    queryset = Link.objects.all()
    serializer_class = LinkSerializer
