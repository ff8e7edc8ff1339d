"""``/ws/live/`` (DESIGN.md contract): the client sends ``{"subscribe": [device ids]}`` and then
receives each device's live payload after every poll that changed something. Who may open the
socket is decided by the permission map before this consumer runs."""

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from devices.live import group_name

MAX_SUBSCRIPTIONS = 1000


class LiveConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.subscribed: set[int] = set()
        await self.accept()

    async def receive_json(self, content, **kwargs) -> None:
        wanted = content.get("subscribe") if isinstance(content, dict) else None
        if (
            not isinstance(wanted, list)
            or len(wanted) > MAX_SUBSCRIPTIONS
            or not all(isinstance(i, int) and not isinstance(i, bool) and i > 0 for i in wanted)
        ):
            await self.send_json({"error": "subscribe expects a list of positive device ids"})
            return
        wanted_ids = set(wanted)
        for device_id in self.subscribed - wanted_ids:
            await self.channel_layer.group_discard(group_name(device_id), self.channel_name)
        for device_id in wanted_ids - self.subscribed:
            await self.channel_layer.group_add(group_name(device_id), self.channel_name)
        self.subscribed = wanted_ids
        await self.send_json({"subscribed": sorted(wanted_ids)})

    async def live_update(self, event) -> None:
        await self.send_json(event["payload"])

    async def disconnect(self, code) -> None:
        for device_id in self.subscribed:
            await self.channel_layer.group_discard(group_name(device_id), self.channel_name)
