import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from datalogger.importing import ImportFailed, import_file


class Command(BaseCommand):
    help = ("Import history from an existing gateway's files: annex I CSV (energy index per load) and annex II EMS "
            "files, mapped to devices and circuits by name and index. Importing a file twice changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--mapping", type=Path,
                            help='JSON: {"Device/Load": circuit id} for annex I, {"unique key": {"circuit": id, '
                                 '"quantity": "CODE"}} for annex II, for what names do not map')

    def handle(self, *args, files: list[Path], mapping: Path | None, **options):
        explicit = {}
        if mapping:
            try:
                explicit = json.loads(mapping.read_text(encoding="utf-8"))
            except (OSError, ValueError) as error:
                raise CommandError(f"--mapping: {error}") from None
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"no such file: {', '.join(missing)}")

        def progress(done: int, total: int, label: str) -> None:
            self.stderr.write(f"\r  {done}/{total} {label[:60]:<60}", ending="")

        failed = False
        for path in files:
            try:
                report = import_file(path, explicit, progress)
            except (ImportFailed, ValueError) as error:
                self.stderr.write(f"\n{path.name}: {error}")
                failed = True
                continue
            self.stderr.write("")
            self.stdout.write(f"{path.name}: {report.imported} points imported, {len(report.unmapped)} not mapped")
            for line in report.unmapped:
                self.stdout.write(f"  not mapped: {line}")
        if failed:
            raise CommandError("some files could not be read (see above); the others were imported")
