"""Which circuits a hierarchy can hold as loads (§9.7): those that measure energy."""

from collections.abc import Iterable

from devices.catalogue import CatalogueError
from devices.models import Circuit, Device, Fluid
from hierarchies.breakdown import ENERGY_CODE


def _device_measures_energy(device: Device) -> bool:
    # The breakdown reads each load's consumption of its energy index (ENERGY_CODE): a device
    # whose register map has none (an ISOM insulation monitor, an ATyS switch) has no load to give.
    try:
        register_map = device.catalogue_reference.register_map
    except CatalogueError:
        return False
    return register_map is not None and any(register.code == ENERGY_CODE for register in register_map.registers)


def measures_energy(circuit: Circuit) -> bool:
    """Whether this circuit's device measures the energy a consumption breakdown reads."""
    return _device_measures_energy(circuit.device)


def energy_circuits(circuits: Iterable[Circuit]) -> list[Circuit]:
    """The circuits (their devices selected with them) that measure energy, in their order."""
    known: dict[int, bool] = {}
    kept = []
    for circuit in circuits:
        if circuit.device_id not in known:
            known[circuit.device_id] = _device_measures_energy(circuit.device)
        if known[circuit.device_id]:
            kept.append(circuit)
    return kept


def palette_circuits(fluid: Fluid, hierarchy=None) -> list[Circuit]:
    """The loads the hierarchy editor offers: enabled circuits of the utility that measure energy
    and are not in the hierarchy yet."""
    circuits = (Circuit.objects.filter(fluid=fluid, device__enabled=True).select_related("device__custom_map")
                .order_by("device__name", "index"))
    if hierarchy is not None:
        circuits = circuits.exclude(hierarchy_members__hierarchy=hierarchy)
    return energy_circuits(circuits)
