#!/usr/bin/env python
"""Time every dashboard page, cold (first view) and warm, on the database in DATABASE_URL.

Fill the database first, e.g.::

    export DATABASE_URL=sqlite:////tmp/bench10k.sqlite3   # or postgres://user:password@host:5432/name
    export DEBUG=True SECRET_KEY=dev-only-0123456789-0123456789-0123456789-0123456789
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py loaddata kontum_2009_2018
    .venv/bin/python manage.py generate_demo_data --establishments 10000 --seed 1

then run::

    .venv/bin/python scripts/bench_dashboard.py --runs 5

Pages are requested in-process through Django's test client, signed in as a
user of the Manager group (``bench-manager``, created when missing).

- "cold" is a first view: Django's cache is cleared before each timed run, so
  nothing is cached for the plan, year and language (and no other process
  warms it: the cache is this process's local memory).
- "after a change" is the first view a manager gets in practice: the cache is
  cleared, a record is saved (the data fingerprint changes), and the recompute
  that the save schedules in the background (`indicators/warmup.py`) has
  computed the year each plan's dashboard opens on; charts and pages are not
  drawn in advance. The recompute runs here in the foreground, untimed; its own
  duration is measured on the lines "background recompute …".
- "warm" requests the same URL again, right after a cold request.

Every dashboard page is measured: the dashboard, each indicator drill-down,
the printable report (without and with ``annex=1``), the CSV and XLSX exports
and each of the 13 chart SVGs. Further lines: the dashboard in the second
language after the first, the page with its 13 charts requested at once from
13 threads (as a browser does), the engine alone, and a few list pages.

Each line: median and fastest of the runs in milliseconds and the number of
SQL queries of one request (counted in a separate, untimed request; for the
lines with threads, the queries of the main thread only).
``--profile`` prints where the time of one cold dashboard request goes
(cProfile, sorted by cumulative time).
"""
import argparse
import cProfile
import io
import json
import math
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_cp.settings")
os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))
FLOOR_SQL = ROOT / "scripts" / "dashboard_floor.sql"
FLOOR_CODES = ("cp_adoption", "energy_intensity_reduction", "material_intensity_reduction",
               "establishments_disseminated", "gov_staff_disseminated", "cp_staff_trained", "technical_staff_trained",
               "establishments_assisted")


def build_and_measure(argv):
    """`--build 1000,10000,100000`: for each size, a clean database built here (migrate, the official data,
    `generate_demo_data --establishments N --seed 1`), then this script measures it in a process of its own.

    ``--server`` names the PostgreSQL server (any database URL on it: the script creates and drops
    ``kontum_bench_N`` beside it); without it each size gets a new SQLite file under /tmp.
    """
    parser = argparse.ArgumentParser(prog="bench_dashboard.py --build")
    parser.add_argument("--build", required=True, help="comma-separated numbers of establishments")
    parser.add_argument("--server", default="", help="postgres://user:password@host:port/any-database")
    parser.add_argument("--keep", action="store_true", help="keep each database after measuring it")
    opts, rest = parser.parse_known_args(argv)
    python = sys.executable
    env = dict(os.environ, DEBUG="True", SECRET_KEY=os.environ.get("SECRET_KEY") or "bench-only-" + "x" * 50,
               DASHBOARD_WARMUP="False")
    for size in [int(n) for n in opts.build.split(",")]:
        name = f"kontum_bench_{size}"
        if opts.server:
            parts = urlsplit(opts.server)
            url = urlunsplit(parts._replace(path="/" + name))
            _admin_sql(opts.server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
        else:
            path = Path(tempfile.gettempdir()) / f"{name}.sqlite3"
            path.unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        env["DATABASE_URL"] = url
        print(f"\n## {size:,} establishments ({url.split('@')[-1]})", flush=True)
        start = time.perf_counter()
        for command in (["migrate", "-v", "0"], ["loaddata", "kontum_2009_2018", "-v", "0"],
                        ["generate_demo_data", "--establishments", str(size), "--seed", "1"]):
            subprocess.run([python, "manage.py", *command], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"built in {time.perf_counter() - start:,.0f} s", flush=True)
        subprocess.run([python, __file__, *rest], env=env, check=True)
        if opts.server and not opts.keep:
            _admin_sql(opts.server, f"DROP DATABASE IF EXISTS {name}")


def _admin_sql(server_url, *statements):
    import psycopg2

    parts = urlsplit(server_url)
    conn = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username,
                            password=parts.password, dbname=parts.path.lstrip("/") or "postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    conn.close()


if __name__ == "__main__" and "--build" in sys.argv:
    build_and_measure(sys.argv[1:])
    sys.exit(0)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from establishments.models import Establishment  # noqa: E402
from indicators import charts, dashboard_cache, engine, pending, selectors, warmup  # noqa: E402
from indicators.models import AnnualReport, ResourceLine  # noqa: E402
from training.models import Attendance, Person  # noqa: E402

USERNAME = "bench-manager"


def cold():
    """Forget every cached dashboard and chart: the next request is a first view."""
    cache.clear()


def after_change():
    """A record is saved as a user saves it, and the background recompute of the default years is done."""
    cache.clear()
    with transaction.atomic():
        Establishment.objects.order_by("pk").first().save()  # a history row: the fingerprint changes
    warmup.warm(all_years=False)


def just_changed():
    """A record saved and nothing recomputed yet: the figures of the new data exist nowhere (the first request
    after a change that arrives before the background recompute has stored them)."""
    pending.wait_all()
    cache.clear()
    with transaction.atomic():
        Establishment.objects.order_by("pk").first().save()


def answer(c, url):
    """The first answer, whatever it is: the page, or 503 "being brought up to date" (`indicators.pending`)."""
    def fn():
        response = c.get(url)
        assert response.status_code in (200, 503), (url, response.status_code)
        SIZES["last"] = len(response.content)
    return fn


def until_shown(c, url):
    """Ask as a browser that reloads does (every 0.1 s here) until the page shows the figures."""
    def fn():
        while c.get(url).status_code == 503:
            time.sleep(0.1)
    return fn


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


def bench_user():
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(USERNAME, password=None)
        user.groups.add(Group.objects.get(name="Manager"))
    return user


def client(user, language="vi"):
    c = Client(HTTP_HOST="localhost")
    c.force_login(user)
    c.cookies["django_language"] = language
    return c


SIZES = {}  # url -> bytes of its last response


def get(c, url):
    def fn():
        response = c.get(url)
        assert response.status_code == 200, (url, response.status_code)
        body = b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
        SIZES[url] = SIZES["last"] = len(body)
    return fn


def parallel(user, urls):
    """Request `urls` at once, one thread (and database connection) each, as a browser loads a page's images.

    The clients sign in beforehand: the threads only read.
    """
    clients = [client(user) for _ in urls]

    def fn():
        errors = []

        def one(c, url):
            try:
                get(c, url)()
            except Exception as exc:  # noqa: BLE001 - raised below, in the main thread
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=one, args=(c, url)) for c, url in zip(clients, urls)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]
    return fn


def engine_and_floor(plan, year, runs):
    """Time the engine (`engine.dashboard_numbers`, every year of the dashboard from the database, cold) and the
    floor (scripts/dashboard_floor.sql: the eight figures over the same years in one hand-written statement),
    check that every value agrees (to 9 significant digits) and return the lines to print."""
    from establishments.places import within_ids

    figures = engine.load_figures(plan)
    figures.totals(year)
    years = sorted(figures.series)
    params = {"first": years[0], "last": years[-1], "start": plan.start_year,
              "places": sorted(within_ids(plan.territory_id)) if plan.territory_id else None}

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL.read_text(), params)
            return cursor.fetchall()

    def run_engine():
        return engine.dashboard_numbers(plan, year)

    tracemalloc.start()
    run_engine()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    engine_times, floor_times = timed(run_engine, runs), timed(floor, runs)
    figures = engine.load_figures(plan)
    compared = mismatches = 0
    for y, *values in floor():
        for code, expected in zip(FLOOR_CODES, values):
            got = engine.evaluate(figures, code, y).computed
            expected = None if expected is None else float(expected)
            same = (got is None and expected is None) or (
                got is not None and expected is not None and math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9))
            compared += 1
            if not same:
                mismatches += 1
                print(f"  differs: {code} {y}: engine {got}, floor {expected}")
    e, f = statistics.median(engine_times) * 1000, statistics.median(floor_times) * 1000
    return {"years": f"{years[0]}–{years[-1]}", "engine_ms": e, "floor_ms": f, "ratio": e / f,
            "values_compared": compared, "mismatches": mismatches, "engine_peak_mib": peak}


def profile(fn, before, limit=30):
    before()
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(limit)
    print(out.getvalue())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per line (median shown)")
    parser.add_argument("--year", type=int, default=None, help="'as of' year (default: latest year with data)")
    parser.add_argument("--skip-charts", action="store_true", help="leave out the per-chart lines")
    parser.add_argument("--skip-other", action="store_true",
                        help="leave out the engine and the non-dashboard pages (establishments, reports, events)")
    parser.add_argument("--only", metavar="WORDS", default="",
                        help="comma-separated words: measure only the lines whose label contains one of them")
    parser.add_argument("--profile", action="store_true", help="profile one cold dashboard request (cProfile)")
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE as JSON")
    parser.add_argument("--engine-only", action="store_true", help="measure the engine and the floor only")
    parser.add_argument("--skip-after-change", action="store_true",
                        help="leave out the 'after a change' lines (each recomputes every plan: long at 100,000)")
    parser.add_argument("--build", help="build a clean database per size first (see build_and_measure)")
    opts = parser.parse_args()
    settings.DASHBOARD_WARMUP = False  # the recompute is run in the foreground by `after_change`
    if "localhost" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]

    plan = selectors.default_plan()
    if plan is None:
        sys.exit("No action plan: load the official data first (manage.py loaddata kontum_2009_2018).")
    year = opts.year or dashboard_cache.cached_dashboard(plan).dash.year
    sizes = {
        "establishments": Establishment.objects.count(), "reports": AnnualReport.objects.count(),
        "resource lines": ResourceLine.objects.count(), "people": Person.objects.count(),
        "attendance": Attendance.objects.count(),
    }
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    print("rows: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    print(f"plan {plan.decision_number} (id {plan.pk}), as of {year}, {opts.runs} runs per line\n")

    if connection.vendor == "postgresql":
        result = engine_and_floor(plan, year, opts.runs)
        print(f"engine (every year {result['years']}, cold) {result['engine_ms']:,.0f} ms; "
              f"floor {result['floor_ms']:,.0f} ms; engine ÷ floor {result['ratio']:.2f}; "
              f"values compared {result['values_compared']}, differing {result['mismatches']}; "
              f"engine peak Python memory {result['engine_peak_mib']:.0f} MiB", flush=True)
    else:
        print("floor: PostgreSQL only (scripts/dashboard_floor.sql)")
    if opts.engine_only:
        print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
        return

    user = bench_user()
    c = client(user)
    query = f"?plan={plan.pk}&year={year}"
    rows = []

    wanted = [w.strip() for w in opts.only.split(",") if w.strip()]

    def add(label, fn, before=None, memory=False):
        if wanted and not any(w in label for w in wanted):
            return
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
        size = SIZES.pop("last", None)
        rows.append({"case": label, "median_ms": statistics.median(times) * 1000, "fastest_ms": min(times) * 1000,
                     "queries": queries, "peak_mib": peak / 2**20 if peak else None, "kb": size / 1024 if size else None})
        row = rows[-1]
        line = f"{label:<58} {row['median_ms']:>8.0f} ms {row['fastest_ms']:>8.0f} ms {queries:>5} q"
        line += f" {row['kb']:>8,.0f} KB" if size else ""
        print(line + (f"  peak {row['peak_mib']:.0f} MiB" if peak else ""), flush=True)

    def page(label, url):
        add(f"{label}, cold", get(c, url), before=cold)
        if not opts.skip_after_change:
            add(f"{label}, after a change", get(c, url), before=after_change)
        add(f"{label}, warm", get(c, url))

    dash_url = reverse("indicators:dashboard") + query
    if not opts.skip_after_change:
        add("background recompute after a change: default year of every plan",
            lambda: warmup.warm(all_years=False), before=cold)
        add("background recompute after a change: every year of every plan's menu",
            lambda: warmup.warm(all_years=True), before=cold)
    if opts.profile:
        profile(get(c, dash_url), cold)

    page("dashboard", dash_url)
    if not opts.skip_after_change:
        add("dashboard right after a change, nothing computed: first answer", answer(c, dash_url),
            before=just_changed)
        add("dashboard right after a change, nothing computed: until it shows the figures",
            until_shown(c, dash_url), before=just_changed)
    en = client(user, "en")
    add("dashboard in English after Vietnamese, cold", get(en, dash_url),
        before=lambda: (cold(), get(c, dash_url)()))
    for code in engine.INDICATORS:
        page(f"drill-down {code}", reverse("indicators:indicator_detail", args=[code]) + query)
    page("printable report", reverse("indicators:dashboard_report") + query)
    page("printable report with annex", reverse("indicators:dashboard_report") + query + "&annex=1")
    page("export CSV", reverse("indicators:dashboard_export", args=["csv"]) + query)
    page("export XLSX", reverse("indicators:dashboard_export", args=["xlsx"]) + query)
    chart_urls = [reverse("indicators:dashboard_chart", args=[name]) + query for name in charts.CHART_NAMES]
    if not opts.skip_charts:
        for name, url in zip(charts.CHART_NAMES, chart_urls):
            page(f"chart {name}", url)
    charts_at_once = parallel(user, chart_urls)
    add(f"page, then its {len(chart_urls)} charts from {len(chart_urls)} threads at once, cold",
        lambda: (get(c, dash_url)(), charts_at_once()), before=cold)
    add(f"its {len(chart_urls)} charts from {len(chart_urls)} threads at once, cold", charts_at_once, before=cold)

    if not opts.skip_other:
        add("engine: load_snapshot()", lambda: engine.load_snapshot(plan), memory=True)
        add("engine: load_snapshot() + dashboard()",
            lambda: engine.dashboard(plan, year, snap=engine.load_snapshot(plan)), memory=True)
        add("data_fingerprint()", charts.data_fingerprint)
        report_year = AnnualReport.objects.order_by("-year").values_list("year", flat=True).first() or year
        demo = (Establishment.objects.filter(code__startswith="DEMO-").order_by("code")
                .values_list("code", flat=True).first()
                or Establishment.objects.order_by("code").values_list("code", flat=True).first())
        add("establishments list", get(c, reverse("establishments:list")))
        add(f"establishment detail {demo}", get(c, reverse("establishments:detail", args=[demo])))
        add("reports list", get(c, reverse("indicators:report_list")))
        add(f"completeness {report_year}", get(c, reverse("indicators:completeness") + f"?year={report_year}"))
        add("event list", get(c, reverse("training:event_list")))

    print("\n| case | median (ms) | fastest (ms) | queries | KB |\n| --- | ---: | ---: | ---: | ---: |")
    for row in rows:
        kb = f"{row['kb']:,.0f}" if row["kb"] else ""
        print(f"| {row['case']} | {row['median_ms']:,.0f} | {row['fastest_ms']:,.0f} | {row['queries']} | {kb} |")
    print(f"\npeak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    cold_pages = [r for r in rows if r["case"].endswith(", cold") and "threads" not in r["case"]]
    if cold_pages:
        slowest = max(cold_pages, key=lambda r: r["median_ms"])
        print(f"\nslowest first view: {slowest['case']} ({slowest['median_ms']:,.0f} ms median)")
    if opts.json:
        Path(opts.json).write_text(json.dumps({"database": connection.vendor, "sizes": sizes, "year": year,
                                               "runs": opts.runs, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
