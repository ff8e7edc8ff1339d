from django.core.management.base import BaseCommand, CommandError

from webview.demo.history import seed_demo_history


class Command(BaseCommand):
    help = ("Fill plausible history for the demo site's devices (the simulator's daily and weekly profiles); "
            "devices that have history already are left alone.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True, help="how many days back, 1-3660")
        parser.add_argument("--circuits", type=int, help="seed at most this many measured circuits")

    def handle(self, *args, days: int, circuits: int | None, **options):
        if not 1 <= days <= 3660:
            raise CommandError("--days: give 1 to 3660 days")
        if circuits is not None and circuits < 1:
            raise CommandError("--circuits: give at least 1")

        def progress(done: int, total: int, name: str) -> None:
            self.stderr.write(f"\r{done}/{total} {name:<32}", ending="")

        written = seed_demo_history(days, circuits, progress=progress)
        self.stderr.write("")
        self.stdout.write(f"demo history: {written} series over {days} days")
