"""The measures list pages by year (kontum_cp.listing.GroupedPaginator): the pages, read one after the other,
give every measure once, in the list's order (newest year first, the measures without an exact year where the
database sorts them), and a page never holds two years."""
import pytest
from django.urls import reverse

from establishments import selectors
from kontum_cp import listing
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_measure_pages_follow_the_list_order_one_year_a_page(entry_client, monkeypatch):
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    ests = [f.establishment(code=f"KT-G{i}") for i in range(3)]
    for i, est in enumerate(ests):
        f.measure(est, year=2015, title=f"A{i}")
        f.measure(est, year=2016 + i % 2, title=f"B{i}")
        f.measure(est, year=None, year_earliest=2014, year_latest=2016, title=f"C{i}")
    url = reverse("establishments:measure_list")
    first = entry_client.get(url).context["page_obj"]
    seen = []
    for number in range(1, first.paginator.num_pages + 1):
        page = list(entry_client.get(url, {"page": str(number)}).context["page_obj"])
        assert 1 <= len(page) <= 2 and len({m.year for m in page}) == 1
        seen += page
    assert seen == list(selectors.measure_list({}))
    assert first.paginator.count == 9


@pytest.mark.parametrize("sort", ["code", "-name", "applying"])
def test_establishment_pages_read_ids_first_give_the_list_in_order(entry_client, monkeypatch, sort):
    """The establishment list reads each page's ids, then their rows (kontum_cp.listing.IdsFirstPaginator):
    the pages give every establishment once, in the list's order, with the list's computed columns."""
    from kontum_cp import listing as listing_module

    monkeypatch.setattr(listing_module, "PER_PAGE", 2)
    for i in range(5):
        est = f.establishment(code=f"KT-I{i}", name=f"N{(i * 3) % 5}")
        if i % 2:
            f.measure(est, year=2010 + i, status="implemented", category="good_housekeeping")
    url = reverse("establishments:list")
    seen = []
    for number in (1, 2, 3):
        seen += list(entry_client.get(url, {"sort": sort, "page": str(number)}).context["page_obj"])
    expected = list(selectors.establishment_list({"sort": sort}))
    assert [e.code for e in seen] == [e.code for e in expected]
    assert [e.applying_since for e in seen] == [e.applying_since for e in expected]
