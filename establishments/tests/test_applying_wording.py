"""The establishment page and list say since when an establishment applies CP, "at the latest" when its
first counting measure is dated only roughly, or why not ("no dated measure yet"); each measure says whether
it counts and why not."""
import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def page(client, url):
    client.cookies["django_language"] = "en"
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_official_tapioca_page_applies_cp_since_2018_at_the_latest(manager_client, official_data):
    html = page(manager_client, reverse("establishments:detail", args=["KT-0001"]))
    assert "✓ since 2018</span> <small class=\"muted\">(by 2018 at the latest)</small>" in html
    assert '<td class="num">2016–2018</td>' in html
    assert "end-of-pipe treatment: shown, not counted" in html
    assert "not yet" not in html
    ya_chim = page(manager_client, reverse("establishments:detail", args=["KT-0002"]))
    assert '<td class="num">by 2018</td>' in ya_chim and "(by 2018 at the latest)" in ya_chim
    assert "Process evaluation" in ya_chim and "by 2018" in ya_chim


def test_an_exact_year_has_no_caveat_and_an_undated_measure_says_why(manager_client):
    exact = f.establishment(code="W-1")
    f.measure(exact, 2016, title="Exact")
    f.measure(exact, None, year_earliest=2014, year_latest=2016, title="Rough, same latest year")
    undated = f.establishment(code="W-2")
    f.measure(undated, None, title="Undated")
    f.establishment(code="W-3")
    html = page(manager_client, reverse("establishments:detail", args=["W-1"]))
    assert "✓ since 2016</span>" in html and "at the latest" not in html
    html = page(manager_client, reverse("establishments:detail", args=["W-2"]))
    assert "no dated measure yet" in html and "implemented, year unknown: not counted" in html
    assert "✓ since" not in html
    assert "not yet</span>" in page(manager_client, reverse("establishments:detail", args=["W-3"]))
    listing = page(manager_client, reverse("establishments:list"))
    rows = {code: listing.split(f">{code}</a>")[1].split("</tr>")[0] for code in ("W-1", "W-2", "W-3")}
    assert "2016" in rows["W-1"] and "at the latest" not in rows["W-1"]
    assert "no dated measure yet" in rows["W-2"]
    assert "no dated measure yet" not in rows["W-3"] and "—" in rows["W-3"]


def test_the_list_says_at_the_latest_for_a_rough_first_measure(manager_client):
    rough = f.establishment(code="W-4")
    f.measure(rough, None, year_latest=2018, title="By 2018")
    f.measure(rough, 2020, title="Exact later")
    listing = page(manager_client, reverse("establishments:list") + "?applying=yes")
    row = listing.split(">W-4</a>")[1].split("</tr>")[0]
    assert "2018" in row and "(by 2018 at the latest)" in row
