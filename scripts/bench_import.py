#!/usr/bin/env python
"""Benchmark: import N annual-report rows (default 100,000) into a fresh database.

Usage: .venv/bin/python scripts/bench_import.py [--rows 100000] [--xlsx] [--database-url URL]
Creates N/10 establishments (each with 2 years x 5 resources = 10 rows), writes the
rows to a CSV (or XLSX) file, imports it with the same service as the browser and
the command, then imports it again (everything unchanged), and prints the timings.
Without --database-url it uses a throw-away SQLite file.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESOURCES = ["electricity", "coal", "water", "cassava_roots", "diesel"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true", help="import an XLSX file instead of CSV")
    parser.add_argument("--database-url", default="")
    opts = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    os.environ["DATABASE_URL"] = opts.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DEBUG", "False")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_cp.settings")
    os.environ["IMPORT_MAX_BYTES"] = str(500 * 1024 * 1024)

    import django

    django.setup()
    from django.core.management import call_command

    from dataio.exporters import csv_bytes, xlsx_bytes
    from dataio.services import import_file
    from establishments.models import Establishment
    from indicators.models import AnnualReport, ResourceLine

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    n_est = max(1, opts.rows // 10)
    Establishment.objects.bulk_create(
        [Establishment(code=f"KT-{i:06d}", name=f"Cơ sở {i}") for i in range(n_est)], batch_size=1000)
    print(f"fresh database, {n_est:,} establishments: {time.perf_counter() - t0:.1f} s")

    import pandas as pd

    rows = []
    for i in range(opts.rows):
        est, k = divmod(i, 10)
        year, res = 2015 + k // 5, RESOURCES[k % 5]
        rows.append([f"KT-{est:06d}", year, "Tinh bột sắn", "t", f"{1000 + est % 500}.5", res,
                     f"{(i * 37) % 100000 + 0.25}"])
    frame = pd.DataFrame(rows, columns=["establishment_code", "year", "product", "product_unit", "output",
                                        "resource", "quantity"], dtype=object)
    t0 = time.perf_counter()
    data = xlsx_bytes(frame) if opts.xlsx else csv_bytes(frame)
    name = "bench.xlsx" if opts.xlsx else "bench.csv"
    print(f"file {name}: {opts.rows:,} rows, {len(data) / 1048576:.1f} MB, written in {time.perf_counter() - t0:.1f} s")

    stages = {}

    def progress(stage, done, total):
        stages.setdefault(stage, time.perf_counter())

    t0 = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    result = import_file(kind="reports", file_name=name, data=data, progress=progress)
    if os.environ.get("BENCH_PROFILE"):
        prof.disable()
        pstats.Stats(prof).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(35)
    total = time.perf_counter() - t0
    assert result.ok, result.errors[:5]
    marks = [("read file + parse cells", t0, stages.get("check")), ("check (validation)", stages.get("check"),
             stages.get("write")), ("write (bulk insert + history)", stages.get("write"), t0 + total)]
    print(f"first import: {total:.1f} s — created {result.counts['created']:,} rows "
          f"({AnnualReport.objects.count():,} reports, {ResourceLine.objects.count():,} lines)")
    for label, start, end in marks:
        if start and end:
            print(f"  {label}: {end - start:.1f} s")
    t0 = time.perf_counter()
    again = import_file(kind="reports", file_name=name, data=data)
    print(f"re-import of the same file: {time.perf_counter() - t0:.1f} s — "
          f"unchanged {again.counts['unchanged']:,} (all unchanged: {again.all_unchanged})")


if __name__ == "__main__":
    main()
