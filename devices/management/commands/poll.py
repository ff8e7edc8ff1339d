import asyncio
import json as json_module

from django.core.management.base import BaseCommand, CommandError

from devices import selectors
from devices.acquisition.cycle import poll_once


class Command(BaseCommand):
    help = "Run one acquisition cycle and print each device's status and values (DESIGN.md contract)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one cycle (continuous polling is the worker's job)")
        parser.add_argument("--device", type=int, help="only this device id")
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, once: bool, device: int | None, **options):
        if not once:
            raise CommandError("poll runs one cycle: pass --once (the Celery worker polls continuously)")
        specs = selectors.enabled_device_specs(device)
        if device is not None and not specs:
            raise CommandError(f"no enabled device with id {device}")
        messages = asyncio.run(poll_once(specs))
        if options["json"]:
            self.stdout.write(_dumps(messages))
            return
        for message in messages:
            values = sum(len(circuit["values"]) for circuit in message["circuits"])
            detail = f"{values} values" if message["status"] == "online" else message["reason"]
            self.stdout.write(f"{message['device']}: {message['status']} ({detail})")


def _dumps(messages: list[dict]) -> str:
    return json_module.dumps(messages, indent=2)
