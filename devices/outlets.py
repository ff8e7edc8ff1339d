"""The one fan-out point of readings (DESIGN.md data flow). Each consumer of what the acquisition
reads (the live cache, the datalogger's accumulation, later alarms and outbound protocols) is an
outlet registered here by its own app; the acquisition imports none of them.

A poll must stay one Redis round trip and one atomic step (the live payload and the period's
samples are never half-written), so an outlet is a Lua chunk plus the keys and arguments it
takes from each reading, and the outlets registered are composed into one script. Each chunk
sees only its own keys and arguments, as the locals ``KEYS_`` and ``ARGV_``; it must not
``return`` (that would end the others)."""

from collections.abc import Callable
from dataclasses import dataclass

from devices.acquisition.spec import DeviceSpec, Reading

KeysAndArgs = tuple[list[str], list[str]]


@dataclass(frozen=True)
class Outlet:
    name: str
    lua: str
    # The outlet's keys and arguments for one poll; no keys means nothing to do for this one.
    # None: the caller of staged() gives them (the live cache, whose payload depends on what the
    # recorder remembers).
    keys_and_args: Callable[[DeviceSpec, Reading], KeysAndArgs] | None


_registered: dict[str, Outlet] = {}


def register(outlet: Outlet) -> None:
    """Called from an app's ``ready()``; registering the same name again replaces it."""
    _registered[outlet.name] = outlet


def unregister(name: str) -> None:
    _registered.pop(name, None)


def registered() -> tuple[Outlet, ...]:
    return tuple(_registered.values())


def compose(outlets: tuple[Outlet, ...]) -> str:
    """One script for these outlets. ARGV starts with each outlet's key and argument counts, in
    order; then come all the outlets' keys (KEYS) and arguments (ARGV), one after the other."""
    chunks = [f"local k, a = 0, {2 * len(outlets)}"]
    for position, outlet in enumerate(outlets):
        chunks.append(f"""
do -- outlet {outlet.name}
  local nk, na = tonumber(ARGV[{2 * position + 1}]), tonumber(ARGV[{2 * position + 2}])
  local KEYS_, ARGV_ = {{}}, {{}}
  for i = 1, nk do KEYS_[i] = KEYS[k + i] end
  for i = 1, na do ARGV_[i] = ARGV[a + i] end
  k, a = k + nk, a + na
  if nk > 0 then
{outlet.lua}
  end
end""")
    chunks.append("return 1")
    return "\n".join(chunks)


def staged(outlets: tuple[Outlet, ...], spec: DeviceSpec, reading: Reading,
           given: dict[str, KeysAndArgs] | None = None) -> KeysAndArgs:
    """The composed script's keys and arguments for one poll; ``given`` holds those of the
    outlets that take them from the caller, by name."""
    given = given or {}
    counts: list[str] = []
    keys: list[str] = []
    args: list[str] = []
    for outlet in outlets:
        if outlet.keys_and_args is None:
            outlet_keys, outlet_args = given[outlet.name]
        else:
            outlet_keys, outlet_args = outlet.keys_and_args(spec, reading)
        if not outlet_keys:
            outlet_args = []
        counts += [str(len(outlet_keys)), str(len(outlet_args))]
        keys += outlet_keys
        args += outlet_args
    return keys, counts + args
