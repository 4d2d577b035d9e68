#!/usr/bin/env python
"""Load test: the portal served as `make serve` serves it, read by up to 20 simulated users for up to 60 s.

    .venv/bin/pip install -r requirements-dev.txt     # locust (not needed by CI)
    export DATABASE_URL=postgres://user:password@127.0.0.1:5432/kontum_load   # a scratch database
    .venv/bin/python scripts/load_test.py --establishments 1000
    .venv/bin/python scripts/load_test.py --establishments 10000 --workers 3 --users 20 --duration 60

Everything it needs it builds itself, on the database in DATABASE_URL:

1. migrates, loads the official data and, unless the database already holds exactly that many, the demo
   establishments (`generate_demo_data --establishments N --seed 1 --clear`: demo rows only are replaced);
2. (re)creates three accounts, one per role (`loadtest-manager`, `loadtest-entry`, `loadtest-admin`), with
   new random passwords;
3. collects the static files and starts gunicorn with gunicorn.conf.py and the production settings (DEBUG off,
   manifest static files, `--workers`), on a free loopback port, and a Redis of its own for CACHE_URL
   (`--cache local` keeps each worker's memory instead); fills the dashboard cache (`warm_dashboard`), as after
   a deployment;
4. runs locust headless (scripts/load_test_users.py) against it: the users sign in through the sign-in form
   and read the dashboard, lists, detail pages and the annual report form, one page after another (`--think S`:
   with a pause of up to S seconds between pages);
5. prints requests per second, median (p50) and 95th percentile (p95) response times and errors, overall and
   per page, and stops everything it started.

Loopback only: the server listens on 127.0.0.1 and locust is pointed at it; the load generator runs on the same
machine, so it takes CPU from the server (the figures are a lower bound of what the server alone would do).
"""
import argparse
import csv
import json
import math
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_USERS, MAX_SECONDS = 20, 60
ROLES = {"manager": ("loadtest-manager", "Manager"), "data_entry": ("loadtest-entry", "Data entry"),
         "administrator": ("loadtest-admin", "Administrator")}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--establishments", type=int, default=1000, help="demo establishments (default 1000)")
    parser.add_argument("--users", type=int, default=MAX_USERS, help=f"simulated users (at most {MAX_USERS})")
    parser.add_argument("--duration", type=int, default=MAX_SECONDS, help=f"seconds (at most {MAX_SECONDS})")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (WEB_CONCURRENCY, default 3)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="most seconds a user pauses between pages, uniformly at random (default 0: as fast as "
                             "the server answers, which measures what it can serve)")
    parser.add_argument("--cache", choices=["redis", "local"], default="redis",
                        help="a Redis of its own for CACHE_URL (default), or each worker's memory")
    args = parser.parse_args()
    if not 1 <= args.users <= MAX_USERS:
        parser.error(f"--users must be 1 to {MAX_USERS}")
    if not 5 <= args.duration <= MAX_SECONDS:
        parser.error(f"--duration must be 5 to {MAX_SECONDS} seconds")
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to a scratch database (it gets demo data and three accounts)")
    return args


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_data(env, establishments):
    """Migrate, official data, demo data, the three accounts; returns (accounts, records to read)."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "loaddata", "kontum_2009_2018", "--verbosity", "0")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kontum_cp.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from establishments.models import Establishment
    from indicators.models import AnnualReport

    demo = Establishment.objects.filter(code__startswith="DEMO-")
    if demo.count() != establishments:
        print(f"== generating {establishments} demo establishments (seed 1)", flush=True)
        manage(env, "generate_demo_data", "--establishments", str(establishments), "--seed", "1", "--clear")
    accounts = {}
    for role, (username, group) in ROLES.items():
        password = secrets.token_urlsafe(16)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=group)])
        accounts[role] = [username, password]
    try:  # earlier runs' sign-in records (django-axes)
        from axes.models import AccessAttempt

        AccessAttempt.objects.filter(username__in=[u for u, _g in ROLES.values()]).delete()
    except ImportError:
        pass
    codes = list(demo.order_by("?").values_list("code", flat=True)[:500])
    reports = list(AnnualReport.objects.filter(establishment__code__in=codes[:200])
                   .values_list("establishment__code", "year")[:1000])
    records = {"establishments": codes, "reports": [[c, y] for c, y in reports],
               "establishment_pages": max(1, math.ceil(Establishment.objects.count() / 25))}
    return accounts, records


def wait_for(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url}: the server stopped at start")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310 # the script builds this http://127.0.0.1 address itself
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def start_redis(folder):
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server not found: install Debian's redis-server, or use --cache local")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder), "--logfile", str(folder / "redis.log")])
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("redis-server did not start")


def report(stats_file, args, workers, load_before):
    with open(stats_file, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    print()
    print(f"{args.establishments:,} establishments, {args.users} users for {args.duration} s, {workers} gunicorn "
          f"workers, cache {args.cache}, think time up to {args.think:g} s, {os.cpu_count()} CPUs "
          f"({platform.node()}), load generator on the same machine")
    print(f"load average (1 min) before the run {load_before:.1f}, after {os.getloadavg()[0]:.1f}")
    print(f"{'page':<24} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        print(f"{row['Name'][:24]:<24} {row['Request Count']:>9} {row['Failure Count']:>7} "
              f"{float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7}")


def main():
    args = parse_args()
    import locust  # noqa: F401  (fail early, before building anything, if it is missing)

    work = Path(tempfile.mkdtemp(prefix="kontum-load-"))
    env = {**os.environ, "DEBUG": "True", "MPLCONFIGDIR": str(work / "matplotlib")}
    env.setdefault("SECRET_KEY", "load-test-" + secrets.token_urlsafe(40))
    env.setdefault("XDG_CACHE_HOME", str(work / "cache"))
    accounts, records = prepare_data(env, args.establishments)
    (work / "records.json").write_text(json.dumps(records), encoding="utf-8")

    processes = []
    try:
        serve_env = {**env, "DEBUG": "False", "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "False",
                     "SESSION_COOKIE_SECURE": "False", "CSRF_COOKIE_SECURE": "False",
                     "WEB_CONCURRENCY": str(args.workers), "GUNICORN_ACCESS_LOG": ""}
        serve_env.pop("STATICFILES_BACKEND", None)  # the manifest storage of production
        if args.cache == "redis":
            redis, serve_env["CACHE_URL"] = start_redis(work)
            processes.append(redis)
        print("== collectstatic, warm_dashboard", flush=True)
        manage(serve_env, "collectstatic", "--noinput", "--verbosity", "0")
        if args.cache == "redis":
            manage(serve_env, "warm_dashboard")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                                   "kontum_cp.wsgi:application"], cwd=ROOT,
                                  env={**serve_env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                                  stdout=(work / "gunicorn.log").open("wb"), stderr=subprocess.STDOUT)
        processes.append(server)
        host = f"http://127.0.0.1:{port}"
        wait_for(host + "/healthz", server)
        load_before = os.getloadavg()[0]
        print(f"== locust: {args.users} users, {args.duration} s, against {host}", flush=True)
        locust_env = {**env, "LOAD_TEST_ACCOUNTS": json.dumps(accounts),
                      "LOAD_TEST_RECORDS": str(work / "records.json"), "LOAD_TEST_THINK": str(args.think)}
        subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "load_test_users.py"),
                        "--headless", "--users", str(args.users), "--spawn-rate", str(max(1, args.users // 5)),
                        "--run-time", f"{args.duration}s", "--host", host, "--csv", str(work / "stats"),
                        "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING"],
                       cwd=ROOT, env=locust_env, check=False, stdout=subprocess.DEVNULL,
                       stderr=(work / "locust.log").open("wb"))
        if not (work / "stats_stats.csv").exists():
            raise SystemExit("locust gave no figures:\n" + (work / "locust.log").read_text(errors="replace")[-3000:])
        report(work / "stats_stats.csv", args, args.workers, load_before)
        if args.cache == "redis":
            import redis as redis_client

            stats = redis_client.Redis.from_url(serve_env["CACHE_URL"]).info("stats")
            print(f"Redis: {stats['keyspace_hits']:,} hits, {stats['keyspace_misses']:,} misses")
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
