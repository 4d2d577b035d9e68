"""A page read waits for figures being computed only so long, then says so, never showing older figures
(indicators/pending.py).

Transactional: the computation runs in a thread of its own, which sees only committed data. A computation is
held back deterministically by holding the lock `dashboard_cache.get_or_compute` takes for the key it computes
first (the years with data), as a long engine run at 100,000 establishments would.
"""
import logging
import threading
import time
import zlib
from contextlib import contextmanager

import pytest
from django.urls import reverse

from indicators import dashboard_cache, pending
from indicators.charts import data_fingerprint
from indicators.models import Publication

from . import dashboard_data as d

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]

PENDING_VI = "Số liệu đang được cập nhật theo dữ liệu mới nhất"


@pytest.fixture
def limited(settings):
    settings.DASHBOARD_FIGURES_WAIT = 0
    yield settings
    pending.wait_all(30)


@contextmanager
def computation_held(plan):
    """While inside, a computation of `plan`'s figures for the current data cannot finish."""
    key = dashboard_cache._years_key(plan.pk, data_fingerprint())
    lock = dashboard_cache._LOCKS[zlib.crc32(key.encode()) % len(dashboard_cache._LOCKS)]
    with lock:
        yield
    pending.wait_all(30)


def dashboard_url(p):
    return reverse("indicators:dashboard") + f"?plan={p.pk}&year=2018"


def test_a_page_read_says_the_figures_are_being_computed_and_never_shows_older_ones(limited, manager_client):
    p, _adopter = d.small_plan()
    limited.DASHBOARD_FIGURES_WAIT = 30          # within the wait: the page shows the figures
    assert manager_client.get(dashboard_url(p)).context["dash"].get("cp_adoption").value == 50
    d.measure(d.est(), 2017)                     # a second adopter: 2 of 3 as of 2018
    limited.DASHBOARD_FIGURES_WAIT = 0
    with computation_held(p):
        response = manager_client.get(dashboard_url(p))
        assert response.status_code == 503
        assert response["Retry-After"] == str(pending.RETRY_SECONDS)
        assert response["Cache-Control"] == "no-store"
        html = response.content.decode()
        assert PENDING_VI in html
        assert f'<meta http-equiv="refresh" content="{pending.RETRY_SECONDS}">' in html
        assert "50,0" not in html and "50.0" not in html      # no figure of the older data
    response = manager_client.get(dashboard_url(p))        # what the thread computed meanwhile
    assert response.status_code == 200
    assert response.context["dash"].get("cp_adoption").value == pytest.approx(200 / 3)


def test_the_computation_goes_on_after_the_page_answered_and_is_kept(limited, manager_client):
    p, _adopter = d.small_plan()
    with computation_held(p):
        assert manager_client.get(dashboard_url(p)).status_code == 503
        assert manager_client.get(dashboard_url(p)).status_code == 503   # the same thread, not a second one
        assert len(pending._running) == 1
    fingerprint = data_fingerprint()
    assert dashboard_cache.stored(dashboard_cache._dashboard_key(p.pk, 2018, fingerprint)) is not None
    assert manager_client.get(dashboard_url(p)).status_code == 200


def test_every_page_of_the_figures_answers_the_same_in_english(limited, client, manager_user, settings):
    p, _adopter = d.small_plan()
    client.force_login(manager_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    urls = [
        dashboard_url(p),
        reverse("indicators:indicator_detail", args=["cp_adoption"]) + f"?plan={p.pk}&year=2018",
        reverse("indicators:dashboard_report") + f"?plan={p.pk}&year=2018",
        reverse("indicators:dashboard_export", args=["csv"]) + f"?plan={p.pk}&year=2018",
    ]
    with computation_held(p):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 503, url
            assert "The figures are being brought up to date" in response.content.decode(), url


def test_the_api_answers_503_in_json(limited, client, manager_user):
    p, _adopter = d.small_plan()
    client.force_login(manager_user)
    with computation_held(p):
        response = client.get(f"/api/v1/progress/?plan={p.pk}&year=2018")
    assert response.status_code == 503
    assert response["Retry-After"] == str(pending.RETRY_SECONDS)
    assert PENDING_VI in response.json()["detail"]


def test_the_home_page_stays_and_says_why_its_targets_are_missing(limited, manager_client):
    p, _adopter = d.small_plan()                      # the only plan: the one the home page shows
    with computation_held(p):
        response = manager_client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="home-figures-pending"' in html
    assert 'id="home-targets"' not in html


def test_a_form_sent_is_never_answered_pending(limited, admin_client_role):
    p, _adopter = d.small_plan()
    # No deadline for a POST: the publication is computed in the request, however long it takes.
    response = admin_client_role.post(reverse("indicators:dashboard_publish"), {"plan": p.pk, "year": 2018})
    assert response.status_code == 302
    figures = Publication.objects.get().figures["indicators"]
    assert next(f["value"] for f in figures if f["code"] == "cp_adoption") == 50


def test_without_a_limit_the_request_computes_in_its_own_thread(settings):
    settings.DASHBOARD_FIGURES_WAIT = None
    p, _adopter = d.small_plan()
    with pending.waiting_at_most(None):
        assert pending.deadline() is None
        data = dashboard_cache.cached_dashboard(p, 2018)
    assert data.dash.get("cp_adoption").value == 50
    assert not pending._running


def test_computations_of_several_years_run_one_after_the_other(limited, manager_client):
    p, _adopter = d.small_plan()
    with pending._one_at_a_time:                  # as if another year's figures were being computed
        for year in (2016, 2017):
            response = manager_client.get(reverse("indicators:dashboard") + f"?plan={p.pk}&year={year}")
            assert response.status_code == 503
        assert len(pending._running) == 2         # both waiting for their turn
    pending.wait_all(30)
    assert not pending._running
    for year in (2016, 2017):
        response = manager_client.get(reverse("indicators:dashboard") + f"?plan={p.pk}&year={year}")
        assert response.status_code == 200 and response.context["dash"].year == year


def test_the_deadline_is_the_wait_from_now():
    with pending.waiting_at_most(0.5):
        left = pending.deadline() - time.monotonic()
        assert 0.4 < left <= 0.5
    assert pending.deadline() is None                   # back to no limit after the request


def test_a_passed_deadline_answers_at_once_and_the_thread_goes_on_as_a_daemon():
    release = threading.Event()
    with pending.waiting_at_most(0):
        start = time.monotonic()
        with pytest.raises(pending.FiguresPending):
            pending.compute_within("held", release.wait)
        assert time.monotonic() - start < 0.8           # not a second's wait: the deadline had passed
    assert pending._running["held"].daemon                # never keeps a stopping server process alive
    release.set()
    pending.wait_all(30)
    assert "held" not in pending._running


def test_a_failed_computation_is_logged_and_the_next_request_computes_again(caplog):
    def fails():
        raise ValueError("no figures")

    with pending.waiting_at_most(30), caplog.at_level(logging.ERROR, logger="indicators.pending"):
        pending.compute_within("fails", fails)           # done within the wait: no FiguresPending
    assert "computing the figures of fails failed" in caplog.text
    assert "fails" not in pending._running


def test_being_computed_is_not_logged_as_a_server_error(limited, manager_client, caplog):
    p, _adopter = d.small_plan()
    with computation_held(p), caplog.at_level(logging.WARNING, logger="django.request"):
        assert manager_client.get(dashboard_url(p)).status_code == 503
    assert not [r for r in caplog.records if r.name == "django.request"]
