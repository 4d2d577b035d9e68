"""python manage.py restore FILE [--language vi|en]

Brings a backup archive (`manage.py backup`) back into an empty database of the same engine, then
checks the rows of every table against the archive's manifest. See docs/operations.md.
"""
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import translation
from django.utils.translation import gettext as _

from kontum_cp.backups import BackupError, restore_backup, summary


class Command(BaseCommand):
    help = ("Restore a backup archive written by `manage.py backup` into an empty database (a new one, or "
            "one only migrated), and check every table's rows against the archive's manifest.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive (kontum-cp-….tar.gz).")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")
        parser.add_argument("--language", choices=["vi", "en"], default="vi",
                            help="Language of the messages (default: vi).")

    def handle(self, *args, **opts):
        with translation.override(opts["language"]):
            try:
                manifest = restore_backup(opts["file"], connection=connections[opts["database"]])
            except BackupError as error:
                raise CommandError(str(error))
            tables, rows = summary(manifest)
            self.stdout.write(_(
                "Restored the backup of %(created)s: %(tables)d tables, %(rows)d rows, every count as in the "
                "manifest. Run `manage.py migrate` next if this version of the portal is newer than the backup."
            ) % {"created": manifest["created_at"], "tables": tables, "rows": rows})
