"""Backups of the whole database, and their restore (`manage.py backup DIR`, `manage.py restore FILE`).

An archive (``kontum-cp-YYYYMMDD-HHMMSS.tar.gz``) holds:

- the database itself: ``database.pgdump`` (pg_dump's custom format) on PostgreSQL, or ``database.sqlite3``
  (a consistent copy made with SQLite's backup API, safe while the portal runs) on SQLite;
- ``data.json``: every row as `dumpdata` writes it (natural keys), readable and loadable into either engine;
- ``manifest.json``: when and from which engine, the applied migrations, the rows of every table and a
  SHA-256 of each file. A restore checks the files against it and counts the rows again afterwards.

The copy, the JSON dump and the counts are read from one snapshot of the database (one transaction;
on PostgreSQL pg_dump joins it through an exported snapshot), so they agree with each other.
"""
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

ARCHIVE_PREFIX = "kontum-cp-"
ARCHIVE_SUFFIX = ".tar.gz"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
JSON_DUMP = "data.json"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# What `migrate` writes into a new database by itself: a database holding rows only there counts as empty.
MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission", "auth_group",
                  "auth_group_permissions"}
MIGRATE_REFERENCE_MODELS = ("establishments.Place", "establishments.PlaceSuccession", "establishments.Sector",
                            "establishments.Department", "indicators.ResourceType")
# Rebuilt by `migrate`, or of no use in a copy (sessions; the dashboard's figures kept for a state of the data,
# computed again from the restored records): left out of the JSON dump.
JSON_EXCLUDED = ["contenttypes", "auth.permission", "sessions", "indicators.DashboardSummary"]
# Figures computed from the records, not records: a database holding only these counts as empty too.
DERIVED_MODELS = ("indicators.DashboardSummary",)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the person who ran the command."""


def engine_of(connection):
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(_("Backups support SQLite and PostgreSQL only, not %(vendor)s.")
                          % {"vendor": connection.vendor})
    return connection.vendor


def table_counts(connection):
    """{table: number of rows} for every table of the database, Django's and others alike."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for name in names:
            query = f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}"  # nosec B608 # the database's own names
            cursor.execute(query)
            counts[name] = cursor.fetchone()[0]
    return counts


def occupied_tables(connection):
    """{table: rows} of the tables that hold rows other than the ones `migrate` writes by itself."""
    migrate_tables = MIGRATE_TABLES | {apps.get_model(label)._meta.db_table
                                       for label in MIGRATE_REFERENCE_MODELS + DERIVED_MODELS}
    return {name: rows for name, rows in table_counts(connection).items()
            if rows and name not in migrate_tables and not name.startswith("sqlite_")}  # SQLite's own (ANALYZE)


# ------------------------------------------------------------------------------------------------ backup

def create_backup(directory, *, connection, keep=None):
    """Write an archive into `directory` and return (its path, its manifest); with `keep`, remove all but
    the newest `keep` archives of this kind in the directory."""
    engine = engine_of(connection)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    created = timezone.localtime()
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        work = Path(work)
        database_file = work / DATABASE_FILES[engine]
        if engine == "postgresql" and connection.in_atomic_block:
            # pg_dump, another process, would not see what this transaction has not committed yet.
            raise BackupError(_("A backup cannot run inside a transaction."))
        with transaction.atomic(using=connection.alias):
            if engine == "postgresql":
                _pg_dump(connection, database_file)
            else:
                _sqlite_copy(connection, database_file)
            counts = table_counts(connection)
            migrations = _applied_migrations(connection)
            call_command("dumpdata", "--natural-foreign", "--natural-primary", "--all", "--indent", "1",
                         *(f"--exclude={label}" for label in JSON_EXCLUDED), database=connection.alias,
                         output=str(work / JSON_DUMP), verbosity=0)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": created.isoformat(),
            "engine": engine,
            "django": django.get_version(),
            "database_file": database_file.name,
            "json_file": JSON_DUMP,
            "migrations": migrations,
            "tables": counts,
            "sha256": {name: _sha256(work / name) for name in (database_file.name, JSON_DUMP)},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        path = _free_name(directory, created)
        partial = work / "archive.partial"
        with tarfile.open(partial, "w:gz") as archive:
            for name in (MANIFEST, database_file.name, JSON_DUMP):
                archive.add(work / name, arcname=name)
        os.chmod(partial, 0o600)  # password hashes are inside
        os.replace(partial, path)  # complete or absent, never half-written
    if keep:
        remove_old_archives(directory, keep)
    return path, manifest


def _free_name(directory, created):
    stem = ARCHIVE_PREFIX + created.strftime("%Y%m%d-%H%M%S")
    path, n = directory / (stem + ARCHIVE_SUFFIX), 1
    while path.exists():
        n += 1
        path = directory / f"{stem}-{n}{ARCHIVE_SUFFIX}"
    return path


ARCHIVE_NAME = re.compile(re.escape(ARCHIVE_PREFIX) + r"(\d{8}-\d{6})(?:-(\d+))?" + re.escape(ARCHIVE_SUFFIX) + "$")


def archives_in(directory):
    """The archives this command wrote into `directory`, oldest first (by the time in their names)."""
    found = []
    for path in Path(directory).iterdir():
        match = ARCHIVE_NAME.match(path.name)
        if match and path.is_file():
            found.append(((match[1], int(match[2] or 1)), path))
    return [path for _key, path in sorted(found)]


def remove_old_archives(directory, keep):
    found = archives_in(directory)
    old = found[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def _applied_migrations(connection):
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sqlite_copy(connection, target):
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _pg_dump(connection, target):
    with connection.cursor() as cursor:
        # One snapshot for the whole transaction, shared with pg_dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    _run_pg("pg_dump", connection, ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
                                    f"--file={target}"])


def _run_pg(program, connection, options, *, then=()):
    """Run pg_dump or pg_restore against the connection's database, with its credentials in the environment.

    The connection arguments are the ones `manage.py dbshell` gives psql (Django's own rules): options,
    then the database name last, then `then`."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(_("%(program)s was not found: install the PostgreSQL client programs "
                            "(Debian: apt-get install postgresql-client).") % {"program": program})
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, list(options))
    command = [executable, *args[1:], *then]
    result = subprocess.run(command, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(_("%(program)s failed: %(error)s") % {"program": program,
                                                                 "error": result.stderr.strip()})


# ------------------------------------------------------------------------------------------------ restore

def read_archive(path):
    """(manifest, {name: bytes}) of an archive, after checking its files against the manifest."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = {m.name: m for m in archive.getmembers() if m.isfile()}
            if MANIFEST not in members:
                raise BackupError(_("%(file)s is not a backup of this portal (it has no manifest).")
                                  % {"file": path})
            manifest = json.loads(archive.extractfile(members[MANIFEST]).read().decode("utf-8"))
            wanted = (manifest.get("database_file"), manifest.get("json_file"))
            files = {name: archive.extractfile(members[name]).read() for name in wanted if name in members}
    except (OSError, tarfile.TarError, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BackupError(_("%(file)s cannot be read as a backup: %(error)s") % {"file": path, "error": error})
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(_("%(file)s was written in a backup format this version cannot read.") % {"file": path})
    for name, expected in manifest.get("sha256", {}).items():
        if name not in files or hashlib.sha256(files[name]).hexdigest() != expected:
            raise BackupError(_("%(file)s is damaged: %(name)s does not match its checksum.")
                              % {"file": path, "name": name})
    return manifest, files


def restore_backup(path, *, connection):
    """Bring the archive back into the connection's database, which must be empty; return the manifest."""
    manifest, files = read_archive(path)
    engine = engine_of(connection)
    if manifest["engine"] != engine:
        raise BackupError(_(
            "This backup was made from a %(made)s database and can only be restored into one; this portal "
            "uses %(current)s. To move the data, run migrate on the new database and load data.json from "
            "the archive with loaddata."
        ) % {"made": manifest["engine"], "current": engine})
    occupied = occupied_tables(connection)
    if occupied:
        listed = ", ".join(f"{name} ({rows})" for name, rows in sorted(occupied.items())[:5])
        raise BackupError(_(
            "The database is not empty: %(count)d tables hold data (%(tables)s). A restore would mix two "
            "databases, so it only goes into a new, empty database: create one (or run migrate on one) "
            "and point DATABASE_URL at it."
        ) % {"count": len(occupied), "tables": listed})
    with tempfile.TemporaryDirectory(prefix="kontum-cp-restore-") as work:
        database_file = Path(work) / manifest["database_file"]
        database_file.write_bytes(files[manifest["database_file"]])
        if engine == "postgresql":
            connection.close()
            _run_pg("pg_restore", connection, ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                                               "--single-transaction", "--exit-on-error", "--dbname"],
                    then=[str(database_file)])
        else:
            _sqlite_restore(connection, database_file)
    counts = table_counts(connection)
    differing = sorted(name for name in set(counts) | set(manifest["tables"])
                       if counts.get(name) != manifest["tables"].get(name))
    if differing:
        raise BackupError(_("The restored database differs from the backup's manifest in %(tables)s.")
                          % {"tables": ", ".join(differing)})
    return manifest


def _sqlite_restore(connection, source_file):
    if connection.in_atomic_block:
        raise BackupError(_("A restore cannot run inside a transaction."))
    connection.ensure_connection()
    source = sqlite3.connect(source_file)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def summary(manifest):
    """(tables, rows) of a manifest, for the commands' messages."""
    return len(manifest["tables"]), sum(manifest["tables"].values())

