"""A test-only pause at a named point of an import, so that a test can kill the process there.

Inert unless the environment variable ``KONTUM_IMPORT_PAUSE_AT`` names the point reached; it is set
only by dataio/tests/test_import_killed.py for the subprocess it kills. The points, in order:

- ``rows``: the first rows are written (after each model's inserts, the first one included);
- ``record``: the import record is written, in the same transaction;
- ``commit``: the last statement before the transaction commits;
- ``committed``: the transaction has committed.

At the point the process writes its id to the file named by ``KONTUM_IMPORT_PAUSE_MARKER`` (so the test
knows it is there), sleeps ``KONTUM_IMPORT_PAUSE_SECONDS`` (default 30) and then goes on.
"""
import os
import time
from pathlib import Path

POINT_VARIABLE = "KONTUM_IMPORT_PAUSE_AT"
MARKER_VARIABLE = "KONTUM_IMPORT_PAUSE_MARKER"
SECONDS_VARIABLE = "KONTUM_IMPORT_PAUSE_SECONDS"


def pause_at(point):
    if os.environ.get(POINT_VARIABLE) != point:
        return
    marker = os.environ.get(MARKER_VARIABLE)
    if marker:  # written whole, then renamed: the test never reads a marker that is still empty
        Path(f"{marker}.tmp").write_text(str(os.getpid()), encoding="ascii")
        os.replace(f"{marker}.tmp", marker)
    time.sleep(float(os.environ.get(SECONDS_VARIABLE, "30")))
