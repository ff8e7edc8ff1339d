"""What the Monitor page shows for a device (manual §8.2): its tabs, chosen from the catalogue
capabilities (a tab whose data the device lacks is hidden, §8.1 example 2), and for each tab the
quantities it lists, in the order the manual's screens show them."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from devices.catalogue import CatalogueError, catalogue
from devices.catalogue.precision import decimals
from devices.catalogue.schema import Reference

if TYPE_CHECKING:
    from devices.models import Device

PHASES = (1, 2, 3)


@dataclass(frozen=True)
class Tab:
    key: str
    section: Promise  # "Network analysis", "Load analysis", ...
    title: Promise
    capability: str
    codes: tuple[str, ...]
    chart: str = ""  # "phasor", "bars", "harmonics_v", "harmonics_i", "switch" or ""
    per_circuit: bool = False  # one row per circuit (F-60's Circuits tab), not the chosen circuit's values
    # Columns beside the real-time value from the datalogger: the last 24 hours' min, max and
    # average ("stats"), or a curve over a chosen period with its table ("history").
    history: str = ""


def _series(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{n}" for n in range(first, last + 1))


NETWORK, LOAD, INSULATION, SWITCH = _("Network analysis"), _("Load analysis"), _("Insulation"), _("Transfer switch")
TABS = (
    Tab("network", NETWORK, _("Summary"), "network_summary",
        ("V1", "V2", "V3", "U12", "U23", "U31", "F", "UNB_V"), "phasor"),
    Tab("network-quality", NETWORK, _("Quality"), "network_quality",
        ("THD_V1", "THD_V2", "THD_V3", "THD_U12", "THD_U23", "THD_U31", *_series("H_V1_", 2, 63),
         *_series("H_V2_", 2, 63), *_series("H_V3_", 2, 63)), "harmonics_v"),
    Tab("load", LOAD, _("Summary"), "load_summary", ("P", "Q", "S", "PF", "COSPHI", "TANPHI", "I1", "I2", "I3", "IN"),
        "phasor"),
    Tab("ui", LOAD, _("U/I"), "ui", ("V1", "V2", "V3", "U12", "U23", "U31", "I1", "I2", "I3", "IN", "UNB_I"), "bars"),
    Tab("power", LOAD, _("Power"), "power",
        ("P", "P1", "P2", "P3", "Q", "Q1", "Q2", "Q3", "S", "S1", "S2", "S3", "PF", "PF1", "PF2", "PF3", "COSPHI",
         "COSPHI1", "COSPHI2", "COSPHI3", "TANPHI", "TANPHI1", "TANPHI2", "TANPHI3"), "bars"),
    Tab("energy", LOAD, _("Energy"), "energy",
        ("EA_IMP", "EA_EXP", "ER_IMP", "ER_EXP", "ES", "EA_IMP_T1", "EA_IMP_T2", "EA_IMP_T3", "EA_IMP_T4")),
    Tab("load-quality", LOAD, _("Quality"), "load_quality",
        ("THD_I1", "THD_I2", "THD_I3", "THD_IN", "KF_I1", "KF_I2", "KF_I3", "KF_IN", *_series("H_I1_", 2, 63),
         *_series("H_I2_", 2, 63), *_series("H_I3_", 2, 63)), "harmonics_i"),
    Tab("insulation", INSULATION, _("Insulation"), "insulation", ("RF", "CF", "ZC"), history="stats"),
    Tab("insulation-monitoring", INSULATION, _("Monitoring"), "insulation", ("RF", "CF"), history="curve"),
    Tab("insulation-circuits", INSULATION, _("Circuits"), "insulation_circuits", ("IDN", "IL", "RF", "CF"),
        per_circuit=True),
    # §8.2.3, ATyS C55/C65: Status, Metering, Counters (Input/Output is the io tab above). The
    # Settings, Timers and Exerciser tabs need setting registers no public table documents.
    Tab("switch", SWITCH, _("Status"), "transfer_switch",
        ("POS_CODE", "POS", "ATS_MODE", "SRC1_STATE", "SRC2_STATE", "SRC1_AVAILABLE", "SRC2_AVAILABLE"), "switch"),
    Tab("switch-metering", SWITCH, _("Metering"), "transfer_switch", ("SRC1_V", "SRC2_V", "SRC1_F", "SRC2_F"), "bars"),
    Tab("switch-counters", SWITCH, _("Counters"), "transfer_switch",
        ("CNT_CYCLES", "CNT_POS_0", "CNT_POS_1", "CNT_POS_2", "CNT_ENGINE_STARTS", "ENGINE_RUN_S", "ENGINE_ON_LOAD_S",
         "SUPPLY_SRC1_S", "SUPPLY_SRC2_S")),
    # Last: a device's first tab is the one it opens on, and an ATyS opens on Status (§8.2.3), a
    # meter on its network summary; inputs and outputs come after what the device measures.
    Tab("io", LOAD, _("Input/Output"), "io", (*_series("IN_", 1, 16), *_series("OUT_", 1, 16))),
)

# Codes whose value is a state, shown by its name (the ATyS p M table's codes for ATyS).
OPEN_CLOSED = {0: _("Open"), 1: _("Closed")}
STATES: dict[str, dict[int, Promise]] = {
    "POS_CODE": {0: _("Unknown"), 1: _("Position 0"), 2: _("Position I"), 3: _("Position II")},
    "POS": {0: _("Position 0"), 1: _("Position I"), 2: _("Position II")},
    "ATS_MODE": {0x0000: _("Manual"), 0x0010: _("Automatic"), 0x0020: _("Remote control"), 0x0040: _("Inhibited")},
    "SRC1_STATE": (SOURCE_STATES := {0: _("Under threshold"), 1: _("Present"), 2: _("Available")}),
    "SRC2_STATE": SOURCE_STATES,
    "SRC1_AVAILABLE": (AVAILABLE := {0: _("Not available"), 1: _("Available")}),
    "SRC2_AVAILABLE": AVAILABLE,
    **{f"IN_{n}": OPEN_CLOSED for n in range(1, 17)},
    **{f"OUT_{n}": OPEN_CLOSED for n in range(1, 17)},
}


# Tabs whose table is split in parts that read apart: the manual's Energy tab gives the energy
# table "and the breakdown over the tariff periods" (§8.2.1); inputs beside outputs.
TABLE_PARTS: dict[str, tuple[tuple[Promise, tuple[str, ...]], ...]] = {
    "energy": ((_("Energy"), ("EA_IMP", "EA_EXP", "ER_IMP", "ER_EXP", "ES")),
               (_("Tariff periods"), ("EA_IMP_T1", "EA_IMP_T2", "EA_IMP_T3", "EA_IMP_T4"))),
    "io": ((_("Inputs"), _series("IN_", 1, 16)), (_("Outputs"), _series("OUT_", 1, 16))),
    "ui": ((_("Voltages"), ("V1", "V2", "V3", "U12", "U23", "U31")), (_("Currents"), ("I1", "I2", "I3", "IN", "UNB_I"))),
    "power": ((_("Powers"), ("P", "P1", "P2", "P3", "Q", "Q1", "Q2", "Q3", "S", "S1", "S2", "S3")),
              (_("Power factor, cos φ, tan φ"), ("PF", "PF1", "PF2", "PF3", "COSPHI", "COSPHI1", "COSPHI2", "COSPHI3",
                                                 "TANPHI", "TANPHI1", "TANPHI2", "TANPHI3"))),
}
TARIFF_CODES = TABLE_PARTS["energy"][1][1]

# A device that measures a network has a network type (§8.2.1 Summary: "3P+N", §8.2.2: "1P+N");
# a gateway or an I/O module has none to show.
NETWORK_CAPABILITIES = {"network_summary", "load_summary", "ui", "power", "energy", "insulation", "transfer_switch"}


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    unit: str
    decimals: int = 2
    # The meter's own average over its integration period and the maximum of that average (maximum
    # demand), when its map has them: §8.2.1's "instantaneous and average" values, beside the value.
    average: str = ""
    max_average: str = ""


@dataclass(frozen=True)
class Table:
    title: Promise | str
    rows: tuple[Row, ...]
    tariffs: bool = False  # the tariff periods' table, with each period's share

    @property
    def averages(self) -> bool:
        return any(row.average for row in self.rows)

    @property
    def max_averages(self) -> bool:
        return any(row.max_average for row in self.rows)


@dataclass(frozen=True)
class DeviceTab:
    tab: Tab
    rows: tuple[Row, ...]  # the tab's quantities this device measures (harmonic series left to the chart)
    section: Promise | str = ""
    tables: tuple[Table, ...] = ()  # rows in the parts the page shows them in (one part by default)


AVERAGE, MAX_AVERAGE = "AVG_", "MAXAVG_"  # prefixes of the average codes (catalogue quantities.yaml)


def _row(code: str, measured: set[str]) -> Row:
    quantity = catalogue().quantities[code]
    return Row(code, quantity.translated, quantity.unit, decimals(code),
               average=AVERAGE + code if AVERAGE + code in measured else "",
               max_average=MAX_AVERAGE + code if MAX_AVERAGE + code in measured else "")


def measured_codes(reference: Reference) -> set[str]:
    return {register.code for register in reference.register_map.registers} if reference.register_map else set()


def tabs_for(reference: Reference) -> list[DeviceTab]:
    """The tabs of a device: those its capabilities name and for which its map has data, the tab
    it opens on first."""
    measured = measured_codes(reference)
    switch = "transfer_switch" in reference.capabilities
    tabs = []
    for tab in TABS:
        if tab.capability not in reference.capabilities:
            continue
        codes = [code for code in tab.codes if code in measured]
        if not codes:
            continue
        rows = tuple(_row(code, measured) for code in codes if not code.startswith("H_"))
        by_code = {row.code: row for row in rows}
        parts = tuple(Table(title, tuple(by_code[code] for code in part if code in by_code), part == TARIFF_CODES)
                      for title, part in TABLE_PARTS.get(tab.key, ()))
        placed = {row.code for part in parts for row in part.rows}
        rest = tuple(row for row in rows if row.code not in placed)
        tables = tuple(part for part in parts if part.rows) + ((Table("", rest),) if rest else ())
        # An ATyS's inputs and outputs belong to the transfer switch's section, not to a load.
        section = SWITCH if switch and tab.key == "io" else tab.section
        tabs.append(DeviceTab(tab, rows, section, tables))
    return tabs


def units_of(reference: Reference) -> dict[str, dict]:
    """Label, unit, decimals and state names of each quantity the device measures (for the page's
    script)."""
    quantities = catalogue().quantities
    described = {}
    for code in sorted(measured_codes(reference)):
        described[code] = {"label": quantities[code].translated, "unit": quantities[code].unit,
                           "decimals": decimals(code)}
        if code in STATES:
            described[code]["states"] = {str(value): str(name) for value, name in STATES[code].items()}
    return described


def network_type_of(device: "Device") -> str:
    """The network type the page states for ``device``: the configured one, for a device that
    measures a network; nothing for a gateway or an I/O module."""
    if device.is_gateway:
        return ""
    return device.network_type if NETWORK_CAPABILITIES & set(device.catalogue_reference.capabilities) else ""


def device_statuses(devices: Iterable["Device"], lives: dict[int, dict]) -> list[dict]:
    """The Monitor landing page's rows: each device, its reference's label and its live status
    (a gateway is neither: it is reached, not read)."""
    rows = []
    for device in devices:
        try:
            label = device.catalogue_reference.label
        except CatalogueError:
            label = device.reference
        cached = lives.get(device.pk) or {}
        rows.append({"device": device, "label": label, "gateway": device.is_gateway,
                     "status": cached.get("status", "offline"), "reason": cached.get("reason", "")})
    return rows


def gateway_status(modules: list[dict]) -> dict[str, str]:
    """A gateway's status as its Monitor page states it: it answers when a module answers through
    it (no public table gives a gateway register of its own to read, catalogue gateways.yaml)."""
    enabled = [module for module in modules if module["device"].enabled]
    answering = sum(1 for module in enabled if module["status"] == "online")
    if not modules:
        return {"status": "offline", "reason": _("no module is reached through this gateway")}
    summary = ngettext("%(answering)s of %(count)s module answers", "%(answering)s of %(count)s modules answer",
                       len(enabled)) % {"answering": answering, "count": len(enabled)}
    return {"status": "online" if answering else "offline", "reason": summary}
