"""Writes to meters (§5 "reset of counters"): only when the security policy allows Modbus
write, only what the device's map documents, and always into the audit log. The view or API
that calls this has checked the profile's right (cybersecurity/permissions.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from pymodbus.client import ModbusTcpClient
from pymodbus.exceptions import ModbusException

from cybersecurity import audit
from cybersecurity.models import AuditEvent, SecurityPolicy
from devices.acquisition.reader import EXCEPTION_NAMES
from devices.catalogue import CatalogueError
from devices.catalogue.schema import ResetCommand
from devices.models import Device


def reset_command_of(device: Device) -> ResetCommand | None:
    try:
        register_map = device.catalogue_reference.register_map
    except CatalogueError:
        return None
    return register_map.reset if register_map else None


def reset_counters(device: Device, *, profile, request: HttpRequest | None = None, channel: str = "web") -> None:
    """Write the device's counter-reset command. Raises PermissionDenied when the policy forbids
    Modbus write, ValidationError when the device has no documented reset or the write failed."""
    def refuse(error: Exception, reason: str) -> Exception:
        audit.record(AuditEvent.Action.COUNTER_RESET, profile=profile.key, actor=profile.key, success=False,
                     reason=f"{device.name}: {reason}"[:64], request=request, channel=channel)
        return error

    if not SecurityPolicy.current().modbus_write:
        raise refuse(PermissionDenied(_("Modbus write is disabled in the security policy: Cyber Security can "
                                        "allow it in Settings › Security policy.")), "modbus write disabled")
    command = reset_command_of(device)
    if command is None:
        raise refuse(ValidationError(_("%(device)s has no counter reset in its register map.")
                                     % {"device": device}), "no reset command")
    if device.protocol != Device.Protocol.TCP:
        # The acquisition worker holds the serial line; a second opener would garble both.
        raise refuse(ValidationError(_("Counter reset is sent over Modbus TCP only; %(device)s is on RS485.")
                                     % {"device": device}), "rs485")
    failure = _write(device, command)
    if failure:
        raise refuse(ValidationError(_("%(device)s did not take the reset: %(reason)s")
                                     % {"device": device, "reason": failure}), failure)
    audit.record(AuditEvent.Action.COUNTER_RESET, profile=profile.key, actor=profile.key, success=True,
                 reason=device.name[:64], request=request, channel=channel)


def _write(device: Device, command: ResetCommand) -> str:
    """"" when the meter acknowledged the write, else why not. A connection of its own for the
    second it takes: Modbus TCP gateways accept several."""
    client = ModbusTcpClient(device.host, port=device.port, timeout=device.timeout_seconds, retries=device.retries)
    try:
        if not client.connect():
            return _("cannot connect to %(host)s:%(port)s") % {"host": device.host, "port": device.port}
        response = client.write_register(command.address, command.value, device_id=device.unit_id)
    except ModbusException as error:
        return str(error)
    finally:
        client.close()
    if response.isError():
        code = getattr(response, "exception_code", None)
        return f"Modbus exception {code} ({EXCEPTION_NAMES.get(code, 'unknown')})"
    return ""
