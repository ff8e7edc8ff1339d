"""What a parsed file holds, whatever its format: its columns (one series each, described as
the file names them) with their points, and the rows rejected, each with its line and reason."""

from dataclasses import dataclass, field
from datetime import datetime

from datalogger.formats.table import Rejection

GOOD_OPC_QUALITY = 192  # annex II's quality column is an OPC quality: 192 is "good"


@dataclass
class Point:
    ts: datetime  # UTC, as the file dates it (annex I: the end of the period the index closes)
    value: float  # in our unit (kWh, the quantity's unit), scaled and guarded
    opc_quality: int
    line: int


@dataclass
class Column:
    """One series of the file, with what names it: which device, load and quantity."""

    label: str
    line: int  # where the file describes it
    stat: str  # Series.Stat
    device_name: str
    load: str
    position: int | None  # the circuit's index as the file gives it, a fallback for the name
    code: str  # our quantity code; "" when the file's name for it maps to none
    unknown: str = ""  # why the file's description maps to no quantity, for the report
    key: str = ""  # annex II's unique key (an explicit mapping names it)
    points: list[Point] = field(default_factory=list)


@dataclass
class Parsed:
    columns: list[Column]
    rejected: list[Rejection]
