"""Sources, circuits, usages, areas and fluids of manual §9.6."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from devices.catalogue import CatalogueError, catalogue
from devices.catalogue.loader import MAX_MODBUS_READ
from devices.catalogue.schema import REGISTER_TYPES, Reference
from devices.custom_maps import CUSTOM_REFERENCE, read_with, reference_of
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
    if value == CUSTOM_REFERENCE:
        return  # read through the device's own register map (Device.clean checks it has one)
    try:
        catalogue().reference(value)
    except CatalogueError:
        raise ValidationError(_("Unknown reference %(reference)s: choose one from the catalogue."),
                              params={"reference": value}) from None


def quantity_choices() -> list[tuple[str, str]]:
    return [(code, f"{code}: {quantity.translated}") for code, quantity in catalogue().quantities.items()]


def validate_divides_an_hour(value: int) -> None:
    # Periods line up on the hour and on midnight UTC, so that a day holds whole periods.
    if value and 60 % value:
        raise ValidationError(_("The integration period must divide an hour: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 "
                                "or 60 minutes."))


def validate_not_zero(value: float) -> None:
    if value == 0:
        raise ValidationError(_("The scale cannot be 0: the value read is multiplied by it."))


class CustomRegisterMap(models.Model):
    """A register map the user describes for a device the catalogue does not know; the device's
    reference is then "Custom", or a catalogue reference without a public table (ISOM, ATyS C55/C65) is read
    through it (devices/custom_maps.py turns it into the catalogue's form)."""

    class Function(models.TextChoices):
        HOLDING = "holding", _("Holding registers (function 3)")
        INPUT = "input", _("Input registers (function 4)")

    class WordOrder(models.TextChoices):
        BIG = "big", _("Big-endian: most significant word first")
        LITTLE = "little", _("Little-endian: least significant word first")

    name = models.CharField(_("name"), max_length=64, unique=True)
    function = models.CharField(_("Modbus function"), max_length=8, choices=Function.choices, default=Function.HOLDING)
    max_registers = models.PositiveSmallIntegerField(
        _("largest read (registers)"), default=100,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MODBUS_READ)],
        help_text=_("The most registers the device answers in one request (the Modbus limit is 125)."))
    word_order = models.CharField(_("word order"), max_length=8, choices=WordOrder.choices, default=WordOrder.BIG,
                                  help_text=_("For values of two or four registers, unless a register says otherwise."))
    circuit_stride = models.PositiveIntegerField(
        _("circuit stride"), default=0, validators=[MaxValueValidator(65535)],
        help_text=_("Address step from one circuit to the next; the addresses below are those of circuit 1."))
    circuits = models.PositiveSmallIntegerField(_("circuits"), default=1,
                                                validators=[MinValueValidator(1), MaxValueValidator(64)])
    note = models.TextField(_("note"), blank=True,
                            help_text=_("Where the map comes from, e.g. the manufacturer's table."))
    reset_address = models.PositiveIntegerField(
        _("counter reset: register"), null=True, blank=True, validators=[MaxValueValidator(65535)],
        help_text=_("The register whose write resets the device's counters (function 6), as its table says; "
                    "empty if the device has none."))
    reset_value = models.PositiveIntegerField(_("counter reset: value"), null=True, blank=True,
                                              validators=[MaxValueValidator(65535)],
                                              help_text=_("The value to write there."))

    class Meta:
        verbose_name = _("register map")
        verbose_name_plural = _("register maps")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def reset(self) -> dict | None:
        if self.reset_address is None or self.reset_value is None:
            return None
        return {"address": self.reset_address, "value": self.reset_value}

    def clean(self) -> None:
        if (self.reset_address is None) != (self.reset_value is None):
            raise ValidationError({"reset_value" if self.reset_value is None else "reset_address":
                                   _("A counter reset needs both its register and its value.")})


class CustomRegister(models.Model):
    """One value of a user-defined map: the raw value times the scale is the quantity in its
    catalogue unit (kW, kWh, V...)."""

    class Scope(models.TextChoices):
        DEVICE = "device", _("Device: read once")
        CIRCUIT = "circuit", _("Circuit: read for each circuit")

    map = models.ForeignKey(CustomRegisterMap, verbose_name=_("register map"), on_delete=models.CASCADE,
                            related_name="registers")
    code = models.CharField(_("quantity"), max_length=32, choices=quantity_choices)
    address = models.PositiveIntegerField(_("address"), validators=[MaxValueValidator(65535)],
                                          help_text=_("Zero-based, as sent on the wire."))
    type = models.CharField(_("type"), max_length=3, choices=[(key, key) for key in REGISTER_TYPES])
    scale = models.FloatField(_("scale"), default=1.0, validators=[validate_not_zero])
    word_order = models.CharField(_("word order"), max_length=8, blank=True,
                                  choices=CustomRegisterMap.WordOrder.choices,
                                  help_text=_("Blank: the map's word order."))
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices, default=Scope.CIRCUIT)
    not_available = models.PositiveBigIntegerField(
        _("not available value"), null=True, blank=True,
        help_text=_("The raw value the device sends when it has none, e.g. 4294967295 for 0xFFFFFFFF."))

    class Meta:
        verbose_name = _("register")
        verbose_name_plural = _("registers")
        ordering = ["address"]

    def __str__(self) -> str:
        return f"{self.code}@{self.address}"


CUSTOM_MAP_HELP = _("Needed for reference Custom. For a catalogue reference it replaces the catalogue's map: for a "
                    "reference without a public table (ISOM, ATyS C55/C65) or a firmware whose table differs.")
GATEWAY_MAP_REFUSED = _("A gateway is read through its catalogue entry, not a register map of your own.")


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
    integration_minutes = models.PositiveSmallIntegerField(
        _("integration period (min)"), default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60), validate_divides_an_hour],
        help_text=_("The datalogger's period: 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60 minutes."))
    timeout_seconds = models.FloatField(_("timeout (s)"), default=1.0, validators=[MinValueValidator(0.05), MaxValueValidator(30)])
    retries = models.PositiveSmallIntegerField(_("retries"), default=1, validators=[MaxValueValidator(5)])
    network_type = models.CharField(_("network type"), max_length=32, blank=True, default="3P+N")
    enabled = models.BooleanField(_("enabled"), default=True)
    custom_map = models.ForeignKey(CustomRegisterMap, verbose_name=_("register map"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="devices",
                                   help_text=CUSTOM_MAP_HELP)
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
    def catalogue_reference(self) -> Reference:
        """The catalogue's reference, or the pseudo-reference "Custom" built from the device's own
        map. Raises CatalogueError when neither exists."""
        if self.reference == CUSTOM_REFERENCE:
            if self.custom_map is None:
                raise CatalogueError(f"device {self.pk}: reference {CUSTOM_REFERENCE} without a register map")
            return reference_of(self.custom_map)
        reference = catalogue().reference(self.reference)
        return reference if self.custom_map is None else read_with(reference, self.custom_map)

    @property
    def is_gateway(self) -> bool:
        if self.reference == CUSTOM_REFERENCE:
            return False  # a user-defined map reads a meter; gateways come from the catalogue
        return self.catalogue_reference.is_gateway

    def clean(self) -> None:
        if self.reference == CUSTOM_REFERENCE and self.custom_map_id is None:
            raise ValidationError({"custom_map": _("A Custom device needs its register map: choose one, or define it "
                                                   "in Register maps first.")})
        if self.custom_map_id is not None and self.reference in catalogue().gateway_references:
            raise ValidationError({"custom_map": GATEWAY_MAP_REFUSED})
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
