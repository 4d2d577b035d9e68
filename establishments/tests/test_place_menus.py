"""Place menus, today's unit, filters by lineage and the establishments without a place (DOMAIN.md *Places*).

The map, by hand (the reference places of the migrations plus made-up communes, codes "VD-…"):

    Việt Nam (VN)
    ├── Kon Tum (62, until 30/06/2025) ──▶ Quảng Ngãi (51, from 01/07/2025)
    │   ├── Đắk Hà (615, until 30/06/2025) ──▶ VD-NEW (commune of 51, from 01/07/2025)
    │   │   └── VD-OLD (commune, until 30/06/2025) ──▶ VD-NEW
    │   └── Đắk Tô (612, until 30/06/2025) ──▶ VD-T1 and VD-T2 (communes of 51: split)
    └── Quảng Ngãi (51) ── VD-QN (commune from 01/07/2025, on the old Quảng Ngãi side)
"""
import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from establishments.forms import EstablishmentForm, EstablishmentFilterForm
from establishments.models import Establishment, Place, PlaceSuccession
from establishments.places import place_menu, today_unit
from tests import factories as f

pytestmark = pytest.mark.django_db

MERGER = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2025, 6, 30)
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def places():
    get = Place.objects.get_by_natural_key
    qn, dak_ha, dak_to = get("51"), get("615"), get("612")
    old = Place.objects.create(code="VD-OLD", name_vi="Xã Cũ", name_en="Cu commune", level="commune",
                               parent=dak_ha, valid_to=BEFORE)
    new = Place.objects.create(code="VD-NEW", name_vi="Xã Mới", name_en="Moi commune", level="commune",
                               parent=qn, valid_from=MERGER)
    t1 = Place.objects.create(code="VD-T1", name_vi="Xã Tô Một", name_en="To One commune", level="commune",
                              parent=qn, valid_from=MERGER)
    t2 = Place.objects.create(code="VD-T2", name_vi="Xã Tô Hai", name_en="To Two commune", level="commune",
                              parent=qn, valid_from=MERGER)
    Place.objects.create(code="VD-QN", name_vi="Xã Biển", name_en="Bien commune", level="commune",
                         parent=qn, valid_from=MERGER)
    for predecessor, successor in ((dak_ha, new), (old, new), (dak_to, t1), (dak_to, t2)):
        PlaceSuccession.objects.create(predecessor=predecessor, successor=successor, date=MERGER)
    return {p.code: p for p in Place.objects.all()}


# ---- today's unit -------------------------------------------------------------------------

def test_today_unit_follows_successors_then_parents(places):
    assert today_unit(places["615"], TODAY) == places["VD-NEW"]  # its own successor
    assert today_unit(places["VD-OLD"], TODAY) == places["VD-NEW"]
    assert today_unit(places["612"], TODAY) == places["51"]  # split in two communes of Quảng Ngãi
    assert today_unit(places["608"], TODAY) == places["51"]  # no successor of its own: its province's
    assert today_unit(places["62"], TODAY) == places["51"]
    assert today_unit(places["VD-QN"], TODAY) == places["VD-QN"]  # valid today: itself
    assert today_unit(places["615"], BEFORE) == places["615"]  # on the day before the merger
    assert today_unit(None) is None


def test_today_unit_is_none_when_no_successor_is_known(places):
    lone = Place.objects.create(code="VD-LONE", name_vi="Huyện Lẻ", level="district", valid_to=BEFORE)
    assert today_unit(lone, TODAY) is None


# ---- the menus ----------------------------------------------------------------------------

def test_the_menu_offers_todays_places_by_parent_then_the_former_units(places):
    menu = [(group, [label for _p, label in members]) for group, members in
            place_menu(list(Place.objects.select_related("parent")), TODAY)]
    assert menu == [
        ("", ["Viet Nam"]),
        ("Viet Nam", ["Quang Ngai province"]),
        ("Quang Ngai province", ["Bien commune", "Moi commune", "To One commune", "To Two commune"]),
        ("Former units", [
            "Kon Tum province (until 30/06/2025)",
            "Dak Glei district (until 30/06/2025)", "Dak Ha district (until 30/06/2025)",
            "Dak To district (until 30/06/2025)", "Ia H'Drai district (until 30/06/2025)",
            "Kon Plong district (until 30/06/2025)", "Kon Ray district (until 30/06/2025)",
            "Kon Tum city (until 30/06/2025)", "Ngoc Hoi district (until 30/06/2025)",
            "Sa Thay district (until 30/06/2025)", "Tu Mo Rong district (until 30/06/2025)",
            "Cu commune (until 30/06/2025)",
        ]),
    ]


def test_vietnamese_names_sort_d_with_d(places):
    with translation.override("vi"):
        groups = place_menu(list(Place.objects.select_related("parent")), TODAY)
    former = [p.name_vi for p, _label in groups[-1][1]]
    assert former[:6] == ["Tỉnh Kon Tum", "Huyện Đắk Glei", "Huyện Đắk Hà", "Huyện Đắk Tô", "Huyện Ia H'Drai",
                          "Huyện Kon Plông"]
    assert [p.name_vi for p, _label in groups[2][1]] == ["Xã Biển", "Xã Mới", "Xã Tô Hai", "Xã Tô Một"]


def test_one_field_everywhere_and_one_query_for_the_places(places, django_assert_num_queries):
    with django_assert_num_queries(1):
        form = EstablishmentForm()
        html = str(form["place"])
    assert '<optgroup label="Former units">' in html and '<optgroup label="Quang Ngai province">' in html
    assert f'<option value="{places["615"].pk}">Dak Ha district (until 30/06/2025)</option>' in html
    filters = EstablishmentFilterForm(places=list(Place.objects.select_related("parent")), sectors=[])
    assert '<option value="none">No place</option>' in str(filters["place"])


def test_editing_an_establishment_of_a_former_district_keeps_it(places, entry_client):
    entry_client.cookies["django_language"] = "en"
    est = f.establishment(code="KT-DH", place=places["615"])
    url = reverse("establishments:edit", args=["KT-DH"])
    html = entry_client.get(url).content.decode()
    assert f'<option value="{places["615"].pk}" selected>Dak Ha district (until 30/06/2025)</option>' in html
    response = entry_client.post(url, {"name": "Renamed", "place": str(places["615"].pk), "sector": est.sector_id,
                                       "cp_potential": "on", "version": str(est.version)})
    assert response.status_code == 302
    est.refresh_from_db()
    assert (est.name, est.place) == ("Renamed", places["615"])
    response = entry_client.post(url, {"name": "Renamed", "place": "999999", "sector": est.sector_id,
                                       "version": str(est.version)})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


# ---- filters by lineage -------------------------------------------------------------------

@pytest.fixture
def both_sides(places):
    """One establishment in each kind of place, each with a measure and an assistance record."""
    registered = {"KT-62": "62", "KT-615": "615", "KT-OLD": "VD-OLD", "KT-NEW": "VD-NEW", "KT-T1": "VD-T1",
                  "KT-QN": "VD-QN", "KT-51": "51", "KT-NONE": None}
    for code, place in registered.items():
        est = f.establishment(code=code, place=places[place] if place else None)
        f.measure(est, year=2015, title=f"Measure of {code}")
        f.assistance(est, year=2017)
    return places


def listed(client, name, params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    return sorted({getattr(r, "code", None) or r.establishment.code for r in response.context["page_obj"]})


KON_TUM_AS_IT_WAS = ["KT-615", "KT-62", "KT-NEW", "KT-OLD", "KT-T1"]


def test_a_former_province_finds_its_districts_and_the_communes_that_succeeded_them(both_sides, entry_client):
    kon_tum = str(both_sides["62"].pk)
    assert listed(entry_client, "establishments:list", {"place": kon_tum}) == KON_TUM_AS_IT_WAS
    assert listed(entry_client, "establishments:measure_list", {"place": kon_tum}) == KON_TUM_AS_IT_WAS
    assert listed(entry_client, "establishments:assistance_list", {"place": kon_tum}) == KON_TUM_AS_IT_WAS
    assert listed(entry_client, "establishments:list", {"place": str(both_sides["615"].pk)}) == [
        "KT-615", "KT-NEW", "KT-OLD"]
    everything_but_none = sorted(set(KON_TUM_AS_IT_WAS) | {"KT-QN", "KT-51"})
    assert listed(entry_client, "establishments:list", {"place": str(both_sides["51"].pk)}) == everything_but_none
    assert listed(entry_client, "establishments:list", {"place": "none"}) == ["KT-NONE"]
    for nonsense in ("not-a-place", "²", "99999999999999999999"):
        assert listed(entry_client, "establishments:list", {"place": nonsense}) == []


def test_the_exports_of_the_lists_use_the_same_filter(both_sides, entry_client):
    kon_tum = str(both_sides["62"].pk)
    for name in ("establishments:list", "establishments:measure_list", "establishments:assistance_list"):
        response = entry_client.get(reverse(name), {"place": kon_tum, "export": "csv"})
        assert response.status_code == 200
        text = response.getvalue().decode("utf-8-sig")
        found = sorted({code for code in KON_TUM_AS_IT_WAS + ["KT-QN", "KT-51", "KT-NONE"] if f"{code}," in text})
        assert found == KON_TUM_AS_IT_WAS, name


# ---- the establishment page and the establishments without a place -------------------------

def test_the_page_shows_todays_unit(places, entry_client):
    entry_client.cookies["django_language"] = "en"
    f.establishment(code="KT-DH", place=places["615"])
    f.establishment(code="KT-DT", place=places["612"])
    f.establishment(code="KT-QN", place=places["VD-QN"])
    assert ("Dak Ha district (until 30/06/2025), now part of Moi commune"
            in entry_client.get(reverse("establishments:detail", args=["KT-DH"])).content.decode())
    assert ("Dak To district (until 30/06/2025), now part of Quang Ngai province"
            in entry_client.get(reverse("establishments:detail", args=["KT-DT"])).content.decode())
    page = entry_client.get(reverse("establishments:detail", args=["KT-QN"])).content.decode()
    assert "Bien commune" in page and "now part of" not in page


def test_the_list_and_the_completeness_page_say_how_many_have_no_place(entry_client):
    entry_client.cookies["django_language"] = "en"
    f.establishment(code="KT-P")
    assert "no place" not in entry_client.get(reverse("establishments:list")).content.decode()
    for code in ("KT-N1", "KT-N2", "KT-N3"):
        f.establishment(code=code, place=None)
    line = "3 establishments have no place: they count under no plan with a territory."
    page = entry_client.get(reverse("establishments:list")).content.decode()
    assert line in page and 'href="?place=none"' in page
    page = entry_client.get(reverse("indicators:completeness"), {"year": 2017}).content.decode()
    assert line in page and reverse("establishments:list") + "?place=none" in page
    Establishment.objects.filter(code__in=["KT-N2", "KT-N3"]).delete()
    assert ("1 establishment has no place: it counts under no plan with a territory."
            in entry_client.get(reverse("establishments:list")).content.decode())


def test_the_list_names_former_places_as_former(places, entry_client):
    entry_client.cookies["django_language"] = "en"
    f.establishment(code="KT-DH", place=places["615"])
    assert "Dak Ha district (until 30/06/2025)" in entry_client.get(reverse("establishments:list")).content.decode()


def test_a_place_not_yet_begun_is_still_itself(places):
    later = Place.objects.create(code="VD-LATER", name_vi="Xã Sau", level="commune", parent=places["51"],
                                 valid_from=datetime.date(2030, 1, 1))
    assert today_unit(later, TODAY) == later
    assert later.label(TODAY) == "Xã Sau (from 01/01/2030)"
