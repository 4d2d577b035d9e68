#!/usr/bin/env python
"""Time the indicator engine and the heaviest pages on the database in DATABASE_URL.

Fill the database first, e.g.::

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3   # or postgres://user:password@host:5432/name
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py loaddata kontum_2009_2018
    .venv/bin/python manage.py generate_demo_data --establishments 10000 --seed 1

then run::

    .venv/bin/python scripts/bench_dashboard.py --runs 3

Pages are requested in-process through Django's test client, signed in as a
user of the Manager group (``bench-manager``, created when missing). "cold"
clears Django's cache before each run; "warm" requests the same URL again.
Each line: median and fastest of the runs in milliseconds and the number of
SQL queries of one request (counted in a separate, untimed request). The
engine line also gives the peak Python memory of one run (tracemalloc).
"""
import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_cp.settings")
os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from establishments.models import Establishment  # noqa: E402
from indicators import charts, engine, selectors  # noqa: E402
from indicators.models import AnnualReport, ResourceLine  # noqa: E402
from training.models import Attendance, Person  # noqa: E402

USERNAME = "bench-manager"


def timed(fn, runs, before=None):
    """[seconds per run] of `fn`, calling `before` (untimed) before each run."""
    times = []
    for _ in range(runs):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def count_queries(fn, before=None):
    if before:
        before()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def client():
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(USERNAME, password=None)
        user.groups.add(Group.objects.get(name="Manager"))
    c = Client(HTTP_HOST="localhost")
    c.force_login(user)
    c.cookies["django_language"] = "vi"
    return c


def get(c, url):
    def fn():
        response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return fn


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per line (median shown)")
    parser.add_argument("--year", type=int, default=None, help="'as of' year (default: latest year with data)")
    parser.add_argument("--skip-charts", action="store_true", help="leave out the per-chart lines")
    parser.add_argument("--skip-chart-set", action="store_true",
                        help="leave out the 'page + its chart SVGs' lines too (slow before the dashboard cache)")
    opts = parser.parse_args()
    if "localhost" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]

    plan = selectors.default_plan()
    if plan is None:
        sys.exit("No action plan: load the official data first (manage.py loaddata kontum_2009_2018).")
    snap = engine.load_snapshot(plan)
    year = opts.year or engine.latest_data_year(snap, plan.start_year)
    del snap
    sizes = {
        "establishments": Establishment.objects.count(), "reports": AnnualReport.objects.count(),
        "resource lines": ResourceLine.objects.count(), "people": Person.objects.count(),
        "attendance": Attendance.objects.count(),
    }
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    print(f"plan {plan.decision_number} (id {plan.pk}), as of {year}, {opts.runs} runs per line\n")

    c = client()
    query = f"?plan={plan.pk}&year={year}"
    report_year = AnnualReport.objects.order_by("-year").values_list("year", flat=True).first() or year
    demo = (Establishment.objects.filter(code__startswith="DEMO-").order_by("code").values_list("code", flat=True)
            .first() or Establishment.objects.order_by("code").values_list("code", flat=True).first())
    rows = []

    def add(label, fn, before=None, memory=False):
        queries = count_queries(fn, before)
        times = timed(fn, opts.runs, before)
        peak = None
        if memory:
            if before:
                before()
            tracemalloc.start()
            fn()
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        rows.append((label, statistics.median(times) * 1000, min(times) * 1000, queries, peak))
        line = f"{label:<46} {rows[-1][1]:>9.0f} ms {rows[-1][2]:>9.0f} ms {queries:>5} q"
        print(line + (f"  peak {peak / 2**20:.0f} MiB" if peak else ""), flush=True)

    def engine_run():
        engine.dashboard(plan, year, snap=engine.load_snapshot(plan))

    add("engine: load_snapshot()", lambda: engine.load_snapshot(plan), memory=True)
    add("engine: load_snapshot() + dashboard()", engine_run, memory=True)
    add("engine: cp_adoption(plan, year)", lambda: engine.cp_adoption(plan, year))
    add("data_fingerprint()", charts.data_fingerprint)
    dash_url = reverse("indicators:dashboard") + query
    add("dashboard page, cold cache", get(c, dash_url), before=cache.clear)
    add("dashboard page, warm cache", get(c, dash_url))

    def page_and_charts():
        get(c, dash_url)()
        for name in charts.CHART_NAMES:
            get(c, reverse("indicators:dashboard_chart", args=[name]) + query)()
    if not opts.skip_chart_set:
        add(f"page + its {len(charts.CHART_NAMES)} chart SVGs, cold cache", page_and_charts, before=cache.clear)
        add(f"page + its {len(charts.CHART_NAMES)} chart SVGs, warm cache", page_and_charts)
    if not opts.skip_charts:
        for name in charts.CHART_NAMES:
            url = reverse("indicators:dashboard_chart", args=[name]) + query
            add(f"chart {name}, cold", get(c, url), before=cache.clear)
            add(f"chart {name}, warm", get(c, url))
    add("drill-down cp_adoption, cold cache",
        get(c, reverse("indicators:indicator_detail", args=["cp_adoption"]) + query), before=cache.clear)
    add("drill-down cp_adoption, warm cache",
        get(c, reverse("indicators:indicator_detail", args=["cp_adoption"]) + query))
    add("export CSV, warm cache", get(c, reverse("indicators:dashboard_export", args=["csv"]) + query))
    add("establishments list", get(c, reverse("establishments:list")))
    add("establishments list, filtered (applying, place)",
        get(c, reverse("establishments:list") + "?applying=yes&place=610&sort=-applying"))
    add(f"establishment detail {demo}", get(c, reverse("establishments:detail", args=[demo])))
    add("reports list", get(c, reverse("indicators:report_list")))
    add(f"reports list, year {report_year}", get(c, reverse("indicators:report_list") + f"?year={report_year}"))
    add(f"completeness {report_year}", get(c, reverse("indicators:completeness") + f"?year={report_year}"))
    add("event list", get(c, reverse("training:event_list")))

    print("\n| case | median (ms) | fastest (ms) | queries |\n| --- | ---: | ---: | ---: |")
    for label, med, fast, queries, _peak in rows:
        print(f"| {label} | {med:,.0f} | {fast:,.0f} | {queries} |")


if __name__ == "__main__":
    main()
