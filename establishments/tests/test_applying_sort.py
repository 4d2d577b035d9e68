"""The establishment list sorted by "applying CP since" (?sort=applying, ?sort=-applying): its pages' ids come
from one grouped query (`selectors.ids_by_applying`), in the order the list's own ordering gives (the
establishments not applying CP where the database puts NULLs, ties by code), whatever the filters, the page or
the user's area; the download holds the same rows."""
import csv
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from establishments import selectors
from establishments.models import Place, UserArea
from kontum_cp.roles import DATA_ENTRY
from tests import factories as f

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def plants():
    """30 establishments and the year each applies CP since (None: not applying); every third in Đắk Hà."""
    since = {}

    def plant(code, applying_since, *measures):
        est = f.establishment(code=code, place=Place.objects.get(code="615" if len(since) % 3 == 0 else "608"))
        for fields in measures:
            f.measure(est, **fields)
        since[code] = applying_since

    # Created out of code order, so that a tie broken by id instead of code shows.
    plant("KT-B", 2015, {"year": 2015}, {"year": 2011, "category": "end_of_pipe"})  # end of pipe never counts
    plant("KT-A", 2015, {"year": 2015})
    plant("KT-C", 2016, {"year": None, "year_earliest": 2012, "year_latest": 2016}, {"year": 2017})  # latest possible
    plant("KT-D", None, {"year": None, "year_earliest": 2012, "year_latest": None})  # open latest: counts in no year
    plant("KT-E", None, {"year": 2010, "status": "planned"})
    plant("KT-F", None, {"year": THIS_YEAR + 1})  # not yet
    plant("KT-G", None)
    plant("KT-H", 2009, {"year": 2020}, {"year": 2009})
    for i in range(22):
        year = 2010 + i % 4
        plant(f"KT-Z{21 - i:02d}", *((year, {"year": year}) if i % 3 else (None,)))
    return since


def expected(since, descending):
    applying = sorted((c for c, y in since.items() if y is not None),
                      key=lambda c: (-since[c] if descending else since[c], c))
    not_applying = sorted(c for c, y in since.items() if y is None)
    # NULL is the largest value on PostgreSQL (first when descending), the smallest on SQLite.
    nulls_first = connection.features.nulls_order_largest == descending
    return not_applying + applying if nulls_first else applying + not_applying


def pages(client, params, numbers=(1, 2)):
    url = reverse("establishments:list")
    responses = [client.get(url, {**params, "page": str(n)}) for n in numbers]
    return responses[0].context["page_obj"], [e.code for r in responses for e in r.context["page_obj"]]


@pytest.mark.parametrize("sort", ["applying", "-applying"])
def test_sorted_by_applying_pages_follow_the_list_order(entry_client, plants, sort):
    first, codes = pages(entry_client, {"sort": sort})
    assert first.paginator.count == 30 and first.paginator.num_pages == 2 and len(first) == 25
    assert codes == expected(plants, sort.startswith("-"))
    # The same order as the list's own ordering (its applying_since subquery), the download's order.
    assert codes == [e.code for e in selectors.establishment_list({"sort": sort})]
    seen = {e.code: e.applying_since for e in first}
    assert all(seen[code] == plants[code] for code in seen)


@pytest.mark.parametrize("sort", ["applying", "-applying"])
def test_sorted_by_applying_with_filters(entry_client, plants, sort):
    first, codes = pages(entry_client, {"sort": sort, "applying": "yes"}, numbers=(1,))
    applying = [c for c in expected(plants, sort.startswith("-")) if plants[c] is not None]
    assert codes == applying and first.paginator.count == len(applying) == 18
    _first, codes = pages(entry_client, {"sort": sort, "applying": "no"}, numbers=(1,))
    assert codes == sorted(c for c, y in plants.items() if y is None)
    _first, codes = pages(entry_client, {"sort": sort, "q": "KT-Z0"}, numbers=(1,))
    assert codes == [c for c in expected(plants, sort.startswith("-")) if c.startswith("KT-Z0")]


@pytest.mark.parametrize("sort", ["applying", "-applying"])
def test_sorted_by_applying_for_a_user_reading_an_area_only(client, plants, sort):
    user = f.user("dak-ha-reader", DATA_ENTRY)
    area = UserArea.objects.create(user=user, read_only_area=True)
    area.places.set([Place.objects.get(code="615")])
    client.force_login(user)
    first, codes = pages(client, {"sort": sort}, numbers=(1,))
    in_area = [c for i, c in enumerate(plants) if i % 3 == 0]
    assert codes == [c for c in expected(plants, sort.startswith("-")) if c in in_area]
    assert first.paginator.count == len(in_area) == 10


def test_the_download_sorted_by_applying_holds_the_pages_rows(entry_client, plants):
    _first, codes = pages(entry_client, {"sort": "-applying"})
    response = entry_client.get(reverse("establishments:list"), {"sort": "-applying", "export": "csv"})
    header, *rows = csv.reader(io.StringIO(response.getvalue().decode("utf-8").lstrip("\ufeff")))
    assert header[0] == "code" and sorted(row[0] for row in rows) == sorted(codes)


def test_ids_by_applying_reads_the_page_in_one_query(plants, django_assert_num_queries):
    establishments = selectors.establishment_list({"sort": "-applying"})
    with django_assert_num_queries(1):
        ids = selectors.ids_by_applying(establishments, 25, 50, descending=True)
    assert len(ids) == 5
