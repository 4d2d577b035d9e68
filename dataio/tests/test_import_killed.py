"""An import killed at any point leaves neither its rows nor its record; a finished one leaves both (issue 10).

The import runs as `manage.py import_data` in a subprocess against the test database and is stopped with
SIGKILL at a point named by the test-only pause (dataio/faultpoints.py): the process writes a marker file
when it is there, so the kill lands at that point and not before. PostgreSQL only: SQLite's test database
lives in memory, out of a subprocess's reach, and a killed PostgreSQL client is what a server sees when a
worker dies.
"""
import os
import signal
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from dataio.faultpoints import MARKER_VARIABLE, POINT_VARIABLE, SECONDS_VARIABLE
from dataio.kinds import KINDS
from dataio.models import ImportRecord
from establishments.models import Establishment

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_S = 60  # for the subprocess to reach its pause (Django's start-up included)


@pytest.fixture
def postgresql(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a subprocess cannot reach SQLite's in-memory test database")


def _database_url():
    db = settings.DATABASES["default"]  # the test database's name at this point
    return "postgres://%s:%s@%s:%s/%s" % (quote(db["USER"], safe=""), quote(db["PASSWORD"], safe=""),
                                         db["HOST"] or "localhost", db["PORT"] or 5432, db["NAME"])


def _file(tmp_path, prefix):
    """Three new establishments (the codes start with `prefix`): the file and its codes."""
    codes = [f"{prefix}-{n}" for n in range(1, 4)]
    path = tmp_path / f"{prefix}.csv"
    lines = [",".join(KINDS["establishments"].headers("en"))]
    for code in codes:
        lines.append(",".join([code, f"Cơ sở {code}"] + [""] * (len(KINDS["establishments"].columns) - 2)))
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path, codes


def _start(path, tmp_path, pause_at=None):
    env = dict(os.environ, DATABASE_URL=_database_url(), CONN_MAX_AGE="0")
    for name in (POINT_VARIABLE, MARKER_VARIABLE, SECONDS_VARIABLE):
        env.pop(name, None)
    marker = tmp_path / f"paused-{pause_at}"
    if pause_at:
        env.update({POINT_VARIABLE: pause_at, MARKER_VARIABLE: str(marker), SECONDS_VARIABLE: str(WAIT_S)})
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_data", "establishments", str(path), "--language", "en"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return process, marker


def _kill_when_paused(process, marker):
    deadline = time.monotonic() + WAIT_S
    while not marker.exists():
        if process.poll() is not None:
            pytest.fail("the import ended before its pause: " + process.stdout.read().decode(errors="replace"))
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the import did not reach its pause in time")
        time.sleep(0.05)
    assert marker.read_text() == str(process.pid)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdout.close()


def _held(codes, path):
    """(establishments, their history rows, import records of the file) in the database now."""
    return (Establishment.objects.filter(code__in=codes).count(),
            Establishment.history.filter(code__in=codes).count(),
            ImportRecord.objects.filter(file_name=path.name).count())


@pytest.mark.parametrize("point", ["rows", "record", "commit"])
def test_an_import_killed_before_its_commit_leaves_neither_rows_nor_record(postgresql, tmp_path, point):
    path, codes = _file(tmp_path, f"KILL-{point.upper()}")
    process, marker = _start(path, tmp_path, pause_at=point)
    _kill_when_paused(process, marker)
    assert _held(codes, path) == (0, 0, 0)


def test_an_import_killed_right_after_its_commit_leaves_both(postgresql, tmp_path):
    path, codes = _file(tmp_path, "KILL-COMMITTED")
    process, marker = _start(path, tmp_path, pause_at="committed")
    _kill_when_paused(process, marker)
    assert _held(codes, path) == (3, 3, 1)
    record = ImportRecord.objects.get(file_name=path.name)
    assert (record.source, record.created, record.errors, record.dry_run) == ("command", 3, 0, False)


def test_an_import_left_to_finish_leaves_both(postgresql, tmp_path):
    path, codes = _file(tmp_path, "FINISH")
    process, _ = _start(path, tmp_path)
    output, _ = process.communicate(timeout=WAIT_S)
    assert process.returncode == 0, output.decode(errors="replace")
    assert _held(codes, path) == (3, 3, 1)
