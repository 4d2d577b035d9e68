#!/usr/bin/env python
"""Time every page outside the dashboard, cold and warm, on an existing database: lists, detail pages, forms
with an establishment box, the import/export page and the downloads (the list pages' ``?export=csv|xlsx`` and
``/data/export/<kind>.<fmt>``).

It builds nothing: fill a database first (README.md, "Benchmarks"), then::

    .venv/bin/python scripts/bench_pages.py --database-url postgres://app:app@127.0.0.1:5432/app --runs 3

(without ``--database-url`` it reads ``DATABASE_URL``, as the portal does). Options: ``--only WORDS`` (lines
whose name holds one of the words), ``--skip WORDS`` (leave those out: ``--skip home``, whose first view runs
the dashboard's engine), ``--no-downloads``, ``--timeout SECONDS`` (a run given up), ``--json FILE``.

Each run of a page is a fresh Python process (Django set up, an Administrator ``bench-admin`` signed in,
created if missing): "cold" is its first request, with nothing in Django's cache, no template compiled and no
database connection yet, as after a restart; "warm" is the median of the same URL asked again in that
process. The dashboard's background recompute is switched off (``DASHBOARD_WARMUP=False``) so that it does
not share the processor with the page measured; ``scripts/bench_dashboard.py`` measures the dashboard.
For a download, "cold" is the time to the first byte of the body and "full" the time to its last.
KB: the body's size; queries: the SQL queries of one request (a download's while it is read).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERNAME = "bench-admin"


def setup(database_url=None):
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ["DASHBOARD_WARMUP"] = "False"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_cp.settings")
    os.environ.setdefault("MPLCONFIGDIR", str(ROOT / ".cache" / "matplotlib"))
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()


def signed_in_client():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(USERNAME, password=None)
        user.groups.add(Group.objects.get(name="Administrator"))
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def fetch(client, url):
    """(ms to the first byte of the body, ms to the last, bytes, status) of one GET."""
    start = time.perf_counter()
    response = client.get(url)
    if response.streaming:
        chunks = iter(response.streaming_content)
        first = next(chunks, b"")
        first_ms = (time.perf_counter() - start) * 1000
        size = len(first) + sum(len(chunk) for chunk in chunks)
    else:
        first_ms = (time.perf_counter() - start) * 1000
        size = len(response.content)
    return first_ms, (time.perf_counter() - start) * 1000, size, response.status_code


def child(url, warm_runs, download):
    """One fresh process: the cold request, then the warm ones and the query count; a JSON line out."""
    from django.core.cache import cache
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client()
    cache.clear()
    connections.close_all()  # the cold request opens its own connection, as after a restart
    with CaptureQueriesContext(connection) as ctx:
        first_ms, full_ms, size, status = fetch(client, url)
    result = {"cold": first_ms, "full": full_ms, "bytes": size, "status": status}
    if download:  # read once: the queries of that one request
        result["queries"] = len(ctx.captured_queries)
        return result
    result["warm"] = [fetch(client, url)[1] for _ in range(warm_runs)]
    with CaptureQueriesContext(connection) as ctx:
        fetch(client, url)
    result["queries"] = len(ctx.captured_queries)
    return result


def sample():
    """Codes and ids of the largest records of each kind (untimed): the worst case of each detail page."""
    from django.db.models import Count
    from django.urls import reverse

    from establishments.models import Establishment
    from indicators.models import AnnualReport
    from training.models import Event, Person

    most = (AnnualReport.objects.values("establishment").annotate(n=Count("pk"))
            .order_by("-n", "establishment").first())
    est = Establishment.objects.get(pk=most["establishment"])
    report = AnnualReport.objects.filter(establishment=est).order_by("-year").first()
    event = Event.objects.annotate(n=Count("attendances")).order_by("-n", "code").first()
    person = Person.objects.annotate(n=Count("attendances")).order_by("-n", "pk").first()
    year = AnnualReport.objects.order_by("-year").values_list("year", flat=True).first()
    pages = [
        ("home", reverse("home")),
        ("establishments", reverse("establishments:list")),
        ("establishments ?q=", reverse("establishments:list") + "?q=" + est.name.split()[-1]),
        ("establishments ?sector&cp_potential&status", reverse("establishments:list")
         + f"?sector={est.sector.code if est.sector else ''}&cp_potential=yes&status=active"),
        ("establishments ?place", reverse("establishments:list") + f"?place={est.place_id}"),
        ("establishments ?applying=yes&sort=-applying", reverse("establishments:list") + "?applying=yes&sort=-applying"),
        ("establishments ?sort=name, last page", reverse("establishments:list") + "?sort=name&page=999999"),
        ("establishment detail", reverse("establishments:detail", args=[est.code])),
        ("establishment edit", reverse("establishments:edit", args=[est.code])),
        ("measures", reverse("establishments:measure_list")),
        ("measures ?q=&year=", reverse("establishments:measure_list") + f"?q={est.code}&year=2015"),
        ("assistance", reverse("establishments:assistance_list")),
        ("assistance ?place", reverse("establishments:assistance_list") + f"?place={est.place_id}"),
        ("reports", reverse("indicators:report_list")),
        ("reports ?year=&state=", reverse("indicators:report_list") + f"?year={year}&state=approved"),
        ("reports ?q=", reverse("indicators:report_list") + f"?q={est.code}"),
        ("report detail", reverse("indicators:report_detail", args=[est.code, report.year])),
        ("report edit", reverse("indicators:report_edit", args=[est.code, report.year])),
        ("completeness", reverse("indicators:completeness") + f"?year={year}"),
        ("completeness 2016", reverse("indicators:completeness") + "?year=2016"),
        ("events", reverse("training:event_list")),
        ("event detail", reverse("training:event_detail", args=[event.code])),
        ("attendance entry", reverse("training:attendance_add", args=[event.code])),
        ("people", reverse("training:person_list")),
        ("people ?sort=events", reverse("training:person_list") + "?sort=-events"),
        ("person detail", reverse("training:person_detail", args=[person.pk])),
        ("person edit", reverse("training:person_edit", args=[person.pk])),
        ("headcounts", reverse("training:headcount_list")),
        ("import/export", reverse("dataio:index")),
        ("import history", reverse("dataio:history")),
    ]
    downloads = [
        (f"download {name} {fmt}", reverse(view) + f"?export={fmt}")
        for name, view in (("establishments", "establishments:list"), ("measures", "establishments:measure_list"),
                           ("assistance", "establishments:assistance_list"), ("reports", "indicators:report_list"),
                           ("events", "training:event_list"), ("headcounts", "training:headcount_list"))
        for fmt in ("csv", "xlsx")
    ]
    downloads += [(f"download event attendance {fmt}",
                   reverse("training:event_detail", args=[event.code]) + f"?export={fmt}") for fmt in ("csv", "xlsx")]
    downloads += [(f"download reports {year} csv", reverse("indicators:report_list") + f"?year={year}&export=csv")]
    downloads += [(f"data export {kind} {fmt}", reverse("dataio:export", args=[kind, fmt]))
                  for kind in ("establishments", "reports", "measures", "assistance", "attendance") for fmt in ("csv", "xlsx")]
    return pages, downloads


def run_child(args, url, download):
    command = [sys.executable, __file__, "--child", url, "--warm", str(args.runs)]
    if download:
        command.append("--download")
    if args.database_url:
        command += ["--database-url", args.database_url]
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=False, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return {"error": [f"over {args.timeout} s"]}
    if out.returncode:
        return {"error": out.stderr.strip().splitlines()[-1:] or ["exit %d" % out.returncode]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def ms(value):
    return f"{value:,.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="the database to read (default: DATABASE_URL)")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes per page (cold) and warm requests")
    parser.add_argument("--only", metavar="WORDS", default="", help="only the lines whose name holds a word")
    parser.add_argument("--skip", metavar="WORDS", default="", help="leave out the lines whose name holds a word")
    parser.add_argument("--no-downloads", action="store_true", help="leave out the downloads")
    parser.add_argument("--json", metavar="FILE", help="also write the results to FILE as JSON")
    parser.add_argument("--timeout", type=int, default=300, help="seconds before a run is given up (default 300)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--warm", type=int, default=3, help=argparse.SUPPRESS)
    parser.add_argument("--download", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup(args.database_url)
    if args.child:
        print(json.dumps(child(args.child, args.warm, args.download)))
        return
    from django.db import connection

    from establishments.models import Establishment

    n = Establishment.objects.count()
    if not n:
        sys.exit("The database has no establishment: fill it first (README.md, Benchmarks).")
    pages, downloads = sample()
    words, skipped = args.only.split(), args.skip.split()

    def wanted(name):
        return (not words or any(w in name for w in words)) and not any(w in name for w in skipped)

    print(f"{n:,} establishments, {connection.vendor}; medians of {args.runs} runs, milliseconds")
    print(f"{'page':48} {'cold':>8} {'warm':>8} {'KB':>9} {'queries':>8}")
    results = {}
    for name, url in pages:
        if not wanted(name):
            continue
        runs = [run_child(args, url, False) for _ in range(args.runs)]
        if any("error" in r for r in runs) or any(r["status"] != 200 for r in runs):
            print(f"{name:48} failed: {runs[0].get('error') or runs[0]['status']}")
            continue
        cold = statistics.median(r["cold"] for r in runs)
        warm = statistics.median(w for r in runs for w in r["warm"])
        results[name] = {"url": url, "cold_ms": cold, "warm_ms": warm, "kb": runs[0]["bytes"] / 1024,
                         "queries": runs[0]["queries"]}
        print(f"{name:48} {ms(cold):>8} {ms(warm):>8} {results[name]['kb']:>9,.1f} {runs[0]['queries']:>8}")
    if not args.no_downloads:
        print(f"\n{'download (one run each)':48} {'1st byte':>8} {'full':>8} {'KB':>9} {'queries':>8}")
        for name, url in downloads:
            if not wanted(name):
                continue
            r = run_child(args, url, True)
            if "error" in r or r["status"] != 200:
                print(f"{name:48} failed: {r.get('error') or r['status']}")
                continue
            results[name] = {"url": url, "first_byte_ms": r["cold"], "full_ms": r["full"], "kb": r["bytes"] / 1024,
                             "queries": r["queries"]}
            print(f"{name:48} {ms(r['cold']):>8} {ms(r['full']):>8} {r['bytes'] / 1024:>9,.1f} {r['queries']:>8}")
    if args.json:
        Path(args.json).write_text(json.dumps({"establishments": n, "vendor": connection.vendor,
                                               "runs": args.runs, "results": results}, indent=1))


if __name__ == "__main__":
    main()
