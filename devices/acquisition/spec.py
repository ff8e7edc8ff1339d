"""What acquisition needs to know about a device, detached from the ORM so that the asyncio
loop never touches the database."""

from dataclasses import dataclass, field
from datetime import datetime

from devices.catalogue.schema import RegisterMap


@dataclass(frozen=True)
class CircuitSpec:
    id: int
    index: int
    name: str


@dataclass(frozen=True)
class DeviceSpec:
    id: int
    name: str
    protocol: str  # "tcp" or "rtu"
    host: str
    port: int
    serial_port: str
    baudrate: int
    parity: str
    stopbits: int
    unit_id: int
    register_map: RegisterMap | None
    circuits: tuple[CircuitSpec, ...]
    poll_seconds: float = 5.0
    timeout_seconds: float = 1.0
    retries: int = 1
    integration_minutes: int = 10  # the datalogger's period for this device

    @property
    def link(self) -> tuple:
        """Devices on one link share one connection (a gateway and everything behind it)."""
        if self.protocol == "rtu":
            return ("rtu", self.serial_port, self.baudrate, self.parity, self.stopbits)
        return ("tcp", self.host, self.port)


@dataclass
class Reading:
    """One poll of one device: values by circuit index and quantity code."""

    device_id: int
    timestamp: datetime
    online: bool
    reason: str = ""  # why offline: "timeout", "connection refused", "modbus exception 2 (illegal address)"...
    values: dict[int, dict[str, float | None]] = field(default_factory=dict)
    requests: int = 0
    errors: int = 0
    timeouts: int = 0


def spec_for(device) -> DeviceSpec:
    """Build the spec of a Device (with prefetched circuits)."""
    reference = device.catalogue_reference
    return DeviceSpec(
        id=device.pk, name=device.name, protocol=device.protocol, host=device.host, port=device.port,
        serial_port=device.serial_port, baudrate=device.baudrate, parity=device.parity, stopbits=device.stopbits,
        unit_id=device.unit_id, register_map=reference.register_map,
        circuits=tuple(CircuitSpec(c.pk, c.index, c.name) for c in device.circuits.all()),
        poll_seconds=device.poll_seconds, timeout_seconds=device.timeout_seconds, retries=device.retries,
        integration_minutes=device.integration_minutes,
    )
