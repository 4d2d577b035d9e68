"""python manage.py backup DIR [--keep N] [--language vi|en]

Writes one archive of the whole database into DIR (kontum_cp/backups.py); `manage.py restore` brings it
back. Meant for a nightly timer; see docs/operations.md.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import translation
from django.utils.translation import gettext as _

from kontum_cp.backups import BackupError, create_backup, summary


class Command(BaseCommand):
    help = ("Write a backup archive of the whole database into a directory: pg_dump's custom format on "
            "PostgreSQL or a consistent copy of the SQLite file, a JSON dump, and a manifest with the rows "
            "of every table. Restore it with `manage.py restore`.")

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Directory for the archive (created if missing).")
        parser.add_argument("--keep", type=int, default=None,
                            help="Keep only the newest N archives in the directory (default: keep all).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")
        parser.add_argument("--language", choices=["vi", "en"], default="vi",
                            help="Language of the messages (default: vi).")

    def handle(self, *args, **opts):
        with translation.override(opts["language"]):
            if opts["keep"] is not None and opts["keep"] < 1:
                raise CommandError(_("--keep must be at least 1."))
            try:
                path, manifest = create_backup(opts["directory"], connection=connections[opts["database"]],
                                               keep=opts["keep"])
            except BackupError as error:
                raise CommandError(str(error))
            tables, rows = summary(manifest)
            self.stdout.write(_("Backup written to %(path)s: %(tables)d tables, %(rows)d rows.")
                              % {"path": path, "tables": tables, "rows": rows})
