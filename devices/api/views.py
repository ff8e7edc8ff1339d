"""Thin API views over §9.6's topology: validate, call a service or a selector, serialise.
Who may call what (reading: View data; writing: Configure) is in cybersecurity/permissions.py."""

from functools import partial

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import SearchFilter
from rest_framework.response import Response

from devices import commands, scan_progress, selectors, services, tasks
from devices.api.filters import CircuitFilterSet, DeviceFilterSet
from devices.api.serializers import (
    AreaSerializer,
    CircuitEditSerializer,
    CircuitSerializer,
    DeviceCreateSerializer,
    DeviceSerializer,
    DeviceUpdateSerializer,
    FluidSerializer,
    LiveSerializer,
    ScanStatusSerializer,
    UsageCreateSerializer,
    UsageSerializer,
)
from devices.models import Area, Device, Fluid, Usage


class DeviceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Sources (§9.6.1): list, add (with the reference's circuits), delete (never a gateway), live values."""

    queryset = selectors.devices_with_circuits()
    serializer_class = DeviceSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_class = DeviceFilterSet
    search_fields = ["name", "host"]

    @extend_schema(request=DeviceCreateSerializer, responses={201: DeviceSerializer})
    def create(self, request):
        serializer = DeviceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = services.add_device(**serializer.validated_data)
        device = self.get_queryset().get(pk=device.pk)
        return Response(DeviceSerializer(device).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DeviceUpdateSerializer, responses=DeviceSerializer)
    def partial_update(self, request, pk=None):
        serializer = DeviceUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        device = services.update_device(self.get_object(), **serializer.validated_data)
        return Response(DeviceSerializer(self.get_queryset().get(pk=device.pk)).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        services.delete_devices(Device.objects.filter(pk=self.get_object().pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=LiveSerializer, filters=False)
    @action(detail=True, filter_backends=[])
    def live(self, request, pk=None):
        return Response(selectors.live_of(self.get_object()))

    @extend_schema(request=None, responses={202: ScanStatusSerializer, 200: ScanStatusSerializer}, filters=False)
    @action(detail=True, methods=["get", "post"], url_path="import-topology", filter_backends=[])
    def import_topology(self, request, pk=None):
        """POST: find and add the devices behind this gateway, in the background (202). GET: where
        the last scan stands (queued, scanning, finished or failed, with the devices found)."""
        gateway = self.get_object()
        if not gateway.is_gateway:
            return Response({"detail": _("%(device)s is not a gateway.") % {"device": gateway}},
                            status=status.HTTP_400_BAD_REQUEST)
        if request.method == "GET":
            return Response(scan_progress.status_of(gateway))
        scan_progress.queued(gateway.pk)
        transaction.on_commit(partial(tasks.import_topology.delay, gateway.pk))
        return Response(scan_progress.status_of(gateway), status=status.HTTP_202_ACCEPTED)


    @extend_schema(request=None, responses={200: None, 400: None, 403: None}, filters=False)
    @action(detail=True, methods=["post"], url_path="reset-counters", filter_backends=[])
    def reset_counters(self, request, pk=None):
        """§5 reset of counters: writes the device's documented reset over Modbus, when the
        security policy allows Modbus write; audited."""
        device = self.get_object()
        try:
            commands.reset_counters(device, profile=request.user, request=request, channel="api")
        except DjangoPermissionDenied as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as refusal:
            return Response({"detail": " ".join(refusal.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": _("The counters of %(device)s were reset.") % {"device": device}})


class CircuitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Measurement circuits (§9.6.4); a circuit's name, fluid and usage can be changed."""

    queryset = selectors.circuits_with_relations()
    serializer_class = CircuitSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_class = CircuitFilterSet
    search_fields = ["name", "device__name", "device__area__name"]

    @extend_schema(request=CircuitEditSerializer, responses=CircuitSerializer)
    def partial_update(self, request, pk=None):
        circuit = self.get_object()
        serializer = CircuitEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_circuit(circuit, **serializer.validated_data)
        return Response(CircuitSerializer(circuit).data)


class UsageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Usages (§9.6.5): the predefined ones and custom ones, which can be added."""

    queryset = Usage.objects.all()
    serializer_class = UsageSerializer
    filterset_fields = ["predefined"]

    @extend_schema(request=UsageCreateSerializer, responses={201: UsageSerializer})
    def create(self, request):
        serializer = UsageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        usage = services.add_usage(**serializer.validated_data)
        return Response(UsageSerializer(usage).data, status=status.HTTP_201_CREATED)


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Area.objects.all()
    serializer_class = AreaSerializer


class FluidViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Fluid.objects.all()
    serializer_class = FluidSerializer
