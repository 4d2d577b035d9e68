"""Home page: each target of the plan with its current value and status, and the way to the dashboard."""
import re

import pytest
from django.urls import reverse

from indicators.tests import dashboard_data as d

pytestmark = pytest.mark.django_db


def _row(html, label):
    """The text of the targets table's row for `label`, tags removed."""
    table = re.search(r'<table id="home-targets">(.*?)</table>', html, re.S).group(1)
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
        if label in text:
            return text
    raise AssertionError(f"no row for {label!r}")


@pytest.fixture
def small_plan(db):
    """4 establishments with CP potential, 1 applying CP (25 % ≥ 15 %: achieved, the registry of 2018 being
    confirmed complete); 3 of 10 government staff disseminated by 2018 (30 %, below the straight line from 0 %
    in 2013 to 100 % in 2020, which stands at 71.4 % in 2018: behind)."""
    plan = d.plan(cp_adoption=15, gov_staff_disseminated=100)
    d.registry_complete(2018)
    first, *_others = [d.est() for _ in range(4)]
    d.measure(first, 2017)
    workshop = d.event(2016)
    for _ in range(3):
        d.attend(d.person("gov_staff"), workshop)
    d.headcount(2018, "gov_staff", 10)
    return plan


def test_home_shows_each_target_with_value_and_status(entry_client, small_plan):
    html = entry_client.get(reverse("home")).content.decode()
    assert "as of 2018" in html or "tính đến năm 2018" in html
    adoption = _row(html, "Cơ sở áp dụng SXSH")
    assert "25,0 %" in adoption and "Đã đạt" in adoption
    staff = _row(html, "Cán bộ quản lý nhà nước")
    assert "30,0 %" in staff and "Chậm tiến độ" in staff


def test_home_links_to_the_dashboard_and_the_drill_down(entry_client, small_plan):
    html = entry_client.get(reverse("home")).content.decode()
    query = f"plan={small_plan.pk}&amp;year=2018"
    assert f'href="{reverse("indicators:dashboard")}?{query}"' in html
    assert f'href="{reverse("indicators:indicator_detail", args=["cp_adoption"])}?{query}"' in html


def test_home_in_english(entry_client, small_plan):
    entry_client.cookies["django_language"] = "en"
    html = entry_client.get(reverse("home")).content.decode()
    assert "25.0 %" in _row(html, "Establishments applying CP") and "Achieved" in _row(html, "Establishments applying CP")
    assert "Open the progress dashboard" in html


def test_the_home_view_lives_in_the_app_that_reads_the_dashboard():
    """The core (`kontum_cp`) imports no app: the home page is `indicators.views_home`, wired in kontum_cp/urls.py."""
    from django.urls import resolve

    assert resolve(reverse("home")).func.__module__ == "indicators.views_home"
