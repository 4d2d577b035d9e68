"""python manage.py export_data <kind> <file.csv|file.xlsx>"""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dataio.exporters import write_file
from dataio.kinds import KINDS


class Command(BaseCommand):
    help = ("Write every record of a kind to a CSV (UTF-8 with BOM) or XLSX file, in the columns the import "
            "reads, with the stable codes; empty cells for unknown values.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        if path.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("The file name must end in .csv or .xlsx.")
        count = write_file(opts["kind"], path)
        self.stdout.write(f"{count} rows written to {path}")
