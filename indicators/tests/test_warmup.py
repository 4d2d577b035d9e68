"""The dashboard is recomputed after a data change, outside the request (indicators/warmup.py).

These tests commit for real (transactional), since the recompute waits for the commit, and turn the
background recompute on (the rest of the suite runs with it off).
"""
import io
import threading

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dataio.services import import_file
from indicators import dashboard_cache, engine, warmup
from indicators.charts import data_fingerprint
from indicators.models import ActionPlan, DashboardSummary

from . import dashboard_data as d

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

@pytest.fixture
def warmup_on(settings):
    settings.DASHBOARD_WARMUP = True
    settings.DASHBOARD_WARMUP_DELAY = 0.05
    yield
    warmup.wait(30)


def test_a_saved_record_recomputes_the_dashboard_before_anyone_asks(warmup_on, manager_client):
    p, e1 = d.small_plan()
    warmup.wait(30)
    d.measure(d.est(), 2017)               # a second adopter: 2/3 as of 2018
    warmup.wait(30)
    assert not warmup.running()
    page = reverse("indicators:dashboard") + f"?plan={p.pk}"
    with CaptureQueriesContext(connection) as ctx:
        dash = manager_client.get(page).context["dash"]
    assert d.engine_reads(ctx.captured_queries) == []   # served from what the warm-up computed
    assert dash.year == 2018
    assert dash.get("cp_adoption").value == pytest.approx(200 / 3)
    assert dash.get("cp_adoption").value == engine.dashboard(p, 2018).get("cp_adoption").value


def test_confirming_a_registry_year_recomputes_the_dashboard(warmup_on, manager_client):
    p, _e1 = d.small_plan()
    warmup.wait(30)
    d.registry_complete(2018)              # the adoption share of 2018 is judged from now on
    warmup.wait(30)
    page = reverse("indicators:dashboard") + f"?plan={p.pk}"
    with CaptureQueriesContext(connection) as ctx:
        dash = manager_client.get(page).context["dash"]
    assert d.engine_reads(ctx.captured_queries) == []   # served from what the warm-up computed
    assert dash.get("cp_adoption").status == "achieved"  # 50 % >= 15 %, no longer not assessable


def test_every_year_of_the_menu_is_computed_the_default_first(warmup_on):
    p, _ = d.small_plan()
    warmup.wait(30)
    fingerprint = data_fingerprint()
    data_years = dashboard_cache.cached_dashboard(p, fingerprint=fingerprint).data_years
    years = dashboard_cache.menu_years(p, data_years, 2018)
    assert years[0] == 2020 and years[-1] == 2009          # the plan ends 2020; the menu goes back to 2009
    for year in years:
        assert cache.get(dashboard_cache._dashboard_key(p.pk, year, fingerprint)) is not None, year
    done = warmup.warm()                                   # everything is there: nothing is computed again
    assert done[0] == (p, 2018)                            # the year the dashboard opens on comes first
    assert sorted(y for _, y in done) == sorted(years)


def test_a_rolled_back_change_schedules_nothing(warmup_on):
    d.small_plan()
    warmup.wait(30)
    with pytest.raises(RuntimeError), transaction.atomic():
        d.measure(d.est(), 2017)
        raise RuntimeError("the form failed")
    assert not warmup.running()


def test_a_burst_of_saves_gives_one_background_thread(warmup_on):
    d.small_plan()
    with transaction.atomic():
        for _ in range(5):
            d.measure(d.est(), 2017)
    for _ in range(3):
        warmup.schedule()
    threads = [t for t in threading.enumerate() if t.name == "dashboard-warmup"]
    assert len(threads) == 1
    warmup.wait(30)
    assert not [t for t in threading.enumerate() if t.name == "dashboard-warmup"]


def test_off_means_off(settings):
    settings.DASHBOARD_WARMUP = False
    d.small_plan()
    warmup.schedule()
    assert not warmup.running()


def test_an_import_recomputes_the_dashboard(warmup_on, admin_user_role):
    p, _ = d.small_plan()
    warmup.wait(30)
    data = ("code,name,cp_potential\nIMP-1,Cơ sở nhập,yes\n").encode()
    result = import_file(kind="establishments", file_name="e.csv", data=data, user=admin_user_role)
    assert result.written, result.errors
    assert warmup.running()                 # bulk writes send no signals: the import asked for it
    warmup.wait(30)
    fingerprint = data_fingerprint()
    numbers = cache.get(dashboard_cache._dashboard_key(p.pk, 2018, fingerprint))
    assert numbers is not None
    assert engine.in_language(numbers).get("cp_adoption").denominator == 3


def test_the_command_fills_the_cache_for_every_plan_and_year(official_data):
    out = io.StringIO()
    call_command("warm_dashboard", "--language", "en", stdout=out)
    assert "Dashboard ready in the cache" in out.getvalue()
    fingerprint = data_fingerprint()
    for plan in ActionPlan.objects.all():
        data = dashboard_cache.cached_dashboard(plan, fingerprint=fingerprint)
        for year in dashboard_cache.menu_years(plan, data.data_years, data.dash.year):
            assert cache.get(dashboard_cache._dashboard_key(plan.pk, year, fingerprint)) is not None


def test_the_first_request_of_a_process_recomputes_once(warmup_on, client):
    from django.core.signals import request_started

    d.small_plan()
    warmup.wait(30)
    cache.clear()                                     # a restarted process: nothing cached
    request_started.connect(warmup.process_started, dispatch_uid="warmup-process-started")
    client.get(reverse("login"))
    assert warmup.running()
    warmup.wait(30)
    fingerprint = data_fingerprint()
    assert cache.get(dashboard_cache._dashboard_key(ActionPlan.objects.get().pk, 2018, fingerprint)) is not None
    receivers = [r for r in request_started.receivers if r[0][0] == "warmup-process-started"]
    assert receivers == []                            # once per process


def _figure_reads(ctx):
    """The engine's queries among those captured (`indicators.figures`: each names POT(Y)'s establishments)."""
    return [q["sql"] for q in ctx.captured_queries if "pot_est" in q["sql"]]


def test_a_new_process_reads_the_figures_kept_in_the_database_and_never_those_of_older_data(manager_client):
    # A dashboard computed once is kept in the database (`DashboardSummary`): with Django's cache emptied, as in
    # a process that has just started, the page runs no engine query. A record changed since gives a new
    # fingerprint: the page computes the new figure, never the one kept for the older data.
    p, _e1 = d.small_plan()
    page = reverse("indicators:dashboard") + f"?plan={p.pk}&year=2018"
    assert manager_client.get(page).context["dash"].get("cp_adoption").value == 50.0
    assert DashboardSummary.objects.filter(key__startswith=f"dashboard:{p.pk}:2018:").count() == 1
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        dash = manager_client.get(page).context["dash"]
    assert _figure_reads(ctx) == [] and dash.get("cp_adoption").value == 50.0
    d.measure(d.est(), 2017)               # a second adopter: 2/3 as of 2018
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        dash = manager_client.get(page).context["dash"]
    assert _figure_reads(ctx) != []   # computed for the new data
    assert dash.get("cp_adoption").value == pytest.approx(200 / 3)
    # Only the summary of the current data is kept for that plan and year.
    assert DashboardSummary.objects.filter(key__startswith=f"dashboard:{p.pk}:2018:").count() == 1


def test_a_summary_written_by_other_code_is_computed_again():
    DashboardSummary.objects.create(key="dashboard:1:2018:x", value=b"not a pickle")
    assert dashboard_cache.stored("dashboard:1:2018:x") is None
    assert dashboard_cache.get_or_compute("dashboard:1:2018:x", lambda: 42) == 42
    assert dashboard_cache.stored("dashboard:1:2018:x") == 42
