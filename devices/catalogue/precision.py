"""How many decimals the UI shows for a quantity (precision.yaml beside this module). One table for
every page, so that Monitor, Trends and Consumption write the same value the same way."""

from functools import cache
from pathlib import Path

import yaml

PRECISION_FILE = Path(__file__).resolve().parent / "precision.yaml"


@cache
def _table() -> dict:
    raw = yaml.safe_load(PRECISION_FILE.read_text(encoding="utf-8"))
    table = {"default": int(raw["default"]), "units": {str(k): int(v) for k, v in raw["units"].items()},
             "codes": {str(k): int(v) for k, v in raw["codes"].items()},
             # Longest prefix first, so that a more specific family wins.
             "prefixes": sorted(((str(k), int(v)) for k, v in raw["prefixes"].items()), key=lambda kv: -len(kv[0])),
             "same_as_after": tuple(str(prefix) for prefix in raw.get("same_as_after", ()))}
    for name, value in [("default", table["default"]), *table["units"].items(), *table["codes"].items(),
                        *table["prefixes"]]:
        if not 0 <= value <= 6:
            raise ValueError(f"{PRECISION_FILE.name}: {name}: decimals must be 0-6, not {value}")
    return table


def decimals(code: str, unit: str | None = None) -> int:
    """Decimals of quantity ``code``. ``unit`` is the unit the value is in when the caller knows it
    (a user-defined map's unit); without it, the catalogue's unit of the code."""
    table = _table()
    for prefix in table["same_as_after"]:
        if code.startswith(prefix) and len(code) > len(prefix):
            return decimals(code[len(prefix):], unit)
    if code in table["codes"]:
        return table["codes"][code]
    for prefix, value in table["prefixes"]:
        if code.startswith(prefix):
            return value
    if unit is None:
        from devices.catalogue import catalogue  # the loader imports nothing from here; lazy to keep it so

        quantity = catalogue().quantities.get(code)
        unit = quantity.unit if quantity is not None else None
    if unit is not None and unit in table["units"]:
        return table["units"][unit]
    return table["default"]


def decimals_of(codes) -> dict[str, int]:
    """{code: decimals} for the codes a page shows (passed to its script with json_script)."""
    return {code: decimals(code) for code in codes}
