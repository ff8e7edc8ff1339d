import sys

from django.core.management.base import BaseCommand, CommandError

from devices.autodetect import autodetect


def unit_range(text: str) -> range:
    first, _, last = text.partition("-")
    try:
        first_id, last_id = int(first), int(last or first)
    except ValueError:
        raise CommandError(f"--units {text}: expected N or N-M") from None
    if not 1 <= first_id <= last_id <= 247:
        raise CommandError(f"--units {text}: Modbus addresses are 1-247")
    return range(first_id, last_id + 1)


class Command(BaseCommand):
    help = "Scan a host's Modbus addresses, identify Socomec devices and add the new ones (§9.6.3)."

    def add_arguments(self, parser):
        parser.add_argument("--host", required=True)
        parser.add_argument("--port", type=int, default=502)
        parser.add_argument("--units", default="1-247", help="addresses to scan, e.g. 1-32")
        parser.add_argument("--timeout", type=float, default=0.3, help="seconds to wait at each address")
        parser.add_argument("--area")

    def handle(self, *args, host: str, port: int, units: str, timeout: float, area: str | None, **options):
        def progress(done: int, total: int, stage: str) -> None:
            if sys.stderr.isatty() or done == total or done % 16 == 0:
                self.stderr.write(f"\rscanned {done}/{total} ({stage})", ending="")

        try:
            found = autodetect(host, port, unit_range(units), timeout, progress, area)
        except ConnectionError as error:
            raise CommandError(str(error)) from None
        self.stderr.write("")
        for item in found:
            name = item.product_name or "-"
            self.stdout.write(f"{item.unit_id:>3}  {name:<18} {item.reference or '-':<12} {item.outcome}")
        added = sum(item.outcome == "added" for item in found)
        self.stdout.write(f"{len(found)} devices found, {added} added")
