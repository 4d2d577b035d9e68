"""What the API's lists hold: stable codes, the filters by year, place (by lineage) and sector, a manager's
reading area, pagination. Hand-made data; every expectation is written out by hand.

The places: the reference districts Đắk Hà (615) and Đắk Tô (612) of Kon Tum (62); a made-up commune X-615A
inside Đắk Hà; a made-up commune X-NEW of the new Quảng Ngãi (51) that succeeded Đắk Hà in 2025 (so lies
inside 615 by lineage).
"""
import datetime

import pytest
from django.urls import reverse

from establishments.models import Place, PlaceSuccession, Sector, UserArea
from kontum_cp.roles import MANAGER
from tests import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(db):
    get = Place.objects.get_by_natural_key
    dak_ha, dak_to, quang_ngai = get("615"), get("612"), get("51")
    commune = Place.objects.create(code="X-615A", name_vi="Xã A (ví dụ)", level="commune", parent=dak_ha)
    successor = Place.objects.create(code="X-NEW", name_vi="Xã mới (ví dụ)", level="commune", parent=quang_ngai,
                                     valid_from=datetime.date(2025, 7, 1))
    PlaceSuccession.objects.create(predecessor=dak_ha, successor=successor, date=datetime.date(2025, 7, 1))
    food = Sector.objects.create(code="S-FOOD", name_vi="Thực phẩm (ví dụ)")
    wood = Sector.objects.create(code="S-WOOD", name_vi="Gỗ (ví dụ)")
    a = f.establishment(code="A-1", place=commune, sector=food, established_year=2010)
    b = f.establishment(code="B-2", place=successor, sector=wood, established_year=2016)
    c = f.establishment(code="C-3", place=dak_to, sector=food, status="closed", closed_year=2015)
    d = f.establishment(code="D-4", place=None, sector=None)
    f.report(a, 2017, 100, water=10)
    f.report(a, 2018, 120, water=12, electricity=3000)
    f.report(b, 2018, 50, water=5)
    f.report(c, 2015, 10, water=1)
    f.measure(a, 2017, title="Biogas")
    f.measure(b, 2018, title="Lids on tanks")
    f.measure(c, 2014, title="Insulation")
    f.assistance(a, 2017)
    f.assistance(c, 2015)
    f.assistance(d, 2018)
    course = f.event(code="EV-A", start_date=datetime.date(2017, 3, 1))
    workshop = f.event(code="EV-B", start_date=datetime.date(2018, 6, 1), kind="workshop")
    f.attendance(course, f.person(name="An", establishment=a, category="technical_staff"))
    f.attendance(course, f.person(name="Bình", establishment=c, category="technical_staff"), completed=False)
    f.attendance(workshop, f.person(name="Chi", establishment=b, category="technical_staff"))
    f.attendance(workshop, f.person(name="Dũng"))  # the Department's staff, no establishment
    plan = f.plan(territory=get("62"))
    f.target(plan, "cp_adoption", 50, 70)
    f.target(f.plan("1234/QĐ-UBND", 2021, 2025), "cp_adoption", 80)
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.fixture
def api(db):
    return token_client(f.user("reader", MANAGER))


def _results(client, name, **params):
    response = client.get(reverse(f"api:{name}"), params)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _codes(client, name, key="establishment", **params):
    return [row[key] for row in _results(client, name, **params)]


def test_establishments_carry_codes_not_ids(api, data):
    rows = {row["code"]: row for row in _results(api, "establishment-list")}
    assert list(rows) == ["A-1", "B-2", "C-3", "D-4"]
    assert rows["A-1"]["place"] == "X-615A" and rows["A-1"]["sector"] == "S-FOOD"
    assert rows["D-4"]["place"] is None and rows["D-4"]["sector"] is None
    one = api.get(reverse("api:establishment-detail", args=["B-2"])).json()
    assert (one["code"], one["place"], one["sector"], one["established_year"]) == ("B-2", "X-NEW", "S-WOOD", 2016)
    assert api.get(reverse("api:establishment-detail", args=["NO-SUCH"])).status_code == 404


def test_establishments_by_place_by_lineage_sector_and_year(api, data):
    # Đắk Hà holds its commune and, by succession, the commune that succeeded it.
    assert _codes(api, "establishment-list", "code", place="615") == ["A-1", "B-2"]
    assert _codes(api, "establishment-list", "code", place="62") == ["A-1", "B-2", "C-3"]
    assert _codes(api, "establishment-list", "code", place="612") == ["C-3"]
    assert _codes(api, "establishment-list", "code", sector="S-FOOD") == ["A-1", "C-3"]
    assert _codes(api, "establishment-list", "code", place="615", sector="S-FOOD") == ["A-1"]
    # 2014: B not yet set up; 2017: C closed in 2015.
    assert _codes(api, "establishment-list", "code", year="2014") == ["A-1", "C-3", "D-4"]
    assert _codes(api, "establishment-list", "code", year="2017") == ["A-1", "B-2", "D-4"]


def test_reports_with_their_lines_filtered(api, data):
    rows = _results(api, "report-list", year="2018")
    assert [(r["establishment"], r["year"]) for r in rows] == [("A-1", 2018), ("B-2", 2018)]
    lines = {line["resource"]: line for line in rows[0]["lines"]}
    assert set(lines) == {"water", "electricity"}
    assert float(lines["water"]["quantity"]) == 12 and float(lines["electricity"]["quantity"]) == 3000
    assert [(r["establishment"], r["year"]) for r in _results(api, "report-list", place="615")] == [
        ("A-1", 2018), ("B-2", 2018), ("A-1", 2017)]
    assert [(r["establishment"], r["year"]) for r in _results(api, "report-list", sector="S-FOOD")] == [
        ("A-1", 2018), ("A-1", 2017), ("C-3", 2015)]
    assert [r["year"] for r in _results(api, "report-list", establishment="A-1")] == [2018, 2017]


def test_measures_and_assistance_filtered(api, data):
    assert _codes(api, "measure-list", "title") == ["Lids on tanks", "Biogas", "Insulation"]
    assert _codes(api, "measure-list", "title", year="2017") == ["Biogas"]
    assert _codes(api, "measure-list", "title", place="615") == ["Lids on tanks", "Biogas"]
    assert _codes(api, "measure-list", "title", sector="S-FOOD") == ["Biogas", "Insulation"]
    assert _codes(api, "assistance-list") == ["D-4", "A-1", "C-3"]
    assert _codes(api, "assistance-list", year="2017") == ["A-1"]
    assert _codes(api, "assistance-list", place="62") == ["A-1", "C-3"]
    assert _codes(api, "assistance-list", sector="S-FOOD", year="2015") == ["C-3"]


def test_events_and_attendance_filtered(api, data):
    events = {row["code"]: row for row in _results(api, "event-list")}
    assert (events["EV-A"]["participants"], events["EV-A"]["completed"]) == (2, 1)
    assert _codes(api, "event-list", "code", year="2018") == ["EV-B"]
    assert _codes(api, "event-list", "code", place="612") == ["EV-A"]
    assert _codes(api, "event-list", "code", sector="S-WOOD") == ["EV-B"]
    rows = _results(api, "attendance-list")
    assert [(r["event"], r["name"], r["establishment"]) for r in rows] == [
        ("EV-A", "An", "A-1"), ("EV-A", "Bình", "C-3"), ("EV-B", "Chi", "B-2"), ("EV-B", "Dũng", None)]
    assert _codes(api, "attendance-list", "name", year="2018") == ["Chi", "Dũng"]
    assert _codes(api, "attendance-list", "name", place="615") == ["An", "Chi"]
    assert _codes(api, "attendance-list", "name", sector="S-FOOD") == ["An", "Bình"]
    assert _codes(api, "attendance-list", "name", event="EV-A") == ["An", "Bình"]


def test_plans_and_targets_by_decision_number(api, data):
    plans = _results(api, "plan-list")
    assert [(p["decision_number"], p["territory"]) for p in plans] == [("835/QĐ-UBND", "62"),
                                                                       ("1234/QĐ-UBND", None)]
    targets = _results(api, "target-list", plan="835/QĐ-UBND")
    assert [(t["plan"], t["indicator_code"], float(t["low"]), float(t["high"]), t["deadline_year"])
            for t in targets] == [("835/QĐ-UBND", "cp_adoption", 50, 70, 2020)]
    assert len(_results(api, "target-list")) == 2
    assert _results(api, "target-list", plan="no such plan") == []


@pytest.mark.parametrize("params, field", [({"year": "20x8"}, "year"), ({"year": "1800"}, "year"),
                                           ({"place": "NO-PLACE"}, "place"), ({"sector": "NO-SECTOR"}, "sector")])
def test_a_bad_filter_is_a_400_that_says_which(api, data, params, field):
    for name in ("establishment-list", "report-list", "measure-list", "assistance-list", "event-list",
                 "attendance-list"):
        response = api.get(reverse(f"api:{name}"), params)
        assert response.status_code == 400, (name, params)
        assert list(response.json()) == [field]


def test_a_manager_who_reads_an_area_reads_only_its_establishments_and_their_records(data):
    user = f.user("area-reader", MANAGER)
    area = UserArea.objects.create(user=user, read_only_area=True)
    area.places.set([Place.objects.get_by_natural_key("615")])
    api = token_client(user)
    assert _codes(api, "establishment-list", "code") == ["A-1", "B-2"]
    assert api.get(reverse("api:establishment-detail", args=["C-3"])).status_code == 404
    assert {r["establishment"] for r in _results(api, "report-list")} == {"A-1", "B-2"}
    assert _codes(api, "measure-list", "title") == ["Lids on tanks", "Biogas"]
    assert _codes(api, "assistance-list") == ["A-1"]
    # Without read_only_area the area limits only what the user changes: everything is read.
    area.read_only_area = False
    area.save()
    assert _codes(token_client(user), "establishment-list", "code") == ["A-1", "B-2", "C-3", "D-4"]


def test_lists_come_in_pages(api, data):
    first = api.get(reverse("api:establishment-list"), {"page_size": 3}).json()
    assert first["count"] == 4 and [r["code"] for r in first["results"]] == ["A-1", "B-2", "C-3"]
    second = api.get(first["next"]).json()
    assert [r["code"] for r in second["results"]] == ["D-4"] and second["next"] is None
    assert api.get(reverse("api:establishment-list"), {"page": 9}).status_code == 404


def test_published_figures_as_they_were_stored(token_for):
    """A publication reads back exactly as stored, filtered by plan and year; a later data change does not
    touch it."""
    from indicators.models import Publication

    plan = f.plan(decision_number="PUB/1")
    first, second = f.publication(plan, 2017), f.publication(plan, 2018)
    client = token_for(MANAGER)
    listed = client.get(reverse("api:publication-list"), {"plan": "PUB/1", "year": "2018"}).json()
    assert [row["id"] for row in listed["results"]] == [second.pk]
    one = client.get(reverse("api:publication-detail", args=[first.pk])).json()
    stored = Publication.objects.get(pk=first.pk)
    assert (one["plan"], one["year"], one["number"], one["fingerprint"], one["figures"]) == (
        "PUB/1", 2017, stored.number, stored.fingerprint, stored.figures)
    assert client.get(reverse("api:publication-list"), {"year": "abc"}).status_code == 400
    assert client.post(reverse("api:publication-list"), {}).status_code == 405
