"""python manage.py import_data <kind> <file> [--dry-run]"""
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dataio.kinds import KINDS
from dataio.models import ImportRecord
from dataio.reporting import summary_lines
from dataio.services import import_file

STAGES = {"read": gettext_lazy("reading"), "check": gettext_lazy("checking"), "write": gettext_lazy("writing")}


class Command(BaseCommand):
    help = ("Import a CSV or XLSX file of one kind (all or nothing). Exit status 0 when every row was "
            "imported (or, with --dry-run, would be), 1 when any row has an error (nothing is written).")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file without writing anything.")
        parser.add_argument("--language", choices=["vi", "en"], default="vi",
                            help="Language of the messages (default: vi).")
        parser.add_argument("--max-errors", type=int, default=200, help="How many errors to print (default 200).")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        with translation.override(opts["language"]):
            if not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
            size = path.stat().st_size
            # The file is read as a stream (dataio.parsing); one over the size limit is not read at all,
            # the service refuses it with the usual message.
            with path.open("rb") as data:
                result = import_file(kind=opts["kind"], file_name=path.name, data=data, size=size,
                                     dry_run=opts["dry_run"], source=ImportRecord.Source.COMMAND,
                                     progress=self._progress)
            self._end_progress()
            for line in summary_lines(result, max_errors=opts["max_errors"]):
                self.stdout.write(line)
        if not result.ok:
            sys.exit(1)

    def _progress(self, stage, done, total):
        if stage != "write" and total < 2000 or stage == "write" and not getattr(self, "_shown", False):
            return  # small files need no progress bar
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "." * (width - filled)
        self.stderr.write(f"\r{str(STAGES.get(stage, stage)):9} [{bar}] {done:>9,}/{total:,}", ending="")
        self.stderr.flush()
        self._shown = True

    def _end_progress(self):
        if getattr(self, "_shown", False):
            self.stderr.write("")
