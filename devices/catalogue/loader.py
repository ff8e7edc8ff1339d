"""Load and validate the catalogue files. A bad file stops the gateway at start with the file
and the entry at fault, never a wrong reading later."""

from functools import cache
from pathlib import Path

import yaml

from devices.catalogue.schema import (
    CAPABILITIES,
    FUNCTIONS,
    REGISTER_TYPES,
    SCOPES,
    WORD_ORDERS,
    Circuit,
    Family,
    Identification,
    Quantity,
    Reference,
    Register,
    RegisterMap,
    ResetCommand,
)

CATALOGUE_DIR = Path(__file__).resolve().parent
MAX_MODBUS_READ = 125  # registers per read: the Modbus protocol's own limit


class CatalogueError(ValueError):
    pass


def _require(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise CatalogueError(f"{where}: {message}")


def load_quantities(path: Path) -> dict[str, Quantity]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    quantities: dict[str, Quantity] = {}
    entries = list(data["quantities"])
    for series in data.get("series", []):
        for n in range(series["first"], series["last"] + 1):
            entries.append({"code": f"{series['prefix']}{n}", "unit": series["unit"], "category": series["category"],
                            "data_id": series["data_id_base"] + n, "label": series["label"].format(n=n),
                            "template": series["label"], "number": n})
    seen_ids: set[int] = set()
    for entry in entries:
        where = f"{path.name} {entry.get('code')}"
        _require(entry["code"] not in quantities, where, "duplicate code")
        _require(entry["data_id"] not in seen_ids, where, f"duplicate data_id {entry['data_id']}")
        _require(entry["category"] in ("measure", "meter", "status", "alarm"), where, "unknown category")
        seen_ids.add(entry["data_id"])
        quantities[entry["code"]] = Quantity(**entry)
    return quantities


def _register(raw: dict, where: str, quantities: dict[str, Quantity], default_order: str) -> Register:
    known = {"code", "address", "type", "scale", "word_order", "scope", "not_available"}
    _require(set(raw) <= known, where, f"unknown keys {sorted(set(raw) - known)}")
    register = Register(
        code=raw["code"], address=int(raw["address"]), type=raw["type"], scale=float(raw.get("scale", 1.0)),
        word_order=raw.get("word_order", default_order), scope=raw.get("scope", "circuit"),
        not_available=raw.get("not_available"),
    )
    _require(register.code in quantities, where, f"unknown quantity code {register.code}")
    _require(register.type in REGISTER_TYPES, where, f"unknown type {register.type}")
    _require(register.word_order in WORD_ORDERS, where, f"word_order must be one of {WORD_ORDERS}")
    _require(register.scope in SCOPES, where, f"scope must be one of {SCOPES}")
    _require(0 <= register.address and register.end <= 65536, where, "address outside 0-65535")
    _require(register.scale != 0, where, "scale must not be 0")
    return register


def register_map_from_dict(name: str, raw: dict, where: str, quantities: dict[str, Quantity]) -> RegisterMap:
    """A register map given as a catalogue file writes it (``function``, ``max_registers``,
    ``word_order``, ``registers``...), validated: CatalogueError names ``where`` and the fault.
    Catalogue files and user-defined maps (devices/custom_maps.py) pass the same checks."""
    where = f"{where} map {name}"
    function = raw.get("function", "holding")
    _require(function in FUNCTIONS, where, f"function must be one of {FUNCTIONS}")
    max_registers = int(raw.get("max_registers", MAX_MODBUS_READ))
    _require(1 <= max_registers <= MAX_MODBUS_READ, where, f"max_registers must be 1-{MAX_MODBUS_READ}")
    order = raw.get("word_order", "big")
    registers = tuple(
        _register(entry, f"{where} register {entry.get('code')}@{entry.get('address')}", quantities, order)
        for entry in raw["registers"]
    )
    _require(len(registers) > 0, where, "no registers")
    by_start = sorted(registers, key=lambda r: r.address)
    for before, after in zip(by_start, by_start[1:]):
        _require(before.end <= after.address, where, f"{before.code} and {after.code} overlap")
    codes = [(r.code, r.scope) for r in registers]
    _require(len(codes) == len(set(codes)), where, "a quantity appears twice")
    for register in registers:
        _require(register.words <= max_registers, where, f"{register.code} is larger than max_registers")
    ident = raw.get("identification")
    identification = None
    if ident:
        identification = Identification(
            signature_address=int(ident["signature_address"]), signature=str(ident["signature"]),
            product_code_address=int(ident["product_code_address"]),
            product_name_address=int(ident["product_name_address"]) if "product_name_address" in ident else None,
            product_name_words=int(ident.get("product_name_words", 8)),
        )
    reset = None
    if raw.get("reset"):
        reset = ResetCommand(address=int(raw["reset"]["address"]), value=int(raw["reset"]["value"]))
        _require(0 <= reset.address <= 65535, where, "the reset address must be 0-65535")
        _require(0 <= reset.value <= 65535, where, "the reset value must be one register (0-65535)")
        _require(all(not r.address <= reset.address < r.end for r in registers), where,
                 "the reset register is one the map reads")
    return RegisterMap(name=name, function=function, max_registers=max_registers, registers=registers,
                       identification=identification, circuit_stride=int(raw.get("circuit_stride", 0)),
                       note=raw.get("note", ""), reset=reset)


def load_family(path: Path, quantities: dict[str, Quantity]) -> Family:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name
    _require(raw.get("sources"), where, "name the public source of the register maps (sources:)")
    maps = {name: register_map_from_dict(name, body, where, quantities) for name, body in (raw.get("register_maps") or {}).items()}
    references = []
    for entry in raw["references"]:
        ref_where = f"{where} reference {entry.get('reference')}"
        map_name = entry.get("register_map")
        _require(map_name is None or map_name in maps, ref_where, f"unknown register_map {map_name}")
        capabilities = tuple(entry.get("capabilities", ()))
        _require(set(capabilities) <= set(CAPABILITIES), ref_where,
                 f"unknown capabilities {sorted(set(capabilities) - set(CAPABILITIES))}")
        circuits = tuple(Circuit(index=int(c["index"]), name=str(c["name"])) for c in entry.get("circuits", ()))
        _require(len({c.index for c in circuits}) == len(circuits), ref_where, "duplicate circuit index")
        register_map = maps.get(map_name) if map_name else None
        if register_map is not None and len(circuits) > 1:
            _require(register_map.circuit_stride > 0, ref_where, "several circuits need the map's circuit_stride")
        references.append(Reference(
            reference=str(entry["reference"]), label=str(entry.get("label", entry["reference"])), family=raw["family"],
            register_map=register_map, capabilities=capabilities, circuits=circuits,
            product_codes=tuple(int(c) for c in entry.get("product_codes", ())),
            product_names=tuple(str(n).lower() for n in entry.get("product_names", ())),
            is_gateway=bool(entry.get("is_gateway", False)), map_note=str(entry.get("map_note", "")),
        ))
    return Family(key=raw["family"], label=str(raw["label"]), sources=tuple(raw["sources"]), references=tuple(references))


class Catalogue:
    def __init__(self, directory: Path = CATALOGUE_DIR) -> None:
        self.quantities = load_quantities(directory / "quantities.yaml")
        self.families: dict[str, Family] = {}
        self.references: dict[str, Reference] = {}
        for path in sorted(directory.glob("*.yaml")):
            if path.name in ("quantities.yaml", "precision.yaml"):  # not families: codes, display decimals
                continue
            family = load_family(path, self.quantities)
            _require(family.key not in self.families, path.name, f"duplicate family {family.key}")
            self.families[family.key] = family
            for reference in family.references:
                _require(reference.reference not in self.references, path.name,
                         f"reference {reference.reference} is already in another family")
                self.references[reference.reference] = reference

    def reference(self, name: str) -> Reference:
        try:
            return self.references[name]
        except KeyError:
            raise CatalogueError(f"unknown reference {name!r}") from None

    @property
    def gateway_references(self) -> list[str]:
        """The references of gateways (M-xx, D-xx...), which other devices are reached through."""
        return [name for name, reference in self.references.items() if reference.is_gateway]

    def by_product_code(self, code: int) -> Reference | None:
        return next((r for r in self.references.values() if code in r.product_codes), None)

    def by_product_name(self, name: str) -> Reference | None:
        """The reference whose documented product name ``name`` starts with (longest match wins:
        "countis e44r" before "countis e44")."""
        name = name.strip().lower()
        matches = [(len(prefix), ref) for ref in self.references.values() for prefix in ref.product_names
                   if name.startswith(prefix)]
        return max(matches, key=lambda match: match[0])[1] if matches else None


@cache
def catalogue() -> Catalogue:
    return Catalogue()
