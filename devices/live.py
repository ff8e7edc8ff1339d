"""Live values fan-out: one channel-layer group per device (DESIGN.md data flow)."""

from channels.layers import get_channel_layer


def group_name(device_id: int) -> str:
    return f"device.{device_id}"


async def publish(device_id: int, payload: dict) -> None:
    """Send a ``live/``-shaped payload to every websocket subscribed to the device."""
    await get_channel_layer().group_send(group_name(device_id), {"type": "live.update", "payload": payload})
