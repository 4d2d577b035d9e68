"""Each list of the API reads a page in a fixed number of queries, whatever the number of rows: the same
count for 2 rows as for 12, and at most MAX (the token and its user, the user's groups and area, the count,
the page, the resource lines or the places by lineage)."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from establishments.models import Place
from kontum_cp.roles import MANAGER
from tests import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db
MAX = 10
LISTS = ["plan-list", "target-list", "establishment-list", "report-list", "measure-list", "assistance-list",
         "event-list", "attendance-list"]


def _add_rows(n):
    place = Place.objects.get_by_natural_key("615")
    for _ in range(n):
        est = f.establishment(place=place)
        f.report(est, 2018, 100, water=10, electricity=200)
        f.measure(est, 2018)
        f.assistance(est, 2018)
        event = f.event(start_date=datetime.date(2018, 3, 1))
        f.attendance(event, f.person(establishment=est))
        plan = f.plan(f"{f.next_number()}/QĐ-UBND", territory=place)
        f.target(plan, "cp_adoption", 50)


def _queries(api, name, params):
    with CaptureQueriesContext(connection) as queries:
        response = api.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


@pytest.mark.parametrize("params", [{}, {"year": "2018", "place": "615", "sector": ""}], ids=["all", "filtered"])
@pytest.mark.parametrize("name", LISTS)
def test_a_page_costs_the_same_queries_for_few_rows_and_many(django_assert_max_num_queries, name, params):
    api = token_client(f.user("reader", MANAGER))
    _add_rows(2)
    few, count_few = _queries(api, name, params)
    _add_rows(10)
    with django_assert_max_num_queries(MAX):
        many, count_many = _queries(api, name, params)
    assert count_many > count_few
    assert many == few, name
