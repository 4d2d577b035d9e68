"""The annual reports list searched by establishment (?q=, code or name, any case): the establishments are
found once and the reports read by their ids (`selectors._establishment_search_q`), or, beyond
`SEARCH_IDS_MAX` of them, by the same filter as a join; both give the same rows, pages and download."""
import pytest
from django.urls import reverse

from indicators import selectors
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports():
    plants = [f.establishment(code="KT-S1", name="Nhà máy sắn"),
              f.establishment(code="KT-S2", name="Cơ sở phụ của kt-s1"),
              f.establishment(code="KT-X", name="Nhà máy khác")]
    for est in plants:
        for year in (2016, 2017):
            f.report(est, year, 1000, water=100)
    return plants


def listed(client, params):
    response = client.get(reverse("indicators:report_list"), params)
    return response.context["page_obj"], [(r.establishment.code, r.year) for r, _values in response.context["rows"]]


@pytest.mark.parametrize("most", [selectors.SEARCH_IDS_MAX, 1])
def test_search_by_code_or_name_by_ids_or_by_join(entry_client, reports, monkeypatch, most):
    monkeypatch.setattr(selectors, "SEARCH_IDS_MAX", most)
    page, rows = listed(entry_client, {"q": "Kt-S1"})
    assert rows == [("KT-S1", 2017), ("KT-S2", 2017)] and page.paginator.count == 4
    _page, rows = listed(entry_client, {"q": "Kt-S1", "page": "2"})
    assert rows == [("KT-S1", 2016), ("KT-S2", 2016)]
    _page, rows = listed(entry_client, {"q": "máy", "year": "2016"})
    assert rows == [("KT-S1", 2016), ("KT-X", 2016)]
    page, rows = listed(entry_client, {"q": "nothing like it"})
    assert rows == [] and page.paginator.count == 0
    response = entry_client.get(reverse("indicators:report_list"), {"q": "kt-s1", "export": "csv"})
    lines = response.getvalue().decode("utf-8").splitlines()[1:]
    assert sorted(line.split(",")[0] for line in lines) == ["KT-S1", "KT-S1", "KT-S2", "KT-S2"]


def test_search_queries_do_not_grow_with_the_data(entry_client, reports, django_assert_max_num_queries):
    url = reverse("indicators:report_list")
    entry_client.get(url, {"q": "KT-S"})
    with django_assert_max_num_queries(20) as small:
        entry_client.get(url, {"q": "KT-S"})
    for i in range(30):
        est = f.establishment(code=f"KT-S9{i:02d}")
        f.report(est, 2017, 1000, water=100)
    with django_assert_max_num_queries(20) as large:
        entry_client.get(url, {"q": "KT-S"})
    assert len(small.captured_queries) == len(large.captured_queries)
