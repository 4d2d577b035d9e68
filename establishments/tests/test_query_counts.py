"""List and detail pages run the same number of queries with little and with much data."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_establishments(n, start):
    for i in range(n):
        est = f.establishment(code=f"Q-{start + i:03d}")
        f.measure(est, year=2015)
        f.measure(est, status="planned", year=None)
        f.assistance(est)
        f.report(est, 2017, 1000, {"water": 20000, "electricity": 150000})
        f.report(est, 2018, 1000, {"water": 18000, "cassava_roots": 4200})


def add_history_and_people(est, n, first_year):
    for i in range(n):
        f.measure(est, year=2014 + (i % 4))
        f.assistance(est, year=2015 + (i % 3))
        f.trained_person(est)
    for year in range(first_year, first_year + n):
        f.report(est, year, 900 + year, {"water": 20000 - year, "electricity": 1000 + year})


LIST_URLS = [
    ("establishments:list", {}),
    ("establishments:list", {"applying": "yes", "sort": "-applying"}),
    ("establishments:measure_list", {}),
    ("establishments:assistance_list", {}),
    ("indicators:report_list", {}),
    ("indicators:completeness", {"year": 2017}),
]


@pytest.mark.parametrize("name,params", LIST_URLS)
def test_list_pages_have_a_bounded_number_of_queries(entry_client, name, params):
    from urllib.parse import urlencode

    url = reverse(name) + ("?" + urlencode(params) if params else "")
    add_establishments(2, 0)
    small = queries(entry_client, url)
    add_establishments(30, 100)  # more than a page of 25
    large = queries(entry_client, url)
    assert small == large


@pytest.mark.parametrize("name", ["establishments:detail", "indicators:report_detail", "indicators:report_edit"])
def test_detail_pages_have_a_bounded_number_of_queries(entry_client, name):
    est = f.establishment(code="Q-DETAIL")
    f.report(est, 2009, 1000, {"water": 20000, "electricity": 1000})
    args = ["Q-DETAIL"] + ([2009] if name != "establishments:detail" else [])
    url = reverse(name, args=args)
    add_history_and_people(est, 1, 2010)
    small = queries(entry_client, url)
    add_history_and_people(est, 12, 2011)
    large = queries(entry_client, url)
    assert small == large
