"""What a catalogue file holds, as dataclasses that travel through acquisition."""

from dataclasses import dataclass, field

from django.utils.translation import gettext

# Register types: size in 16-bit words, struct format of one big-endian value.
REGISTER_TYPES: dict[str, tuple[int, str]] = {
    "u16": (1, ">H"), "s16": (1, ">h"),
    "u32": (2, ">I"), "s32": (2, ">i"),
    "u64": (4, ">Q"), "s64": (4, ">q"),
    "f32": (2, ">f"), "f64": (4, ">d"),
}
WORD_ORDERS = ("big", "little")  # big: most significant word first (Socomec's order)
FUNCTIONS = ("holding", "input")  # Modbus function 3 or 4
SCOPES = ("device", "circuit")
# Monitor tabs a device can have (§8.1-8.2); a tab whose data the device lacks is hidden.
CAPABILITIES = (
    "network_summary", "network_quality", "load_summary", "ui", "power", "energy", "tariffs",
    "load_quality", "io", "insulation", "insulation_circuits", "transfer_switch", "gateway",
)


@dataclass(frozen=True)
class Quantity:
    code: str
    unit: str
    category: str
    data_id: int
    label: str  # in English, as quantities.yaml writes it
    # A numbered series' label before its number goes in ("Harmonic {n} of V1"), and the number.
    template: str = ""
    number: int | None = None

    @property
    def translated(self) -> str:
        """The label in the active language (devices/catalogue/labels.py marks them for translation)."""
        if self.template:
            return gettext(self.template).format(n=self.number)
        return gettext(self.label)


@dataclass(frozen=True)
class Register:
    """One value: ``raw * scale`` is the quantity in its catalogue unit."""

    code: str
    address: int
    type: str
    scale: float = 1.0
    word_order: str = "big"
    scope: str = "circuit"
    # A raw value the device uses for "not available" (e.g. 0xFFFFFFFF); decoded as missing.
    not_available: int | None = None

    @property
    def words(self) -> int:
        return REGISTER_TYPES[self.type][0]

    @property
    def end(self) -> int:
        return self.address + self.words


@dataclass(frozen=True)
class Identification:
    """The standard identification block read by autodetect: Socomec's zone at 0xC350 holds the
    vendor signature one ASCII character per register ("SOCO" = 0x0053 0x004F 0x0043 0x004F), and
    the product name as a string of 2 characters per register at 0xC38A (OpenEMS/openems
    io.openems.edge.meter.socomec AbstractSocomecMeter.java reads both)."""

    signature_address: int
    signature: str
    product_code_address: int
    product_name_address: int | None = None
    product_name_words: int = 8


@dataclass(frozen=True)
class ResetCommand:
    """The write that resets a device's counters (§5 "reset of counters"): ``value`` written to
    ``address`` with function 6 (one register) as the device's table documents it."""

    address: int
    value: int


@dataclass(frozen=True)
class RegisterMap:
    name: str
    function: str
    max_registers: int  # the largest read the device accepts
    registers: tuple[Register, ...]
    identification: Identification | None = None
    circuit_stride: int = 0  # address step from one circuit to the next on multi-circuit devices
    note: str = ""
    reset: ResetCommand | None = None


@dataclass(frozen=True)
class Circuit:
    index: int
    name: str


@dataclass(frozen=True)
class Reference:
    reference: str  # as the manual names it: A-40, I-35, E23, C65, L-60...
    label: str
    family: str
    register_map: RegisterMap | None
    capabilities: tuple[str, ...]
    circuits: tuple[Circuit, ...]
    product_codes: tuple[int, ...] = ()
    # Product names the identification block reports for this reference (lower case, prefixes).
    product_names: tuple[str, ...] = ()
    is_gateway: bool = False
    map_note: str = ""  # e.g. "no public table: shares the A-40 map"


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    sources: tuple[str, ...]
    references: tuple[Reference, ...] = field(default=())
