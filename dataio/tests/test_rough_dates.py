"""The `measures` and `assistance` kinds with years known only roughly (DOMAIN.md, "Dates known only roughly"):
the columns `year_earliest`/`year_latest` and `date_earliest`/`date_latest`, empty when the year or date is
exact; files written before them import as they did."""
from datetime import date

import pytest
from django.utils import translation

from dataio.exporters import csv_bytes, export_rows
from dataio.services import import_file
from establishments.models import AssistanceRecord, CPMeasure

pytestmark = pytest.mark.django_db


def run(kind, *rows):
    data = "\r\n".join(",".join(row) for row in rows).encode()
    with translation.override("en"):
        return import_file(kind=kind, file_name="f.csv", data=data)


def years(title):
    m = CPMeasure.objects.get(title=title)
    return m.year, m.year_earliest, m.year_latest


MEASURE_HEAD = ["establishment_code", "title", "category", "status", "year", "year_earliest", "year_latest"]
OLD_MEASURE_HEAD = ["establishment_code", "title", "category", "status", "year"]


def test_export_writes_the_range_columns_empty_for_an_exact_year(sample_data):
    frame = export_rows("measures").set_index("title")
    assert list(frame.columns[3:6]) == ["year", "year_earliest", "year_latest"]
    assert tuple(frame.loc["Sấy bã sắn kín", ["year", "year_earliest", "year_latest"]]) == (None, 2016, 2018)
    assert tuple(frame.loc["Màng lọc", ["year", "year_earliest", "year_latest"]]) == (None, None, 2018)
    assert tuple(frame.loc["'=HYPERLINK(\"http://x\")", ["year", "year_earliest", "year_latest"]]) == (2015, None, None)
    assistance = export_rows("assistance")
    assert list(assistance.columns[1:4]) == ["date", "date_earliest", "date_latest"]
    rough = assistance[assistance["kind"] == "process_evaluation"].iloc[0]
    assert (rough["date"], rough["date_earliest"], rough["date_latest"]) == (None, None, 2018)
    exact = assistance[assistance["kind"] == "survey"].iloc[0]
    assert (exact["date"], exact["date_earliest"], exact["date_latest"]) == (date(2016, 6, 15), None, None)


def test_the_rough_records_round_trip_into_an_empty_table(sample_data):
    frames = {kind: csv_bytes(export_rows(kind)) for kind in ("measures", "assistance")}
    CPMeasure.objects.all().delete()
    AssistanceRecord.objects.all().delete()
    for kind, data in frames.items():
        result = import_file(kind=kind, file_name="x.csv", data=data)
        assert result.ok and result.counts["created"] > 0, result.errors
    assert years("Sấy bã sắn kín") == (None, 2016, 2018)
    assert years("Màng lọc") == (None, None, 2018)
    rough = AssistanceRecord.objects.get(kind="process_evaluation")
    assert (rough.year, rough.date, rough.date_earliest, rough.date_latest) == (None, None, None, 2018)
    assert AssistanceRecord.objects.get(kind="survey").date == date(2016, 6, 15)


def test_a_measure_range_is_read_and_an_equal_range_is_the_exact_year(est):
    result = run("measures", MEASURE_HEAD,
                 ["KT-0001", "A", "by_product", "implemented", "", "2016", "2018"],
                 ["KT-0001", "B", "by_product", "implemented", "", "", "2018"],
                 ["KT-0001", "C", "by_product", "implemented", "", "2017", "2017"],
                 ["KT-0001", "D", "by_product", "implemented", "2015", "", ""])
    assert result.ok, result.errors
    assert [years(t) for t in "ABCD"] == [(None, 2016, 2018), (None, None, 2018), (2017, None, None),
                                          (2015, None, None)]


def test_a_measure_with_a_year_and_a_range_or_a_reversed_range_is_refused(est):
    result = run("measures", MEASURE_HEAD,
                 ["KT-0001", "A", "by_product", "implemented", "2017", "2016", "2018"],
                 ["KT-0001", "B", "by_product", "implemented", "", "2019", "2016"])
    assert not result.ok
    messages = {(e.row, e.message) for e in result.errors}
    assert (2, "Give either the exact year or a range of years, not both.") in messages
    assert (3, "The earliest year is after the latest year.") in messages
    assert not CPMeasure.objects.exists()


def test_a_file_without_the_range_columns_means_what_it_meant(est):
    a, _b = est
    CPMeasure.objects.create(establishment=a, title="A", category="by_product", status="implemented",
                             year_earliest=2016, year_latest=2018)
    CPMeasure.objects.create(establishment=a, title="B", category="by_product", status="implemented",
                             year_earliest=2016, year_latest=2018)
    result = run("measures", OLD_MEASURE_HEAD,
                 ["KT-0001", "A", "by_product", "implemented", "2017"],   # the exact year: the range goes
                 ["KT-0001", "B", "by_product", "implemented", ""],       # no year: the range is kept
                 ["KT-0001", "C", "by_product", "implemented", "2014"])
    assert result.ok, result.errors
    assert (years("A"), years("B"), years("C")) == ((2017, None, None), (None, 2016, 2018), (2014, None, None))


def test_assistance_by_range_is_matched_on_its_range(est):
    head = ["establishment_code", "date", "date_earliest", "date_latest", "kind", "description"]
    rows = [["KT-0001", "", "", "2018", "process_evaluation", "by 2018"],
            ["KT-0001", "", "2016", "2018", "process_evaluation", "2016–2018"],
            ["KT-0001", "", "2017", "2017", "survey", "2017 exactly"],
            ["KT-0001", "15/06/2016", "", "", "survey", "a day"]]
    result = run("assistance", head, *rows)
    assert result.ok and result.counts["created"] == 4, result.errors
    got = set(AssistanceRecord.objects.values_list("year", "date", "date_earliest", "date_latest", "description"))
    assert got == {(None, None, None, 2018, "by 2018"), (None, None, 2016, 2018, "2016–2018"),
                   (2017, None, None, None, "2017 exactly"), (2016, date(2016, 6, 15), None, None, "a day")}
    again = run("assistance", head, *rows)
    assert again.ok and again.all_unchanged, again.counts
    # The year-only record matches a file that writes it the old way.
    old = run("assistance", ["establishment_code", "date", "kind", "description"],
              ["KT-0001", "2017", "survey", "2017 exactly"])
    assert old.ok and old.all_unchanged


def test_assistance_with_a_date_and_a_range_or_no_date_at_all_is_refused(est):
    head = ["establishment_code", "date", "date_earliest", "date_latest", "kind"]
    result = run("assistance", head, ["KT-0001", "15/06/2016", "2015", "2016", "survey"],
                 ["KT-0001", "", "", "", "survey"])
    assert not result.ok
    messages = {(e.row, e.column, e.message) for e in result.errors}
    assert (2, "date", "Give either the date (or the year) or a range of years, not both.") in messages
    assert any(r == 3 and c == "date" for r, c, _m in messages)  # nothing names the record's date
    assert not AssistanceRecord.objects.exists()
