"""Recompute the dashboard after a data change, outside the request, so a manager's first view is served warm.

Every save or delete of a record the engine reads (the fingerprint's tables,
`charts.WATCHED_MODELS`) schedules a recompute once the transaction commits
(`transaction.on_commit`; a rolled-back change schedules nothing). Imports and
other bulk writes that send no signals call `schedule()` themselves.

One background thread per process does the work: it waits `DASHBOARD_WARMUP_DELAY`
seconds so that a burst of saves (an attendance list, an import) gives one
recompute, then fills the cache for every plan: first the year the dashboard
opens on (the latest with data), then every other year of the plan's year menu,
the snapshot loaded once per plan. A change arriving while it runs makes it run
once more at the end; it never runs twice at once in a process.

The cache is the one the pages read (`dashboard_cache`): this process's memory by
default, or a cache shared between app servers (`CACHE_URL`, e.g. Redis), where the
computation of one process serves all of them. A request that arrives while
its plan and year are being computed waits for that result instead of computing it
again (`dashboard_cache.get_or_compute`).

The first request a process serves schedules the same recompute (`process_started`), so a restarted app
server does not make its first manager wait. `python manage.py warm_dashboard` does it in the foreground
(after a deployment or a restore). `DASHBOARD_WARMUP=False` turns the background recompute off (the tests
do, except the tests of this module).
"""
import logging
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection, transaction

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_state = {"pending": False, "thread": None}


def data_changed(sender, raw=False, **kwargs):
    """Signal receiver (post_save / post_delete of a watched model): recompute after the commit."""
    if settings.DASHBOARD_WARMUP:
        transaction.on_commit(schedule)


def process_started(sender, **kwargs):
    """Signal receiver (the first request_started of a process): compute what the cache of a new process lacks.

    A restarted app server has an empty local-memory cache; without this its first dashboard view would
    wait for the engine. Disconnects itself: once per process.
    """
    from django.core.signals import request_started

    request_started.disconnect(process_started, dispatch_uid="warmup-process-started")
    schedule()


def schedule():
    """Ask for a recompute in the background; a no-op beyond marking it pending when one is running."""
    if not settings.DASHBOARD_WARMUP:
        return
    with _lock:
        _state["pending"] = True
        if _state["thread"] is not None:
            return  # the running thread sees "pending" and runs once more
        thread = threading.Thread(target=_run, name="dashboard-warmup", daemon=True)
        _state["thread"] = thread
    thread.start()


def running():
    """Whether a background recompute is scheduled or running in this process."""
    with _lock:
        return _state["thread"] is not None


def wait(timeout=None):
    """Wait until the background recompute of this process is done (for the command, tests and benchmarks)."""
    with _lock:
        thread = _state["thread"]
    if thread is not None:
        thread.join(timeout)


def _run():
    try:
        while True:
            time.sleep(settings.DASHBOARD_WARMUP_DELAY)
            with _lock:
                if not _state["pending"]:
                    _state["thread"] = None
                    return
                _state["pending"] = False
            try:
                close_old_connections()
                warm()
            except Exception:  # a failed recompute leaves the pages to compute on demand, as without it
                logger.exception("dashboard warm-up failed")
    finally:
        with _lock:
            if _state["thread"] is threading.current_thread():
                _state["thread"] = None
        connection.close()


def warm(plans=None, all_years=True):
    """Fill the dashboard cache for `plans` (default: every plan); returns [(plan, year), ...] computed or found.

    The year the dashboard opens on comes first for every plan, then (with
    `all_years`) each other year of the plan's year menu, newest first.
    """
    from .dashboard_cache import warm_plan
    from .models import ActionPlan

    plans = list(plans if plans is not None else ActionPlan.objects.order_by("pk"))
    done = []
    for plan in plans:
        done += warm_plan(plan, all_years=False)
    if all_years:
        for plan in plans:
            done += warm_plan(plan, all_years=True)[1:]  # its default year is done
    return done
