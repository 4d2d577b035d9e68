"""One engine run per plan, "as of" year and state of the data, for every language.

The dashboard page, its 13 chart SVGs, the exports, the printable report and
the drill-downs all need the same figures. They are kept in Django's cache
under the data fingerprint the charts use (`charts.data_fingerprint`): any
change to the data gives a new key, so a cached figure is never stale, and a
page followed by its charts runs the engine once instead of 14 times.

What is cached is the engine's `DashboardNumbers`: numbers, codes and lazy
labels, no word of any language. Each request puts them into its own language
(`engine.in_language`, microseconds), so the first view in English after one
in Vietnamese is not a second engine run.

Concurrent first requests (a page's 13 chart images arrive at once) do not
each run the engine: the first computes, the others wait for its result
(`get_or_compute`: a lock per key within the process and, for a cache shared
between processes, a short-lived lock entry in the cache).

Only the small results are cached (the numbers, about 0.4 MB pickled at
10,000 establishments, and the set of years with data), never the snapshot
itself (about 6 MB pickled at 10,000 establishments).
"""
import pickle  # nosec B403 # only the portal's own values, see `stored`
import threading
import time
import zlib
from contextlib import suppress

from django.core.cache import cache
from django.db import IntegrityError, transaction

from . import engine, pending, selectors
from .charts import CACHE_SECONDS, data_fingerprint
from .models import DashboardSummary

# How long another process's computation is waited for before computing anyway, and how often the cache is
# looked at meanwhile. Well above an engine run at 10,000 establishments (1 to 2 s on a busy 2-core machine).
LOCK_SECONDS = 30
POLL_SECONDS = 0.05
# Locks for the keys being computed in this process; a key takes one by its hash, so the pool stays small
# (re-entrant: a computation may ask for another key that shares its lock).
_LOCKS = tuple(threading.RLock() for _ in range(32))


def _years_key(plan_id, fingerprint):
    return f"dashboard-years:{plan_id}:{fingerprint}"


def _dashboard_key(plan_id, year, fingerprint):
    # No language in the key: the cached numbers are the same in every language (`engine.in_language`).
    return f"dashboard:{plan_id}:{year}:{fingerprint}"


def get_or_compute(key, compute, timeout=CACHE_SECONDS):
    """The cached value of `key`, else `compute()` stored under it, computed once however many ask at once.

    Threads of this process that miss the same key wait on one lock and then
    find the value in the cache. Processes that share the cache (a shared
    backend, not the default local memory) take turns through a lock entry
    added atomically (`cache.add`): the others poll the cache until the value
    is there, and compute it themselves only if the lock holder has not
    finished after `LOCK_SECONDS`.
    """
    value = cache.get(key)
    if value is not None:
        return value
    with _LOCKS[zlib.crc32(key.encode()) % len(_LOCKS)]:
        value = cache.get(key)
        if value is not None:  # computed by another thread while this one waited
            return value
        lock_key = f"{key}:computing"
        if not cache.add(lock_key, True, LOCK_SECONDS):
            value = _wait_for(key, lock_key)
            if value is not None:
                return value
        try:
            value = stored(key)
            if value is None:
                value = compute()
                store(key, value)
            cache.set(key, value, timeout)
        finally:
            cache.delete(lock_key)
    return value


# --- the figures kept in the database: read after a restart or an emptied cache -------------------------
# At 100,000 establishments an engine run takes seconds; what it computed for a state of the data is kept in
# `DashboardSummary` under the same key as in the cache (plan, year, data fingerprint), so the first request
# of a new process reads it in one query. A change of data gives a new fingerprint, hence a new key: a summary
# of other data is never read, and the background recompute (`warmup`) stores the new one. Summaries of keys
# nobody can ask for again are removed when a newer one is stored for the same plan and year.

def stored(key):
    """The value kept in the database for `key`, None when there is none (or it cannot be read)."""
    row = DashboardSummary.objects.filter(key=key).values_list("value", flat=True).first()
    if row is None:
        return None
    try:
        return pickle.loads(bytes(row))  # nosec B301 # written by `store` below, never from outside
    except (pickle.UnpicklingError, AttributeError, ImportError, EOFError, TypeError):
        return None  # written by another version of the code: computed again


def store(key, value):
    """Keep `value` under `key` in the database, in place of the summaries of other data of the same scope."""
    scope = key.rsplit(":", 1)[0] + ":"
    # Another process may store the same key meanwhile: the same figures of the same data, so its row stands.
    with suppress(IntegrityError), transaction.atomic():
        DashboardSummary.objects.filter(key__startswith=scope).delete()
        DashboardSummary.objects.create(key=key, value=pickle.dumps(value))


def _wait_for(key, lock_key):
    """The value another process is computing, or None once its lock is gone or too old."""
    deadline = time.monotonic() + LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        value = cache.get(key)
        if value is not None or cache.get(lock_key) is None:
            return value
    return None


class DashboardData:
    """The cached dashboard of a plan and year.

    `dash` is in the active language. `fingerprint` is the state of the data it
    was computed from: the pages put it in their chart URLs, so a browser's
    cached chart is replaced when the data changes.
    """

    def __init__(self, plan, dash, data_years, fingerprint):
        self.plan = plan
        self.dash = dash
        self.data_years = data_years
        self.fingerprint = fingerprint


class _Figures:
    """The plan's `engine.Figures`, loaded at most once and only if a cache miss needs it."""

    def __init__(self, plan):
        self.plan = plan
        self.value = None

    def __call__(self):
        if self.value is None:
            self.value = engine.load_figures(self.plan)
        return self.value


def _data_years(plan, fingerprint, snap):
    return get_or_compute(_years_key(plan.pk, fingerprint), lambda: frozenset(snap().data_years))


def _numbers(plan, year, fingerprint, snap):
    return get_or_compute(_dashboard_key(plan.pk, year, fingerprint),
                          lambda: engine.dashboard_numbers(plan, year, snap=snap()))


def default_year(plan, data_years):
    """The year the dashboard opens on: the latest year with data, else the plan's start."""
    return max(data_years) if data_years else plan.start_year


def menu_years(plan, data_years, year):
    """The years of the dashboard's year menu, newest first: from the plan's end (or later data) back to 2009."""
    last = max([plan.end_year, year] + list(data_years))
    return list(range(last, min(engine.FIRST_YEAR, plan.start_year) - 1, -1))


def cached_dashboard(plan, year=None, fingerprint=None):
    """`DashboardData` for `plan` as of `year` (default: the latest year with data).

    Costs one query (the fingerprint; none when `fingerprint` is given) when
    cached, else the engine's ten queries more.
    """
    fingerprint = fingerprint or data_fingerprint()
    if pending.deadline() is not None and not _kept(plan, year, fingerprint):
        # A page read waits for the computation only so long (`pending`); it is kept once done.
        pending.compute_within((plan.pk, year, fingerprint), lambda: cached_dashboard(plan, year, fingerprint))
    snap = _Figures(plan)
    data_years = _data_years(plan, fingerprint, snap)
    if year is None:
        year = default_year(plan, data_years)
    numbers = _numbers(plan, year, fingerprint, snap)
    return DashboardData(plan, engine.in_language(numbers), data_years, fingerprint)


def _kept(plan, year, fingerprint):
    """Whether `plan`'s figures as of `year` for this state of the data are in the cache or kept in the
    database (then put in the cache), so that `cached_dashboard` computes nothing."""
    data_years = _peek(_years_key(plan.pk, fingerprint))
    if data_years is None:
        return False
    year = default_year(plan, data_years) if year is None else year
    return _peek(_dashboard_key(plan.pk, year, fingerprint)) is not None


def _peek(key):
    value = cache.get(key)
    if value is None and (value := stored(key)) is not None:
        cache.set(key, value, CACHE_SECONDS)
    return value


def warm_plan(plan, all_years=True, fingerprint=None):
    """Put `plan`'s dashboard in the cache: its default year, and with `all_years` every year of its menu.

    The snapshot is loaded once, and only if a year is missing. Returns the
    years, default first. Used by `warmup` (after a data change) and the
    `warm_dashboard` command.
    """
    fingerprint = fingerprint or data_fingerprint()
    snap = _Figures(plan)
    data_years = _data_years(plan, fingerprint, snap)
    first = default_year(plan, data_years)
    years = [first] + ([y for y in menu_years(plan, data_years, first) if y != first] if all_years else [])
    for year in years:
        _numbers(plan, year, fingerprint, snap)
        approval_counts(year, fingerprint)  # the page's line on approved reports, from the cache too
    return [(plan, year) for year in years]


def approval_counts(year, fingerprint):
    """{"reports", "approved"} of `year` (`selectors.approval_counts`), cached under the data fingerprint: a
    transition writes a history row of the report, so it changes the fingerprint."""
    key = f"dashboard-approvals:{fingerprint}:{year}"
    value = cache.get(key)
    if value is None:
        value = selectors.approval_counts(year)
        cache.set(key, value, CACHE_SECONDS)
    return value
