"""`manage.py backup DIR` and `manage.py restore FILE`: a round trip gives back every table, row for row,
and the same `progress` output; a restore refuses a database that already holds data.

On SQLite the test database is emptied (flush) and the archive restored into it; on PostgreSQL (CI) the
archive goes into a second database that the test creates and drops.
"""
import contextlib
import io
import json
import tarfile

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kontum_cp import backups
from kontum_cp.roles import DATA_ENTRY
from tests import factories as f

# Committed data (pg_dump is another process), with the reference data of the migrations loaded again.
def ROUND_TRIP(test):  # noqa: N802 - used as a mark
    return pytest.mark.usefixtures("reference_data")(pytest.mark.django_db(transaction=True)(test))


def _tables():
    """Every table of the database with its rows, in a stable order."""
    found = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(name)}")
            found[name] = sorted(repr(row) for row in cursor.fetchall())
    return found


def _progress():
    cache.clear()
    outputs = []
    for fmt, language in (("table", "en"), ("table", "vi"), ("json", "en")):
        out = io.StringIO()
        call_command("progress", "--format", fmt, "--language", language, stdout=out)
        outputs.append(out.getvalue())
    return outputs


def _command(name, *args):
    out = io.StringIO()
    call_command(name, *args, "--language", "en", stdout=out)
    return out.getvalue()


@contextlib.contextmanager
def _empty_database():
    """The default connection pointed at an empty database for the duration."""
    if connection.vendor == "sqlite":
        # The test database lives in memory, where the connection cannot be moved: empty it instead.
        call_command("flush", interactive=False, verbosity=0)
        yield
        return
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    target = f"{original}_restore"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(target)}")
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(target)}")
    connection.close()
    settings_dict["NAME"] = target
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = original
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(target)}")


def _programme_data():
    call_command("loaddata", "kontum_2009_2018", verbosity=0)
    f.user("entry", DATA_ENTRY)
    est = f.establishment(code="KT-BK1", name="Nhà máy sao lưu")
    f.report(est, 2018, 1500, {"electricity": 300000, "water": 25000})
    f.attendance(f.event(code="EV-BK1"), f.person(name="Nguyễn Văn Sao"))


@ROUND_TRIP
def test_backup_then_restore_into_an_empty_database_gives_everything_back(tmp_path):
    _programme_data()
    tables, progress = _tables(), _progress()

    message = _command("backup", str(tmp_path))
    [archive] = backups.archives_in(tmp_path)
    assert str(archive) in message
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
        manifest = json.loads(opened.extractfile("manifest.json").read())
        dumped = json.loads(opened.extractfile("data.json").read())
    assert names == {"manifest.json", "data.json", backups.DATABASE_FILES[connection.vendor]}
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"] == {name: len(rows) for name, rows in tables.items()}
    assert manifest["tables"]["establishments_establishment"] > 1
    assert any(row["model"] == "training.attendance" for row in dumped)

    with _empty_database():
        assert backups.occupied_tables(connection) == {}
        assert "every count as in the manifest" in _command("restore", str(archive))
        assert _tables() == tables
        assert _progress() == progress


@ROUND_TRIP
def test_restore_refuses_a_database_that_holds_data(tmp_path):
    _programme_data()
    _command("backup", str(tmp_path))
    [archive] = backups.archives_in(tmp_path)
    f.establishment(code="KT-AFTER")
    before = _tables()
    with pytest.raises(CommandError, match="The database is not empty"):
        _command("restore", str(archive))
    assert _tables() == before


@pytest.mark.django_db
def test_a_freshly_migrated_database_counts_as_empty():
    # Only what `migrate` writes by itself (kontum_cp.backups.MIGRATE_TABLES and the reference data).
    assert backups.occupied_tables(connection) == {}
    f.user("someone")
    assert list(backups.occupied_tables(connection)) == ["auth_user"]


@ROUND_TRIP
def test_keep_leaves_only_the_newest_archives(tmp_path):
    for _ in range(3):
        _command("backup", str(tmp_path), "--keep", "2")
    kept = backups.archives_in(tmp_path)
    assert len(kept) == 2
    assert [p.name for p in tmp_path.iterdir()] and all(p.name.startswith("kontum-cp-") for p in tmp_path.iterdir())
    assert oct(kept[-1].stat().st_mode & 0o777) == "0o600"


@ROUND_TRIP
def test_a_damaged_or_foreign_archive_is_refused(tmp_path):
    _command("backup", str(tmp_path))
    [archive] = backups.archives_in(tmp_path)
    with tarfile.open(archive) as opened:
        members = {name: opened.extractfile(name).read() for name in opened.getnames()}
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as out:
        for name, data in members.items():
            data = data.replace(b"auth.group", b"auth.GROUP") if name == "data.json" else data
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="is damaged: data.json"):
        _command("restore", str(damaged))
    foreign = tmp_path / "foreign.tar.gz"
    foreign.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="cannot be read as a backup"):
        _command("restore", str(foreign))
