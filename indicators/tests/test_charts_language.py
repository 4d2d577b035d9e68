"""Chart URLs name their language and data version, so a browser never shows a chart in another language."""
import html
import re

import pytest
from django.urls import reverse

from indicators import charts
from indicators.dashboard_cache import cached_dashboard

from . import dashboard_data as d
from .test_dashboard_views import sample, url

pytestmark = pytest.mark.django_db

LONG_LIFETIME = "max-age=86400"


def chart_url(client, page, name="indicator-cp_adoption"):
    """The chart's URL as the page (dashboard or printable report) links it."""
    path = reverse("indicators:dashboard_chart", args=[name])
    found = re.search(re.escape(path) + r'\?[^"]*', client.get(page).content.decode())
    return html.unescape(found.group(0))


def test_chart_urls_differ_between_vietnamese_and_english(manager_client):
    p = sample()
    vi = chart_url(manager_client, url("dashboard", p))
    manager_client.cookies["django_language"] = "en"
    en = chart_url(manager_client, url("dashboard", p))
    assert vi != en
    assert "lang=vi" in vi and "lang=en" in en


def test_printable_report_links_charts_in_its_language(manager_client):
    p = sample()

    def report_chart_urls():
        cards = manager_client.get(url("dashboard_report", p)).context["key_cards"]
        return [c["chart_url"] for c in cards]

    vi = report_chart_urls()
    manager_client.cookies["django_language"] = "en"
    en = report_chart_urls()
    assert all("lang=vi" in u for u in vi) and all("lang=en" in u for u in en)
    assert "Establishments applying CP" in manager_client.get(en[0]).content.decode()


def test_chart_is_drawn_in_the_language_of_its_url_whatever_the_cookie(manager_client):
    p = sample()
    vi = chart_url(manager_client, url("dashboard", p))
    manager_client.cookies["django_language"] = "en"
    en = chart_url(manager_client, url("dashboard", p))
    english_svg = manager_client.get(en).content.decode()  # cookie: English
    vietnamese_svg = manager_client.get(vi).content.decode()  # cookie still English
    assert "Establishments applying CP" in english_svg and "Cơ sở áp dụng SXSH" not in english_svg
    assert "Cơ sở áp dụng SXSH" in vietnamese_svg and "Establishments applying CP" not in vietnamese_svg
    manager_client.cookies["django_language"] = "vi"
    assert "Establishments applying CP" in manager_client.get(en).content.decode()


def test_unknown_language_in_the_url_falls_back_to_the_users_language(manager_client):
    p = sample()
    manager_client.cookies["django_language"] = "en"
    svg = manager_client.get(url("dashboard_chart", p, 2018, "indicator-cp_adoption") + "&lang=fr").content
    assert "Establishments applying CP" in svg.decode()


def test_chart_url_changes_with_the_data_and_only_a_current_one_is_kept_long(manager_client):
    p = sample()
    first = chart_url(manager_client, url("dashboard", p))
    assert LONG_LIFETIME in manager_client.get(first)["Cache-Control"]
    d.measure(d.est("T/1-NEW"), 2017)
    second = chart_url(manager_client, url("dashboard", p))
    assert second != first
    assert LONG_LIFETIME in manager_client.get(second)["Cache-Control"]
    # An old version (a page opened before the change) or none: a short lifetime.
    assert LONG_LIFETIME not in manager_client.get(first)["Cache-Control"]
    assert LONG_LIFETIME not in manager_client.get(url("dashboard_chart", p, 2018, "by-place"))["Cache-Control"]


def test_dashboard_data_carries_the_fingerprint_its_charts_are_linked_with(manager_client):
    p = sample()
    data = cached_dashboard(p, 2018)
    assert data.fingerprint == charts.data_fingerprint()
    assert f"v={data.fingerprint}" in chart_url(manager_client, url("dashboard", p))
