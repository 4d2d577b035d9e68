"""A page never waits long for figures that are still being computed, and never shows older ones.

The dashboard's figures of a state of the data are computed once and kept (`dashboard_cache`). Right after a
change, before the background recompute (`warmup`) has stored them, or for a year nobody asked for yet, they
must be computed: milliseconds for a province, about ten seconds at 100,000 establishments. A page read
(GET or HEAD) waits for them at most `DASHBOARD_FIGURES_WAIT` seconds; the computation runs in a thread of its
own meanwhile and goes on after that. If it has not finished, the page answers "the figures are being brought
up to date" (`FiguresPendingMiddleware`: 503 with Retry-After; the HTML page reloads itself) instead of a
figure of older data, and the next request finds the figures kept.

Other requests (a form sent, a management command, the background recompute itself) have no limit and compute
in their own thread as before. `DASHBOARD_FIGURES_WAIT=none` gives every request no limit (the tests do, except
the tests of this module: a computation in another thread cannot see a test's uncommitted data).
"""
import contextvars
import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds after which a page that answered "being computed" asks again (the HTML page reloads itself then).
RETRY_SECONDS = 3

_deadline = contextvars.ContextVar("figures_deadline", default=None)
_lock = threading.Lock()
_running = {}  # key -> the thread computing it in this process
# One computation at a time per process: a manager clicking through the year menu at 100,000 establishments
# queues engine runs of ten seconds each instead of running them all at once on the database.
_one_at_a_time = threading.Lock()


class FiguresPending(Exception):
    """The figures a page needs are being computed and were not ready within the page's wait."""


def deadline():
    """The `time.monotonic()` by which the current request must stop waiting for figures; None: no limit."""
    return _deadline.get()


@contextmanager
def waiting_at_most(seconds):
    """Within the block, figures are waited for at most `seconds` (None: as long as they take)."""
    token = _deadline.set(None if seconds is None else time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def compute_within(key, compute):
    """Run `compute()`, in a thread of its own when the request has a deadline; raise `FiguresPending` if it is
    not done by then (it goes on, and stores what it computes). One thread per `key` in this process: requests
    for figures already being computed wait for that thread instead of starting another."""
    limit = deadline()
    if limit is None:
        compute()
        return
    with _lock:
        thread = _running.get(key)
        if thread is None:
            thread = threading.Thread(target=_run, args=(key, compute), name="figures", daemon=True)
            _running[key] = thread
            thread.start()
    thread.join(max(0.0, limit - time.monotonic()))
    if thread.is_alive():
        raise FiguresPending(key)


def _run(key, compute):
    try:
        with _one_at_a_time:
            compute()
    except Exception:  # the page that asks next computes in its own request and shows the error there
        logger.exception("computing the figures of %s failed", key)
    finally:
        connection.close()  # this thread's own connection
        with _lock:
            _running.pop(key, None)


def wait_all(timeout=None):
    """Wait for every computation started here (tests and benchmarks)."""
    with _lock:
        threads = list(_running.values())
    for thread in threads:
        thread.join(timeout)


def pending_response(request):
    """503 with Retry-After: a page that says the figures are being computed and reloads itself, or for the
    API a JSON body with the same sentence."""
    message = _("The figures are being brought up to date with the latest data. This takes a few seconds "
                "when there is a lot of data; no older figure is shown meanwhile.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=503)
    else:
        response = render(request, "indicators/figures_pending.html",
                          {"message": message, "retry_seconds": RETRY_SECONDS}, status=503)
    response["Retry-After"] = str(RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    # Not a server error: Django's request log would record every such answer as one (and mail it).
    response._has_been_logged = True
    logger.info("figures being computed: %s answered 503", request.path)
    return response


class FiguresPendingMiddleware:
    """Gives page reads (GET, HEAD) their deadline for figures, and turns `FiguresPending` into
    `pending_response`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.DASHBOARD_FIGURES_WAIT if request.method in ("GET", "HEAD") else None
        with waiting_at_most(seconds):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, FiguresPending):
            return pending_response(request)
        return None
