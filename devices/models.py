"""Sources, circuits, usages, areas and fluids of manual §9.6."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from devices.catalogue import CatalogueError, catalogue
from devices.predefined import FLUIDS, USAGES


class Area(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Fluid(models.Model):
    """A utility (§9.7: a hierarchy has one fluid)."""

    key = models.SlugField(_("key"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    energy_unit = models.CharField(_("energy unit"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("fluid")
        verbose_name_plural = _("fluids")
        ordering = ["id"]

    def __str__(self) -> str:
        return str(FLUIDS[self.key][0]) if self.key in FLUIDS else self.name


class Usage(models.Model):
    """§9.6.5: predefined usages with their external keys, plus custom ones."""

    name = models.CharField(_("usage name"), max_length=64, unique=True)
    external_key = models.CharField(_("external key"), max_length=64, unique=True)
    predefined = models.BooleanField(_("predefined"), default=False, editable=False)

    class Meta:
        verbose_name = _("usage")
        verbose_name_plural = _("usages")
        ordering = ["name"]

    def __str__(self) -> str:
        # Predefined usages read in the reader's language; custom ones as their author wrote them.
        return str(USAGES.get(self.external_key, self.name)) if self.predefined else self.name


def validate_reference(value: str) -> None:
    try:
        catalogue().reference(value)
    except CatalogueError:
        raise ValidationError(_("Unknown reference %(reference)s: choose one from the catalogue."),
                              params={"reference": value}) from None


class Device(models.Model):
    """A source (§9.6.1): a meter, a module behind a gateway, or a gateway."""

    class Protocol(models.TextChoices):
        TCP = "tcp", _("Modbus TCP")
        RTU = "rtu", _("Modbus RTU (RS485)")

    reference = models.CharField(_("reference"), max_length=32, validators=[validate_reference])
    name = models.CharField(_("name"), max_length=64, unique=True)
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="devices")
    protocol = models.CharField(_("protocol"), max_length=3, choices=Protocol.choices, default=Protocol.TCP)
    host = models.CharField(_("IP address"), max_length=255, blank=True,
                            help_text=_("Modbus TCP: the meter's or its gateway's address."))
    port = models.PositiveIntegerField(_("port"), default=502, validators=[MinValueValidator(1), MaxValueValidator(65535)])
    serial_port = models.CharField(_("serial port"), max_length=128, blank=True, help_text=_("Modbus RTU: e.g. /dev/ttyUSB0"))
    baudrate = models.PositiveIntegerField(_("speed (baud)"), default=38400)
    parity = models.CharField(_("parity"), max_length=1, default="N", choices=[("N", _("None")), ("E", _("Even")), ("O", _("Odd"))])
    stopbits = models.PositiveSmallIntegerField(_("stop bits"), default=1, choices=[(1, "1"), (2, "2")])
    unit_id = models.PositiveSmallIntegerField(_("Modbus address"), validators=[MinValueValidator(1), MaxValueValidator(247)])
    gateway = models.ForeignKey("self", verbose_name=_("gateway"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="downstream", help_text=_("The gateway this device is reached through."))
    poll_seconds = models.FloatField(_("poll interval (s)"), default=5.0,
                                     validators=[MinValueValidator(0.2), MaxValueValidator(3600)])
    integration_minutes = models.PositiveSmallIntegerField(_("integration period (min)"), default=10,
                                                           validators=[MinValueValidator(1), MaxValueValidator(60)])
    timeout_seconds = models.FloatField(_("timeout (s)"), default=1.0, validators=[MinValueValidator(0.05), MaxValueValidator(30)])
    retries = models.PositiveSmallIntegerField(_("retries"), default=1, validators=[MaxValueValidator(5)])
    network_type = models.CharField(_("network type"), max_length=32, blank=True, default="3P+N")
    enabled = models.BooleanField(_("enabled"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "host", "port", "serial_port", "unit_id"],
                                    name="one_device_per_modbus_address",
                                    violation_error_message=_("A device already answers at this Modbus address.")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def catalogue_reference(self):
        return catalogue().reference(self.reference)

    @property
    def is_gateway(self) -> bool:
        return self.catalogue_reference.is_gateway

    def clean(self) -> None:
        if self.protocol == self.Protocol.TCP and not self.host:
            raise ValidationError({"host": _("A Modbus TCP device needs an IP address.")})
        if self.protocol == self.Protocol.RTU and not self.serial_port:
            raise ValidationError({"serial_port": _("A Modbus RTU device needs a serial port.")})


class Circuit(models.Model):
    """A measurement circuit (load) of a device (§9.6.4)."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.CASCADE, related_name="circuits")
    index = models.PositiveSmallIntegerField(_("index"))
    name = models.CharField(_("circuit"), max_length=64)
    fluid = models.ForeignKey(Fluid, verbose_name=_("fluid"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="circuits")
    usage = models.ForeignKey(Usage, verbose_name=_("usage"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="circuits")
    load_type = models.CharField(_("load type"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("circuit")
        verbose_name_plural = _("circuits")
        ordering = ["device__name", "index"]
        constraints = [models.UniqueConstraint(fields=["device", "index"], name="one_circuit_per_index")]

    def __str__(self) -> str:
        return f"{self.name} ({self.device})"
