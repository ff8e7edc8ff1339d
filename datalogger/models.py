"""Datalogger storage (§9.9): per integration period and per circuit and quantity, the average,
minimum and maximum of the measurements, the energy index and the energy consumed.

A series is one (device, circuit, quantity, statistic). Its points live in two tables: the
open day as one row per point (HotPoint, composite key (series, ts): a retried write is a
no-op), and each closed day packed into one block (DayBlock: ~5 bytes a point for float32,
~9 for the float64 energy indexes), compacted by a beat task. Readers join both."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from devices.models import Device


class Quality(models.IntegerChoices):
    """Carried by every point, for the EMS export (annex II)."""

    GOOD = 0, _("good")
    ESTIMATED = 1, _("estimated")  # e.g. the consumption of a period after a gap or a counter reset
    MISSING = 2, _("missing")  # a gap: never a zero


class Series(models.Model):
    class Stat(models.TextChoices):
        AVG = "avg", _("average")
        MIN = "min", _("minimum")
        MAX = "max", _("maximum")
        INDEX = "index", _("energy index")  # the counter at the end of the period
        DELTA = "delta", _("energy consumed")  # in the period, resets and rollovers handled

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="series")
    circuit_index = models.PositiveSmallIntegerField(help_text=_("0: a device-wide quantity, such as F"))
    code = models.CharField(max_length=32)
    stat = models.CharField(max_length=8, choices=Stat.choices)
    period_minutes = models.PositiveSmallIntegerField()
    # The watermark, written in the same transaction as the points it describes: the start of
    # the last period stored, and for an index the counter then (the next delta starts there).
    last_ts = models.DateTimeField(null=True, blank=True)
    last_value = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        constraints = [models.UniqueConstraint(fields=["device", "circuit_index", "code", "stat"],
                                               name="one_series_per_quantity_and_stat")]

    def __str__(self) -> str:
        return f"{self.device_id}/{self.circuit_index}/{self.code}/{self.stat}"

    @property
    def is_energy(self) -> bool:
        return self.stat in (self.Stat.INDEX, self.Stat.DELTA)


class HotPoint(models.Model):
    """A point of the open day (and of any day not compacted yet)."""

    pk = models.CompositePrimaryKey("series", "ts")
    series = models.ForeignKey(Series, on_delete=models.CASCADE)
    ts = models.DateTimeField(help_text=_("Start of the integration period (UTC)."))
    value = models.FloatField()
    quality = models.PositiveSmallIntegerField(choices=Quality.choices, default=Quality.GOOD)


class DayBlock(models.Model):
    """One closed UTC day of one series: slot i holds the period starting i periods after
    midnight UTC; NaN is a gap. Quality bytes only when some point is not good."""

    pk = models.CompositePrimaryKey("series", "day")
    series = models.ForeignKey(Series, on_delete=models.CASCADE)
    day = models.DateField()
    period_minutes = models.PositiveSmallIntegerField()
    data = models.BinaryField()  # the values, little-endian float32 or float64
    quality = models.BinaryField(null=True, blank=True)
    # The day's hourly rollup (codec.rollup), so that a year is read from a row per day without
    # the blocks: for a consumption series the sum of each UTC hour (a year of consumption by
    # day, week or month, in any whole-hour time zone); for a minimum, average or maximum the
    # hour's own reduction and point count (Trends over long ranges); none for an index.
    hourly = models.BinaryField(null=True, blank=True)


class Favourite(models.Model):
    """§7.4: a Trends selection saved by a profile, with its name and title."""

    profile = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=128, blank=True)
    # [{"circuit": id, "quantity": CODE}, ...] and the rendering options (mode, auto scale, table).
    selection = models.JSONField(_("selection"))
    options = models.JSONField(_("options"), default=dict, blank=True)
    # The time period shown when it was saved (§7.3): {"period": "last_week"}, relative to the
    # day it is opened, or {"period": "custom", "start": ISO, "end": ISO}; empty: keep the pane's.
    period = models.JSONField(_("time period"), default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["profile", "name"], name="one_favourite_name_per_profile",
                                               violation_error_message=_("You already have a favourite of this name."))]

    def __str__(self) -> str:
        return self.name
