"""python manage.py export_data <kind> <file.csv|file.xlsx> [--language vi|en]"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from dataio.exporters import write_file
from dataio.kinds import KINDS


class Command(BaseCommand):
    help = ("Write every record of a kind to a CSV (UTF-8 with BOM) or XLSX file, in the columns the import "
            "reads, with the stable codes; empty cells for unknown values. The header row and the messages "
            "follow --language (default Vietnamese); the import reads either header row.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--language", choices=["vi", "en"], default="vi",
                            help="Language of the header row and the messages (default: vi).")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        with translation.override(opts["language"]):
            if path.suffix.lower() not in (".csv", ".xlsx"):
                raise CommandError(_("The file name must end in .csv or .xlsx."))
            count = write_file(opts["kind"], path, headers=opts["language"])
            self.stdout.write(_("%(count)d rows written to %(path)s") % {"count": count, "path": path})
