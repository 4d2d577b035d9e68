#!/usr/bin/env python
"""Benchmark: import N annual-report rows (default 100,000) into a fresh database, against the floor.

Usage: .venv/bin/python scripts/bench_import.py [--rows 100000] [--runs 3] [--xlsx] [--database-url URL]

Creates N/10 establishments (each with 2 years x 5 resources = 10 rows) and writes the rows to a CSV (or
XLSX) file. Then, --runs times, on emptied report tables: the floor (`scripts/import_floor.py`: the same
rows loaded by plain set-based SQL, from the CSV), and the portal's import of the file (the service of the
browser and of `import_data`); after the last run, a re-import of the same file (everything unchanged).
Prints the medians, the ratio import / floor, and the peak memory of an import run alone in a fresh
process (its peak resident size, and how much it grew during the import): of the file's bytes (as
`import_data`), and of the upload kept between the preview and the confirmation (as the browser's
confirmation: the table loaded from it, then imported).
Without --database-url it uses a throw-away SQLite file.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESOURCES = ["electricity", "coal", "water", "cassava_roots", "diesel"]
REPORT_TABLES = ["indicators_historicalresourceline", "indicators_historicalannualreport",
                 "indicators_resourceline", "indicators_annualreport", "dataio_importrecord"]


def setup_django(database_url, workdir):
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DEBUG", "False")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_cp.settings")
    os.environ.setdefault("DASHBOARD_WARMUP", "False")  # no background recompute inside the timings
    os.environ["IMPORT_MAX_BYTES"] = str(500 * 1024 * 1024)
    import django

    django.setup()


def rss_mb():
    """The resident size of this process now (Linux)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


def peak_rss_mb():
    """The peak resident size of this process (Linux: VmHWM). Not getrusage's ru_maxrss: Linux keeps that
    across exec, so a child started by a larger process would report its parent's peak."""
    with open("/proc/self/status") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024


def empty_report_tables():
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(REPORT_TABLES))
        else:
            for table in REPORT_TABLES:
                cursor.execute(f"DELETE FROM {table}")  # nosec B608 # the script's own list of tables
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")


def bench_rows(n):
    for i in range(n):
        est, k = divmod(i, 10)
        year, res = 2015 + k // 5, RESOURCES[k % 5]
        yield [f"KT-{est:06d}", year, "Tinh bột sắn", "t", f"{1000 + est % 500}.5", res, f"{(i * 37) % 100000 + 0.25}"]


def write_file(rows, xlsx):
    import pandas as pd

    from dataio.exporters import csv_bytes, xlsx_bytes

    frame = pd.DataFrame(list(bench_rows(rows)), columns=["establishment_code", "year", "product", "product_unit",
                                                          "output", "resource", "quantity"], dtype=object)
    return xlsx_bytes(frame) if xlsx else csv_bytes(frame)


def timed_import(name, data=None, table=None):
    from dataio.services import import_file

    t0 = time.perf_counter()
    result = import_file(kind="reports", file_name=name, data=data, table=table)
    seconds = time.perf_counter() - t0
    assert result.ok, result.errors[:5]
    return seconds, result


def child_memory(path, token):
    """Run in a fresh process: one import of the file at `path` (as `import_data`), or with `token` of the
    upload kept from it (as the confirmation in the browser: the table loaded, then imported); print its
    memory."""
    from dataio import uploads

    data = None if token else Path(path).read_bytes()
    before = rss_mb()
    table = None
    if token:
        request = SimpleNamespace(session={uploads.SESSION_KEY: {token: {"kind": "reports", "file_name": path}}})
        table = uploads.load(request, token)[2]
    seconds, result = timed_import(Path(path).name, data, table)
    peak = peak_rss_mb()
    print(f"{peak:.0f} {peak - before:.0f} {seconds:.2f} {result.counts['created']}")


def memory_in_child(database_url, path, token=""):
    """(peak MB, MB grown) of an import run alone in a fresh process."""
    out = subprocess.run([sys.executable, __file__, "--child-memory", str(path), "--token", token,
                          "--database-url", database_url], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1]), int(out[3])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--xlsx", action="store_true", help="import an XLSX file instead of CSV")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--child-memory", default="", help=argparse.SUPPRESS)
    parser.add_argument("--token", default="", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    if opts.child_memory:
        setup_django(opts.database_url, workdir)
        return child_memory(opts.child_memory, opts.token)
    database_url = opts.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    setup_django(database_url, workdir)
    from django.core.management import call_command
    from django.db import connection, transaction

    from establishments.models import Establishment
    from indicators.models import AnnualReport, ResourceLine
    from scripts import import_floor

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    n_est = max(1, opts.rows // 10)
    Establishment.objects.bulk_create(
        [Establishment(code=f"KT-{i:06d}", name=f"Cơ sở {i}") for i in range(n_est)], batch_size=1000)
    print(f"{connection.vendor}, fresh database, {n_est:,} establishments: {time.perf_counter() - t0:.1f} s")
    csv_data = write_file(opts.rows, xlsx=False)
    data = write_file(opts.rows, xlsx=True) if opts.xlsx else csv_data
    name = "bench.xlsx" if opts.xlsx else "bench.csv"
    print(f"file {name}: {opts.rows:,} rows, {len(data) / 1048576:.1f} MB")

    floors, imports = [], []
    for run in range(opts.runs):
        empty_report_tables()
        t0 = time.perf_counter()
        with transaction.atomic():
            import_floor.load(connection, csv_data)
        floors.append(time.perf_counter() - t0)
        assert ResourceLine.objects.count() == opts.rows
        empty_report_tables()
        seconds, result = timed_import(name, data)
        imports.append(seconds)
        assert ResourceLine.objects.count() == opts.rows and result.counts["created"] == opts.rows
        print(f"run {run + 1}: floor {floors[-1]:.2f} s, import {seconds:.2f} s")
    t0 = time.perf_counter()
    again = timed_import(name, data)[1]
    reimport = time.perf_counter() - t0
    assert again.all_unchanged

    empty_report_tables()
    path = workdir / name
    path.write_bytes(data)
    peak, grown, created = memory_in_child(database_url, path)
    assert created == opts.rows
    empty_report_tables()
    from dataio import uploads
    from dataio.services import read_upload

    token = uploads.store(SimpleNamespace(session={}), kind="reports", file_name=name, table=read_upload(name, data)[0])
    upload_peak, upload_grown, created = memory_in_child(database_url, path, token)
    assert created == opts.rows
    uploads.discard(SimpleNamespace(session={}), token)

    floor, imported = statistics.median(floors), statistics.median(imports)
    print(f"\n{connection.vendor}, {opts.rows:,} rows ({AnnualReport.objects.count():,} reports), "
          f"median of {opts.runs} runs:")
    print(f"  floor (set-based SQL load)   {floor:6.2f} s")
    print(f"  import (portal)              {imported:6.2f} s")
    print(f"  ratio import / floor         {imported / floor:6.1f}")
    print(f"  re-import, all unchanged     {reimport:6.2f} s")
    print(f"  peak memory of an import     {peak:6.0f} MB resident (grew {grown:.0f} MB during the import)")
    print(f"  ... of a confirmation        {upload_peak:6.0f} MB resident (grew {upload_grown:.0f} MB loading the "
          "kept upload and importing it)")


if __name__ == "__main__":
    main()
