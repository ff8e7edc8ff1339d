"""GET /api/v1/trends/ (DESIGN.md contract): a circuit's quantity over a time range, reduced on
the server to at most ``points`` buckets of [start, min, avg, max]."""

from datetime import UTC, datetime

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from datalogger import selectors, summary
from datalogger.api.serializers import FavouriteSerializer, TrendsQuerySerializer, TrendsSerializer
from datalogger.models import Favourite
from devices.catalogue import catalogue
from devices.catalogue.precision import decimals


def _iso(moment: np.datetime64) -> str:
    """ISO-8601 with the site's offset (DESIGN.md: one clock, the site's; the API speaks ISO with offsets)."""
    seconds = int(moment.astype("datetime64[s]").astype(np.int64))
    return timezone.localtime(datetime.fromtimestamp(seconds, UTC)).isoformat()


def _number(value: float) -> float | None:
    return None if np.isnan(value) else round(float(value), 6)


class TrendsView(APIView):
    @extend_schema(parameters=[TrendsQuerySerializer], responses=TrendsSerializer)
    def get(self, request):
        query = TrendsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        circuit, code = query.validated_data["circuit"], query.validated_data["quantity"]
        start, end = query.validated_data["start"], query.validated_data["end"]
        quantity = catalogue().quantities[code]
        body = {"circuit": circuit.pk, "quantity": code, "unit": quantity.unit, "decimals": decimals(code),
                "label": quantity.translated,
                "circuit_name": selectors.circuit_label(circuit),
                "period_minutes": None, "bucket_seconds": None, "points": []}
        found = selectors.trend_series(circuit, code)
        if found is not None:
            low, mean, high = found
            width, buckets = summary.summarise(low, mean, high, start, end, query.validated_data["points"])
            body.update(period_minutes=mean.period_minutes, bucket_seconds=width, points=[
                [_iso(ts), _number(lo), _number(avg), _number(hi)]
                for ts, lo, avg, hi in zip(buckets.start, buckets.low, buckets.mean, buckets.high)])
        return Response(body)


class FavouriteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """§7.4 favourites of Trends: each profile sees and changes its own only."""

    serializer_class = FavouriteSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular inspecting, nobody signed in
            return Favourite.objects.none()
        return Favourite.objects.filter(profile=self.request.user)

    def perform_create(self, serializer):
        self._saved(lambda: Favourite.objects.create(profile=self.request.user, **serializer.validated_data),
                    serializer)

    def perform_update(self, serializer):
        def update():
            for field, value in serializer.validated_data.items():
                setattr(serializer.instance, field, value)
            serializer.instance.save()
            return serializer.instance

        self._saved(update, serializer)

    @staticmethod
    def _saved(save, serializer) -> None:
        try:
            with transaction.atomic():
                serializer.instance = save()
        except IntegrityError:
            raise serializers.ValidationError({"name": [_("You already have a favourite of this name.")]}) from None
