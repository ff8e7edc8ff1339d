"""User-defined register maps: a device the catalogue does not know is read through a map the
user describes in the settings (Settings › Devices › Register maps). The rows become the
catalogue's own RegisterMap and Reference, checked by the catalogue's own rules, so that a
user's map is never one a catalogue file could not hold."""

import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from devices.catalogue import CatalogueError, catalogue
from devices.catalogue.loader import register_map_from_dict
from devices.catalogue.schema import Circuit, Reference, RegisterMap

if TYPE_CHECKING:
    from devices.models import CustomRegisterMap

# The pseudo-reference of a device read through a user-defined map (Device.custom_map).
CUSTOM_REFERENCE = "Custom"
CUSTOM_FAMILY = "custom"

# Monitor tabs (schema.CAPABILITIES, §8.1-8.2) a custom device shows, from the quantity codes its
# map reads: a catalogue reference names them in its file, a user's map has only its codes.
# In schema.CAPABILITIES' order.
_CAPABILITY_CODES: dict[str, re.Pattern] = {
    "network_summary": re.compile(r"V\d|U\d\d|F"),
    "network_quality": re.compile(r"THD_[VU]\d+|H_V\d_\d+|UNB_V"),
    "load_summary": re.compile(r"I\d|IN|P|Q|S"),
    "ui": re.compile(r"V\d|U\d\d|I\d|IN"),
    "power": re.compile(r"[PQS]\d?|PF\d?|COSPHI|TANPHI"),
    "energy": re.compile(r"E[AR]_(IMP|EXP)|ES"),
    "tariffs": re.compile(r"EA_IMP_T\d"),
    "load_quality": re.compile(r"THD_I[\dN]|H_I\d_\d+|KF_I\d|UNB_I"),
    "io": re.compile(r"(IN|OUT)_\d+"),
    "insulation": re.compile(r"RF|CF|ZC|IDN|IL"),
    "transfer_switch": re.compile(r"POS|POS_CODE|CNT_POS_\d|CNT_CYCLES|SRC\d_\w+|ATS_MODE"),
}


def register_row(*, code: str, address: int, type: str, scale: float = 1.0, word_order: str = "",
                 scope: str = "circuit", not_available: int | None = None) -> dict:
    """One register as a catalogue file writes it; a blank word order takes the map's."""
    row = {"code": code, "address": address, "type": type, "scale": scale, "scope": scope}
    if word_order:
        row["word_order"] = word_order
    if not_available is not None:
        row["not_available"] = not_available
    return row


def build_register_map(*, name: str, function: str, max_registers: int, word_order: str, circuit_stride: int,
                       circuits: int, registers: Iterable[Mapping], note: str = "",
                       reset: Mapping | None = None) -> RegisterMap:
    """The RegisterMap of a user-defined map given field by field (the admin validates its form
    with this before anything is saved). ``reset``: the counter-reset write, {address, value}.
    Raises CatalogueError with the fault."""
    raw = {"function": function, "max_registers": max_registers, "word_order": word_order,
           "circuit_stride": circuit_stride, "note": note, "registers": [register_row(**r) for r in registers],
           "reset": dict(reset) if reset else None}
    register_map = register_map_from_dict(name, raw, CUSTOM_FAMILY, catalogue().quantities)
    # The catalogue asks the same of a reference with several circuits (loader.load_family).
    where = f"{CUSTOM_FAMILY} map {name}"
    if circuits > 1 and circuit_stride <= 0:
        raise CatalogueError(f"{where}: several circuits need the map's circuit_stride")
    last_circuit = (circuits - 1) * circuit_stride
    for register in register_map.registers:
        if register.scope == "circuit" and register.end + last_circuit > 65536:
            raise CatalogueError(f"{where}: {register.code} of circuit {circuits} is beyond address 65535")
    return register_map


def register_map_of(custom_map: "CustomRegisterMap") -> RegisterMap:
    """The RegisterMap of a saved user-defined map (its registers prefetched, or read here)."""
    return build_register_map(
        name=custom_map.name, function=custom_map.function, max_registers=custom_map.max_registers,
        word_order=custom_map.word_order, circuit_stride=custom_map.circuit_stride, circuits=custom_map.circuits,
        note=custom_map.note, reset=custom_map.reset,
        registers=[{"code": r.code, "address": r.address, "type": r.type, "scale": r.scale,
                    "word_order": r.word_order, "scope": r.scope, "not_available": r.not_available}
                   for r in custom_map.registers.all()],
    )


def capabilities_of(register_map: RegisterMap) -> tuple[str, ...]:
    codes = {register.code for register in register_map.registers}
    return tuple(capability for capability, pattern in _CAPABILITY_CODES.items()
                 if any(pattern.fullmatch(code) for code in codes))


def reference_of(custom_map: "CustomRegisterMap") -> Reference:
    """The pseudo-reference "Custom" of a device read through ``custom_map``, shaped as a
    catalogue reference so that acquisition, circuits and the Monitor need no second path."""
    register_map = register_map_of(custom_map)
    return Reference(
        reference=CUSTOM_REFERENCE, label=custom_map.name, family=CUSTOM_FAMILY, register_map=register_map,
        capabilities=capabilities_of(register_map),
        circuits=tuple(Circuit(index=index, name=f"Load {index}") for index in range(1, custom_map.circuits + 1)),
        map_note=custom_map.note,
    )


def read_with(reference: Reference, custom_map: "CustomRegisterMap") -> Reference:
    """A catalogue reference read through a user-defined map: for a reference without a public
    table (ISOM, ATyS C55/C65) or a firmware whose table differs. The reference keeps its
    family and Monitor tabs; the map gives the registers and the number of circuits."""
    return with_register_map(reference, register_map_of(custom_map), custom_map.circuits,
                             custom_map.note or f"read with the register map {custom_map.name}")


def with_register_map(reference: Reference, register_map: RegisterMap, circuits: int, note: str) -> Reference:
    named = {circuit.index: circuit.name for circuit in reference.circuits}
    return replace(reference, register_map=register_map, map_note=note,
                   circuits=tuple(Circuit(index=index, name=named.get(index, f"Load {index}"))
                                  for index in range(1, circuits + 1)))
