"""A plan counts the establishments of its territory, by lineage (issue 11, *Plans with a territory*), and
shows the published figures about a place inside it (issue 8, *Reported values belong to a territory*).

The map, by hand (62, 615, 612, 51 and VN come with the migrations; the communes and province ZZ are made up):

    Việt Nam (VN)
    ├── Kon Tum (62, until 30/06/2025) ──merged──▶ Quảng Ngãi (51, from 01/07/2025)
    │   ├── Đắk Hà (615) ──▶ commune X-NEW (parent 51, from 01/07/2025)
    │   └── Đắk Tô (612)
    ├── Quảng Ngãi (51) ── commune Q-1 (from the old Quảng Ngãi side)
    └── province ZZ (made up)

The establishments, all with CP potential and active; "adopts" = an implemented measure dated 2016 or 2017:

    K1 Đắk Hà (615) adopts 2016   K2 Đắk Tô (612)   K3 X-NEW adopts 2017
    Q1 Q-1 adopts 2016            Q2 Q-1
    Z1 ZZ                         N1 no place, adopts 2016

So as of 2018: Kon Tum as it was (62) counts K1 K2 K3: 2 of 3; Đắk Hà (615) K1 K3: 2 of 2; the new Quảng
Ngãi (51, which took in Kon Tum) K1 K2 K3 Q1 Q2: 3 of 5; Việt Nam every one with a place: 3 of 6; a plan
without a territory every one: 4 of 7.
"""
import csv
import datetime
import re
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from establishments.models import Place, PlaceSuccession
from indicators import engine
from indicators.models import ActionPlan

from . import dashboard_data as d

pytestmark = pytest.mark.django_db

MERGER = datetime.date(2025, 7, 1)


@pytest.fixture
def places():
    get = Place.objects.get_by_natural_key
    quang_ngai, country = get("51"), get("VN")
    new_commune = Place.objects.create(code="X-NEW", name_vi="Xã mới (ví dụ)", level="commune", parent=quang_ngai,
                                       valid_from=MERGER)
    PlaceSuccession.objects.create(predecessor=get("615"), successor=new_commune, date=MERGER)
    other_side = Place.objects.create(code="Q-1", name_vi="Xã phía Quảng Ngãi (ví dụ)", level="commune",
                                      parent=quang_ngai, valid_from=MERGER)
    made_up = Place.objects.create(code="ZZ", name_vi="Tỉnh khác (ví dụ)", level="province", parent=country)
    return {"62": get("62"), "615": get("615"), "612": get("612"), "51": quang_ngai, "VN": country,
            "X-NEW": new_commune, "Q-1": other_side, "ZZ": made_up}


def territory_plan(number, place, **targets):
    p = d.plan(number, **targets)
    p.territory = place
    p.save()
    return p


def kon_tum_side(places):
    k1 = d.est("K1", place=places["615"])
    d.measure(k1, 2016)
    d.est("K2", place=places["612"])
    k3 = d.est("K3", place=places["X-NEW"])
    d.measure(k3, 2017)
    return k1, k3


def other_side(places):
    """Q1 Q2 in the Quảng Ngãi commune, Z1 elsewhere, N1 without a place: records of every kind, some in 2019."""
    q1 = d.est("Q1", place=places["Q-1"], technical=10)
    d.measure(q1, 2016)
    d.report(q1, 2015, 100, electricity=1000)
    d.report(q1, 2019, 100, electricity=500)
    d.assist(q1, 2016)
    d.attend(d.person("technical_staff", q1), d.event(2019, "training_course"))
    d.est("Q2", place=places["Q-1"])
    d.est("Z1", place=places["ZZ"])
    n1 = d.est("N1")
    d.measure(n1, 2016)
    d.assist(n1, 2017)
    d.attend(d.person("manager", n1), d.event(2016))
    # A figure published about the new Quảng Ngãi province: not about Kon Tum as it was.
    d.reported("establishments_assisted", 2019, 12, places["51"], unit="enterprises", start=2015)


def progress_json(plan, *year):
    out = io.StringIO()
    args = ["--plan", plan.decision_number, "--format", "json"] + (["--year", str(year[0])] if year else [])
    call_command("progress", *args, stdout=out)
    return out.getvalue()


def adoption(plan, year=2018):
    r = engine.cp_adoption(plan, year)
    return r.numerator, r.denominator


def test_each_plan_counts_the_establishments_of_its_territory_by_lineage(places):
    kon_tum_side(places)
    other_side(places)
    plans = {code: territory_plan(f"P-{code}/1", places[code]) for code in ("62", "615", "51", "VN")}
    everywhere = d.plan("ALL/1")  # no territory: every establishment in the database
    assert adoption(plans["62"]) == (2, 3)
    assert adoption(plans["615"]) == (2, 2)  # Đắk Hà and the commune that succeeded it
    assert adoption(plans["51"]) == (3, 5)  # the new province took in Kon Tum; N1 and Z1 lie in neither
    assert adoption(plans["VN"]) == (3, 6)  # every establishment with a place
    assert adoption(everywhere) == (4, 7)


def test_adding_establishments_outside_kon_tum_changes_nothing_of_plan_835(places):
    kon_tum = territory_plan("835/TEST", places["62"], cp_adoption=15, establishments_assisted=5,
                             technical_staff_trained=25)
    k1, k3 = kon_tum_side(places)
    d.report(k1, 2015, 100, electricity=1000)
    d.report(k1, 2018, 100, electricity=900)
    d.assist(k3, 2017)
    d.attend(d.person("technical_staff", k1), d.event(2017, "training_course"))
    d.reported("establishments_disseminated", 2018, 70, places["62"])
    before = [progress_json(kon_tum), progress_json(kon_tum, 2018), progress_json(kon_tum, 2019)]
    other_side(places)
    after = [progress_json(kon_tum), progress_json(kon_tum, 2018), progress_json(kon_tum, 2019)]
    assert after == before
    # The Quảng Ngãi records are there: a plan for the new province counts them (Q1 assisted in 2016 and
    # K3 in 2017; N1, without a place, in no territory).
    quang_ngai = territory_plan("QN/1", places["51"])
    assert engine.establishments_assisted(quang_ngai, 2018).value == 2
    assert engine.establishments_assisted(kon_tum, 2018).value == 1


def test_a_reported_value_shows_under_every_plan_whose_territory_covers_its_place(places):
    """70 % disseminated in Kon Tum by 2018, judged against each plan's own target.

    No attendance is recorded, so the published figure leads. Plan 62 (2013–2020, ≥ 90 % by 2020): on track
    if 70 ≥ 0 + 90 × (2018 − 2013) ÷ (2020 − 2013) = 64.3: on track. National (2009–2020, ≥ 50 % by 2015 and
    ≥ 90 % by 2020): as of 2018 the 2020 target, 90 × (2018 − 2009) ÷ (2020 − 2009) = 73.6 > 70: behind.
    """
    d.reported("establishments_disseminated", 2018, 70, places["62"])
    kon_tum = territory_plan("K/1", places["62"], establishments_disseminated=90)
    national = d.plan("N/1", start=2009, end=2020)
    national.territory = places["VN"]
    national.save()
    for low, deadline in ((50, 2015), (90, 2020)):
        d.factories.target(national, "establishments_disseminated", low, None, deadline)
    dak_ha = territory_plan("DH/1", places["615"], establishments_disseminated=90)
    provincial = engine.establishments_disseminated(kon_tum, 2018)
    assert (provincial.value, provincial.source, provincial.status) == (70, "reported", "on_track")
    country = engine.establishments_disseminated(national, 2018)
    assert (country.value, country.target.low, country.status) == (70, 90, "behind")
    # A district's plan does not show a figure about the whole province.
    district = engine.establishments_disseminated(dak_ha, 2018)
    assert (district.reported, district.value, district.status) == (None, None, "no_data")


def test_page_export_report_and_command_agree_for_a_plan_with_a_territory(places, manager_client):
    kon_tum_side(places)
    other_side(places)
    p = territory_plan("QN/2", places["51"], cp_adoption=15)
    query = {"plan": p.pk, "year": 2018}
    manager_client.cookies["django_language"] = "en"
    page = manager_client.get(reverse("indicators:dashboard"), query)
    assert page.context["dash"].get("cp_adoption").denominator == 5
    assert "60.0 %" in page.content.decode()  # 3 of 5
    rows = list(csv.DictReader(io.StringIO(manager_client.get(reverse("indicators:dashboard_export", args=["csv"]),
                                                              query).content.decode("utf-8-sig"))))
    adoption_row = next(r for r in rows if r["code"] == "cp_adoption")
    assert float(adoption_row["Value (as shown)"]) == 60 and adoption_row["Numerator"] == "3"
    report = manager_client.get(reverse("indicators:dashboard_report"), query).content.decode()
    assert "60.0 %" in report and "(3 of 5)" in report
    command = json.loads(progress_json(p, 2018))
    item = next(i for i in command["indicators"] if i["code"] == "cp_adoption")
    assert (item["numerator"], item["denominator"], item["value"]) == (3, 5, 60.0)


def test_drill_downs_list_only_the_territory(places, manager_client):
    kon_tum_side(places)
    other_side(places)
    p = territory_plan("K/2", places["62"], cp_adoption=15)
    manager_client.cookies["django_language"] = "en"
    html = manager_client.get(reverse("indicators:indicator_detail", args=["cp_adoption"]),
                              {"plan": p.pk, "year": 2018}).content.decode()
    def listed(code):  # as a word: a CSRF token may hold the same letters
        return re.search(rf"\b{code}\b", html) is not None

    assert listed("K1") and listed("K3") and not listed("Q1") and not listed("N1")
    html = manager_client.get(reverse("indicators:indicator_detail", args=["establishments_assisted"]),
                              {"plan": p.pk, "year": 2018}).content.decode()
    assert not listed("Q1") and not listed("N1")


def _queries(client, plan):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("indicators:dashboard"), {"plan": plan.pk, "year": 2018}).status_code == 200
    return len(ctx.captured_queries)


def test_the_dashboard_of_a_plan_with_a_territory_runs_a_constant_number_of_queries(places, manager_client):
    small = territory_plan("S/1", places["62"], cp_adoption=15)
    kon_tum_side(places)
    count = _queries(manager_client, small)
    large = territory_plan("L/1", places["62"], cp_adoption=15)
    for i in range(15):
        e = d.est(f"M{i}", place=places["615"] if i % 2 else places["Q-1"])
        d.measure(e, 2016)
        d.report(e, 2015, 100, electricity=500)
        d.assist(e, 2017)
        d.attend(d.person("technical_staff", e), d.event(2017, "training_course"))
    assert _queries(manager_client, large) == count


def test_the_official_2018_adoption_card_names_the_reports_seven_enterprises(official_data, manager_client):
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    manager_client.cookies["django_language"] = "en"
    response = manager_client.get(reverse("indicators:dashboard"), {"plan": plan.pk, "year": 2018})
    r = response.context["dash"].get("cp_adoption")
    assert (r.status, r.registered, r.reported, r.reported_beside.value) == ("not_assessable", 7, None, 7)
    html = " ".join(response.content.decode().split())
    assert ("Among the 7 registered establishments. Not assessable: the registry of 2018 is not confirmed "
            "complete. The report names 7 enterprises pursuing CP (2018).") in html
    # The national strategy covers Kon Tum: the same figures show there, judged against its own targets.
    national = ActionPlan.objects.get(decision_number="1419/QĐ-TTg")
    dissemination = engine.establishments_disseminated(national, 2018)
    assert (dissemination.value, dissemination.target.low, dissemination.target.deadline_year) == (70, 90, 2020)
    assert engine.cp_adoption(national, 2018).reported_beside.value == 7
    command = json.loads(progress_json(national, 2018))
    item = next(i for i in command["indicators"] if i["code"] == "establishments_disseminated")
    assert item["deadline"] == 2020
    assert item["reported"] == {"value": 70.0, "unit": "%", "year": 2018,
                                "document": item["reported"]["document"]}
    assert item["reported"]["document"].startswith("Kết quả thực hiện Chiến lược sản xuất sạch hơn")
    assert item["coverage"] == {"registered": 7, "confirmed": False}
    adoption_item = next(i for i in command["indicators"] if i["code"] == "cp_adoption")
    assert adoption_item["reported"]["value"] == 7.0 and adoption_item["reported"]["unit"] == "enterprises"
    # The export carries it in a column of its own.
    rows = list(csv.DictReader(io.StringIO(manager_client.get(reverse("indicators:dashboard_export", args=["csv"]),
                                                              {"plan": plan.pk, "year": 2018})
                                           .content.decode("utf-8-sig"))))
    beside = next(row for row in rows if row["code"] == "cp_adoption")["Also published (another unit)"]
    assert beside.startswith("7 enterprises (2018): Results of the implementation of the Cleaner Production")
    # The drill-down quotes the report's list of the seven.
    drill = manager_client.get(reverse("indicators:indicator_detail", args=["cp_adoption"]),
                               {"plan": plan.pk, "year": 2018}).content.decode()
    assert "Ya Chim Rubber Latex Processing Plant" in drill and "Thien Vuong Construction" in drill
    # Printed: the paragraph and a numbered note with the report's list of the seven.
    report = manager_client.get(reverse("indicators:dashboard_report"), {"plan": plan.pk, "year": 2018})
    text = " ".join(report.content.decode().split())
    assert "names 7 enterprises for 2018" in text
    assert "Enterprises pursuing cleaner production process were Kon Tum Tapioca Starch Company Limited" in text
