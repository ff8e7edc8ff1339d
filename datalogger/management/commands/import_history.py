import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _, ngettext

from datalogger.importing import FileRejected, Report, import_file

SHOWN_REJECTIONS = 50  # rows listed per file; a file of garbage would otherwise print all of itself


class Command(BaseCommand):
    help = ("Import history from an existing gateway's files: annex I CSV (energy index per load) and annex II EMS "
            "files, mapped to devices and circuits by name and index. Importing a file twice changes nothing. "
            "A file with a rejected row (a value out of range, a bad date, a row cut short) is not imported at "
            "all: its rejected rows are listed with their line; the command then exits with status 1.")

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
            if not isinstance(explicit, dict):
                raise CommandError(_("--mapping: the file must hold a JSON object"))
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(_("no such file: %(files)s") % {"files": ", ".join(missing)})

        def progress(done: int, total: int, label: str) -> None:
            self.stderr.write(f"\r  {done}/{total} {label[:60]:<60}", ending="")

        rejected = 0
        for path in files:
            try:
                report = import_file(path, explicit, progress)
            except FileRejected as error:
                self.stderr.write(_("%(file)s, line %(line)s: %(reason)s; nothing imported from this file")
                                  % {"file": path.name, "line": error.line, "reason": error.reason})
                rejected += 1
                continue
            if report.rejected:
                self._rejected(report)
                rejected += 1
                continue
            if report.imported or report.unmapped:
                self.stderr.write("")  # ends the progress line
            self.stdout.write(_("%(file)s: %(imported)s points imported, %(unmapped)s not mapped")
                              % {"file": path.name, "imported": report.imported, "unmapped": len(report.unmapped)})
            for line in report.unmapped:
                self.stdout.write("  " + _("not mapped: %(column)s") % {"column": line})
        if rejected:
            raise CommandError(_("%(rejected)s of %(files)s files rejected (see above); the others were imported")
                               % {"rejected": rejected, "files": len(files)})

    def _rejected(self, report: Report) -> None:
        """One line naming the file and its first rejected row, then every rejected row."""
        first = report.rejected[0]
        count = len(report.rejected)
        self.stderr.write(ngettext("%(file)s, line %(line)s: %(reason)s; %(count)s row rejected, nothing imported "
                                   "from this file", "%(file)s, line %(line)s: %(reason)s; %(count)s rows rejected, "
                                   "nothing imported from this file", count)
                          % {"file": report.path.name, "line": first.line, "reason": first.reason, "count": count})
        for rejection in report.rejected[:SHOWN_REJECTIONS]:
            self.stderr.write("  " + _("line %(line)s: %(reason)s")
                              % {"line": rejection.line, "reason": rejection.reason})
        if count > SHOWN_REJECTIONS:
            self.stderr.write("  " + _("… and %(more)s more rejected rows") % {"more": count - SHOWN_REJECTIONS})
