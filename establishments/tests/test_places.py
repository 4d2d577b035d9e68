"""Places with a history and the lineage rule (establishments/places.py, DOMAIN.md *Places*).

The map used here, by hand:

    Việt Nam (VN, country)
    ├── Kon Tum (62, province, until 30/06/2025) ──merged──▶ Quảng Ngãi (51, province, from 01/07/2025)
    │   ├── Đắk Hà (615, district, until 30/06/2025) ──▶ commune X-NEW (parent 51, from 01/07/2025)
    │   │   └── commune X-OLD (until 30/06/2025) ──▶ X-NEW
    │   └── Đắk Tô (612, district, until 30/06/2025)
    └── Quảng Ngãi (51) ── commune Q-1 (parent 51, from 01/07/2025; came from the old Quảng Ngãi side)
"""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from establishments.models import Establishment, Place, PlaceSuccession
from establishments.places import establishments_within, lies_within, within_ids
from indicators.models import ActionPlan
from tests import factories

MERGER = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2025, 6, 30)

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged_map():
    """The reference places of the migrations (62, 615, 612, 51, VN) plus two made-up communes."""
    get = Place.objects.get_by_natural_key
    kon_tum, dak_ha, dak_to, quang_ngai, country = get("62"), get("615"), get("612"), get("51"), get("VN")
    old_commune = Place.objects.create(code="X-OLD", name_vi="Xã cũ (ví dụ)", level="commune", parent=dak_ha,
                                       valid_to=BEFORE)
    new_commune = Place.objects.create(code="X-NEW", name_vi="Xã mới (ví dụ)", level="commune",
                                       parent=quang_ngai, valid_from=MERGER)
    other_side = Place.objects.create(code="Q-1", name_vi="Xã phía Quảng Ngãi (ví dụ)", level="commune",
                                      parent=quang_ngai, valid_from=MERGER)
    for old in (dak_ha, old_commune):
        PlaceSuccession.objects.create(predecessor=old, successor=new_commune, date=MERGER)
    return {"VN": country, "62": kon_tum, "615": dak_ha, "612": dak_to, "51": quang_ngai,
            "X-OLD": old_commune, "X-NEW": new_commune, "Q-1": other_side}


def codes(ids):
    return set(Place.objects.filter(pk__in=ids).values_list("code", flat=True))


def test_the_migrations_record_the_country_and_the_merger():
    kon_tum = Place.objects.get_by_natural_key("62")
    quang_ngai = Place.objects.get_by_natural_key("51")
    link = PlaceSuccession.objects.get(predecessor=kon_tum)
    assert (link.successor, link.date, link.legal_basis) == (quang_ngai, MERGER, "Nghị quyết 202/2025/QH15")
    assert kon_tum.parent.code == quang_ngai.parent.code == "VN"
    assert not Place.objects.filter(level="commune").exists()  # no commune is invented


def test_kon_tum_as_it_was_holds_its_districts_and_their_successor_communes(merged_map):
    inside = codes(within_ids(merged_map["62"]))
    districts = set(Place.objects.filter(parent=merged_map["62"]).values_list("code", flat=True))
    assert inside == {"62", "X-OLD", "X-NEW"} | districts
    assert "51" not in inside and "Q-1" not in inside  # a merger never pulls the larger unit in


def test_the_new_province_holds_the_former_one_and_everything_in_it(merged_map):
    inside = codes(within_ids(merged_map["51"]))
    assert {"51", "62", "615", "612", "X-OLD", "X-NEW", "Q-1"} <= inside
    assert "VN" not in inside


def test_a_district_holds_the_commune_that_succeeded_it_but_not_the_other_way_round(merged_map):
    assert codes(within_ids(merged_map["615"])) == {"615", "X-OLD", "X-NEW"}
    # The new commune took over (part of) Đắk Hà: the district does not lie inside the commune.
    assert codes(within_ids(merged_map["X-NEW"])) == {"X-NEW", "X-OLD"}
    assert codes(within_ids(merged_map["612"])) == {"612"}


def test_the_country_holds_everything(merged_map):
    assert within_ids(merged_map["VN"]) == frozenset(Place.objects.values_list("pk", flat=True))


def test_missing_territory_or_place(merged_map):
    assert within_ids(None) == frozenset()
    assert not lies_within(None, merged_map["62"])
    assert not lies_within(merged_map["615"], None)
    assert lies_within(merged_map["615"].pk, merged_map["62"].pk)
    assert within_ids(10**9) == frozenset()  # a territory that no longer exists holds nothing


def test_establishments_within_a_territory(merged_map):
    registered = {
        "province": factories.establishment(code="T-1", place=merged_map["62"]),
        "district": factories.establishment(code="T-2", place=merged_map["615"]),
        "new commune": factories.establishment(code="T-3", place=merged_map["X-NEW"]),
        "other side": factories.establishment(code="T-4", place=merged_map["Q-1"]),
        "new province": factories.establishment(code="T-5", place=merged_map["51"]),
        "no place": factories.establishment(code="T-6", place=None),
    }
    in_kon_tum = set(Establishment.objects.filter(establishments_within(merged_map["62"]))
                     .values_list("code", flat=True))
    assert in_kon_tum == {"T-1", "T-2", "T-3"}
    in_quang_ngai = set(Establishment.objects.filter(establishments_within(merged_map["51"]))
                        .values_list("code", flat=True))
    assert in_quang_ngai == {"T-1", "T-2", "T-3", "T-4", "T-5"}
    # No territory: no filter; an establishment without a place lies in no territory.
    assert Establishment.objects.filter(establishments_within(None)).count() >= len(registered)
    assert not Establishment.objects.filter(establishments_within(merged_map["VN"]), code="T-6").exists()


def test_a_code_is_unique_among_places_valid_at_the_same_time(merged_map):
    reused = Place(code="615", name_vi="Đơn vị mới dùng lại mã", level="commune", valid_from=MERGER)
    reused.full_clean()  # Đắk Hà ended on 30/06/2025: its code may name a later unit
    reused.save()
    assert Place.objects.get_by_natural_key("615") == reused  # the unit valid today
    clash = Place(code="615", name_vi="Trùng thời gian", level="commune", valid_from=BEFORE)
    with pytest.raises(ValidationError) as error:
        clash.full_clean()
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError):
        Place(code="Z", name_vi="Z", valid_from=MERGER, valid_to=BEFORE).full_clean()
    with pytest.raises(Place.DoesNotExist):
        Place.objects.get_by_natural_key("no-such-code")


def test_the_official_data_places_plans_and_establishments():
    call_command("loaddata", "kontum_2009_2018", verbosity=0)
    territories = dict(ActionPlan.objects.values_list("decision_number", "territory__code"))
    assert territories["835/QĐ-UBND"] == "62"
    assert territories["1419/QĐ-TTg"] == "VN"
    official = Establishment.objects.filter(code__startswith="KT-")
    assert official.count() == 7
    assert set(official.values_list("place__code", flat=True)) == {"62"}  # the report names no district
