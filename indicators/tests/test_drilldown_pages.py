"""Drill-down tables a page at a time: count, page links that keep the plan, year and language, search,
and a bounded number of queries whatever the number of rows (`indicators.drilldowns`)."""
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import drilldowns, engine, registry

from . import dashboard_data as d

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(drilldowns, "PER_PAGE", 3)


@pytest.fixture
def seven(db):
    """POT(2018) = PG-0 … PG-6, the even ones applying CP; a person of each trained in 2017."""
    plan = d.plan("PG/1", cp_adoption=15, technical_staff_trained=25, gov_staff_disseminated=50)
    course = d.event(2017, kind="training_course")
    establishments = []
    for i in range(7):
        e = d.est(f"PG-{i}", technical=2)
        if i % 2 == 0:
            d.measure(e, 2016, title=f"Giải pháp {i}")
        d.attend(d.person("technical_staff", e), course)
        establishments.append(e)
    for _ in range(4):
        d.attend(d.person("gov_staff"), course)
    d.headcount(2018, "gov_staff", 8)
    return plan, establishments


def _drill(client, plan, code, **params):
    url = reverse("indicators:indicator_detail", args=[code])
    response = client.get(url, {"plan": plan.pk, "year": 2018, **params})
    assert response.status_code == 200
    return response


def _codes(html):
    return re.findall(r'<td><a href="/establishments/(PG-\d)/">', html)


def test_rows_are_shown_a_page_at_a_time_with_the_total(manager_client, seven, small_pages):
    plan, _establishments = seven
    first = _drill(manager_client, plan, "cp_adoption").content.decode()
    assert _codes(first) == ["PG-0", "PG-1", "PG-2"]
    assert "7 bản ghi" in first and "trang 1 / 3" in first
    seen = []
    for page in (1, 2, 3):
        seen += _codes(_drill(manager_client, plan, "cp_adoption", page=page).content.decode())
    assert seen == [f"PG-{i}" for i in range(7)]  # every row once, in code order
    last = _drill(manager_client, plan, "cp_adoption", page=3).content.decode()
    assert "Giải pháp 6" in last and "Giải pháp 0" not in last  # a page reads only its rows' measures


def test_page_links_keep_plan_year_language_and_search(manager_client, seven, small_pages):
    plan, _establishments = seven
    html = _drill(manager_client, plan, "establishments_disseminated", lang="en", q="PG").content.decode()
    link = re.search(r'href="\?([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
    assert dict(pair.split("=") for pair in link.split("&")) == {
        "plan": str(plan.pk), "year": "2018", "lang": "en", "q": "PG", "page": "2"}


def test_garbage_page_numbers_give_a_page(manager_client, seven, small_pages):
    plan, _establishments = seven
    assert _codes(_drill(manager_client, plan, "cp_adoption", page="x").content.decode()) == ["PG-0", "PG-1", "PG-2"]
    assert _codes(_drill(manager_client, plan, "cp_adoption", page="99").content.decode()) == ["PG-6"]


def test_search_by_establishment_code_or_name_and_by_person_name(manager_client, seven):
    plan, establishments = seven
    html = _drill(manager_client, plan, "cp_adoption", q="pg-4").content.decode()
    assert _codes(html) == ["PG-4"] and "1 bản ghi" in html
    assert 'value="pg-4"' in html  # the search box keeps what was typed
    person = establishments[5].people.get()
    people = _drill(manager_client, plan, "technical_staff_trained", q=person.name).content.decode()
    assert f'href="{reverse("training:person_detail", args=[person.pk])}"' in people
    assert people.count('href="/training/people/') == 1
    nothing = _drill(manager_client, plan, "establishments_assisted", q="no such thing").content.decode()
    assert "Không có kết quả phù hợp" in nothing or "Nothing matches this search." in nothing


def test_two_tables_on_one_page_have_their_own_page_numbers(manager_client, seven, small_pages):
    plan, _establishments = seven
    html = _drill(manager_client, plan, "technical_staff_trained", staff_page=3).content.decode()
    staff = html[html.index('id="staff-title"'):]
    assert _codes(staff) == ["PG-6"]  # the denominator's third page
    assert html[:html.index('id="staff-title"')].count('href="/training/people/') == 3  # people: first page


@pytest.mark.parametrize("code", ["cp_adoption", "energy_intensity_reduction", "establishments_disseminated",
                                  "gov_staff_disseminated", "technical_staff_trained", "establishments_assisted"])
def test_a_page_costs_a_bounded_number_of_queries(manager_client, seven, small_pages, code,
                                                  django_assert_max_num_queries):
    plan, establishments = seven
    for e in establishments:
        d.report(e, 2015, 100, electricity=500)
        d.report(e, 2018, 100, electricity=450)
        d.assist(e, 2017)
    _drill(manager_client, plan, code)  # the dashboard computed and cached
    with django_assert_max_num_queries(16):  # session, user, plan, fingerprint and a few per table
        html = _drill(manager_client, plan, code, page=2).content.decode()
    assert "trang 2 /" in html


def test_reduction_rows_of_a_page_are_those_of_the_reference_engine(seven):
    # The page reads the two reports each adopter compares from the database (`figures.compared_reports`); the
    # reference engine reads every report into Python. Same rows and reasons, including the cases with no value.
    plan, establishments = seven  # adopters: PG-0, 2, 4, 6 (baseline 2015)
    for i, e in enumerate(establishments):
        if i != 6:                                                          # PG-6: no baseline report
            d.report(e, 2015, 100, electricity=500 + i)
        lines = {"cassava_roots": 40} if i == 4 else {"electricity": 450}  # PG-4: no energy line in 2018
        d.report(e, 2018, 100, unit="kg" if i == 2 else "t", **lines)       # PG-2: another product unit
    snap = engine.load_snapshot(plan)
    expected = {row[0]["id"]: (*row[1:], engine.reduction_reason(snap, row))
                for row in engine.reduction_rows(snap, 2018, "energy")}
    indicator = registry.registry.get("energy_intensity_reduction")
    for year in (2018,):
        (_name, _param, query, hydrate), = drilldowns.KINDS[registry.REDUCTION](indicator, None, plan, year, "")
        got = {row[0].pk: row[1:] for row in hydrate(list(query))}
        assert got.keys() == expected.keys() and len(got) == 4
        assert len({row[5] for row in expected.values()}) == 4  # counted, and three reasons why not
        for pk, row in got.items():
            assert row[1:3] == expected[pk][1:3] and row[5] == expected[pk][5], (pk, row, expected[pk])
            assert all((a is None and b is None) or a == pytest.approx(b) for a, b in
                       zip((row[0], *row[3:5]), (expected[pk][0], *expected[pk][3:5])))



def _reductions_csv(client, plan, language):
    import csv
    import io

    client.cookies["django_language"] = language
    response = client.get(reverse("indicators:reductions_csv", args=["energy_intensity_reduction"]),
                          {"plan": plan.pk, "year": 2018})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="energy_intensity_reduction-{plan.pk}-2018.csv"'
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_reductions_csv_has_every_row_of_the_drill_down_with_its_reason(manager_client, seven, monkeypatch):
    # Hand-computed: every adopter's baseline is 2015 (measure 2016). PG-0: 500 → 450 kWh (1.8 → 1.62 GJ) for
    # 100 t, 0.018 → 0.0162 GJ/t, a 10 % reduction. PG-2: another product unit in 2018; PG-4: no energy line in
    # 2018; PG-6: no baseline report. The odd ones do not apply CP: not listed.
    plan, establishments = seven
    for i, e in enumerate(establishments):
        if i != 6:
            d.report(e, 2015, 100, electricity=500)
        lines = {"cassava_roots": 40} if i == 4 else {"electricity": 450}
        d.report(e, 2018, 100, unit="kg" if i == 2 else "t", **lines)
    monkeypatch.setattr(drilldowns, "CSV_CHUNK", 3)           # two chunks: the rows stay in code order
    rows = _reductions_csv(manager_client, plan, "en")
    assert rows[0] == ["Code", "Establishment", "Baseline year", "Baseline use (GJ per unit)", "Compared year",
                       "Current use (GJ per unit)", "Reduction (%)", "Counted"]
    by_code = {row[0]: row for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == ["PG-0", "PG-2", "PG-4", "PG-6"]
    assert by_code["PG-0"][2:] == ["2015", "0.018", "2018", "0.0162", "10", "counted"]
    assert by_code["PG-2"][2:] == ["2015", "", "2018", "", "", "report unit differs from the baseline's: not counted"]
    assert by_code["PG-4"][-1] == "no output or no line of this kind in a report: not counted"
    assert by_code["PG-6"][-1] == "no report for the baseline year 2015: not counted"
    vietnamese = _reductions_csv(manager_client, plan, "vi")
    assert vietnamese[0][0] == "Mã" and vietnamese[1][-1] == "được tính"
    # Queries do not grow with the rows (up to CSV_CHUNK of them): the ids, then per chunk its establishments
    # and the two reports each compares.
    monkeypatch.setattr(drilldowns, "CSV_CHUNK", 1000)
    with CaptureQueriesContext(connection) as four:
        _reductions_csv(manager_client, plan, "en")
    for i in range(7, 20):
        d.measure(d.est(f"PG-{i}"), 2016)
    _reductions_csv(manager_client, plan, "en")               # the figures of the new data computed
    with CaptureQueriesContext(connection) as seventeen:
        assert len(_reductions_csv(manager_client, plan, "en")) == 1 + 17
    assert len(seventeen.captured_queries) == len(four.captured_queries)


def test_the_reductions_csv_is_linked_from_its_drill_down(manager_client, seven):
    plan, _establishments = seven
    html = _drill(manager_client, plan, "energy_intensity_reduction").content.decode()
    assert (f'href="{reverse("indicators:reductions_csv", args=["energy_intensity_reduction"])}?plan={plan.pk}'
            f'&amp;year=2018"') in html
    assert manager_client.get(reverse("indicators:reductions_csv", args=["cp_adoption"])).status_code == 404


@pytest.mark.parametrize("code, table, expected", [
    ("gov_staff_disseminated", "people", 4),          # the 4 government staff trained in 2017
    ("technical_staff_trained", "people", 7),         # one technical staff of each of PG-0 … PG-6
    ("technical_staff_trained", "staff", 7),          # POT(2018)
    ("cp_adoption", "adoption", 7),
    ("energy_intensity_reduction", "reduction", 4),   # A(2018): the even ones
])
def test_a_whole_table_is_counted_by_the_figures_not_by_the_database(seven, manager_client, code, table, expected):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan, _establishments = seven
    _drill(manager_client, plan, code)  # the dashboard computed and cached
    with CaptureQueriesContext(connection) as ctx:
        tables = {t.name: t for t in _drill(manager_client, plan, code).context["tables"]}
    assert tables[table].page.paginator.count == expected
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == (1 if code == "cp_adoption" else 0)  # only the table of those outside POT(Y) counts
    # A search counts the rows it finds in the database.
    with CaptureQueriesContext(connection) as ctx:
        searched = {t.name: t for t in _drill(manager_client, plan, code, q="PG-0").context["tables"]}
    found = searched[table].page.paginator.count
    assert found == (0 if code == "gov_staff_disseminated" else 1)  # PG-0, or its technical staff; no civil servant
    assert len([q for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]) >= 1
