"""One engine run per plan, "as of" year, language and state of the data.

The dashboard page, its 13 chart SVGs, the exports, the printable report and
the drill-downs all need the same `engine.Dashboard`. It is kept in Django's
cache under the data fingerprint the charts use (`charts.data_fingerprint`):
any change to the data gives a new key, so a cached figure is never stale,
and a page followed by its charts runs the engine once instead of 14 times.

Only the small results are cached (the `Dashboard`, about 0.4 MB at 10,000
establishments, and the set of years with data), never the snapshot itself
(about 16 MB pickled at 10,000 establishments).
"""
from django.core.cache import cache
from django.utils.translation import get_language

from . import engine
from .charts import CACHE_SECONDS, data_fingerprint


def _years_key(plan_id, fingerprint):
    return f"dashboard-years:{plan_id}:{fingerprint}"


def _dashboard_key(plan_id, year, fingerprint):
    # The language is part of the key: breakdown labels and formulas are translated strings.
    return f"dashboard:{plan_id}:{year}:{get_language() or 'vi'}:{fingerprint}"


class DashboardData:
    """The cached dashboard of a plan and year, with the snapshot loaded only when asked for.

    `fingerprint` is the state of the data it was computed from: the pages put it
    in their chart URLs, so a browser's cached chart is replaced when the data changes.
    """

    def __init__(self, plan, dash, data_years, fingerprint, snap=None):
        self.plan = plan
        self.dash = dash
        self.data_years = data_years
        self.fingerprint = fingerprint
        self._snap = snap

    @property
    def snap(self):
        """The engine's snapshot (nine queries), for pages that list records (drill-downs, report)."""
        if self._snap is None:
            self._snap = engine.load_snapshot(self.plan)
        return self._snap


def cached_dashboard(plan, year=None, fingerprint=None):
    """`DashboardData` for `plan` as of `year` (default: the latest year with data).

    Costs one query (the fingerprint; none when `fingerprint` is given) when
    cached, else the engine's nine queries more.
    """
    fingerprint = fingerprint or data_fingerprint()
    snap = None
    years_key = _years_key(plan.pk, fingerprint)
    data_years = cache.get(years_key)
    if data_years is None:
        snap = engine.load_snapshot(plan)
        data_years = frozenset(snap.data_years)
        cache.set(years_key, data_years, CACHE_SECONDS)
    if year is None:
        year = max(data_years) if data_years else plan.start_year
    key = _dashboard_key(plan.pk, year, fingerprint)
    dash = cache.get(key)
    if dash is None:
        snap = snap or engine.load_snapshot(plan)
        dash = engine.dashboard(plan, year, snap=snap)
        cache.set(key, dash, CACHE_SECONDS)
    return DashboardData(plan, dash, data_years, fingerprint, snap)
