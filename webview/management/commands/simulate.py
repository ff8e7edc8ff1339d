import asyncio
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from devices.catalogue import CatalogueError
from webview.demo.site import DEMO_SITE, load_site

UPDATE_SECONDS = 1.0


class Command(BaseCommand):
    help = "Run simulated Modbus TCP meters (the demo site by default) until interrupted."

    def add_arguments(self, parser):
        parser.add_argument("--config", type=Path, default=DEMO_SITE, help="site file (default: the demo site)")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.DEMO_PORT,
                            help="port of the first link; the next ones follow")

    def handle(self, *args, config: Path, host: str, port: int, **options):
        try:
            site = load_site(config)
        except (OSError, CatalogueError, KeyError) as error:
            raise CommandError(f"cannot load {config}: {error}") from None
        try:
            asyncio.run(self._serve(site, host, port))
        except KeyboardInterrupt:
            pass

    async def _serve(self, site, host: str, port: int) -> None:
        site.update(timezone.now())
        links = site.links(host, port)
        for link in links:
            try:
                await link.start()
            except OSError as error:
                raise CommandError(f"cannot listen on {host}:{link.port}: {error}") from None
            units = ", ".join(str(u) for u in sorted(link.units))
            self.stdout.write(f"simulated meters at {host}:{link.port} (Modbus addresses {units})")
        try:
            while True:
                await asyncio.sleep(UPDATE_SECONDS)
                site.update(timezone.now())
        finally:
            for link in links:
                await link.stop()
