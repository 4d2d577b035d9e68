"""Decisions of dataio.importers that mutation testing (scripts/mutation.py) found unguarded.

Three promises of the import preview, checked for every kind of file:
- every error is shown at once: an error in one row does not hide the errors of the rows after it;
- a row in error is not counted among the rows "to create" or "to update";
- a record is updated only when the file changes it, and then it is written.
Plus the report-specific rules (rows of one report, lines, large changes) and the plan's own bookkeeping.
"""
from datetime import date
from decimal import Decimal

import pytest

from dataio import importers
from dataio.services import import_file
from dataio.tests.conftest import csv_bytes
from establishments.models import AssistanceRecord, CPMeasure, Establishment
from indicators.models import AnnualReport, ResourceLine, ResourceType
from training.models import Attendance, Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db

REPORT_HEAD = ["establishment_code", "year", "product", "product_unit", "output", "resource", "quantity"]
MEASURE_HEAD = ["establishment_code", "title", "category", "status", "year", "investment_vnd"]
ASSIST_HEAD = ["establishment_code", "date", "kind", "description", "amount_vnd"]
ATTEND_HEAD = ["event_code", "event_title", "event_kind", "event_start", "person_name", "person_category",
               "organisation", "establishment_code", "gender", "completed"]
HEAD_HEAD = ["year", "category", "headcount"]
NOTHING = {"created": 0, "updated": 0, "unchanged": 0}


def run(kind, rows, dry_run=False, **kw):
    return import_file(kind=kind, file_name="f.csv", data=csv_bytes(rows), dry_run=dry_run, **kw)


def where(result):
    """[(row, column)] of the errors, in the order the preview lists them."""
    return [(e.row, e.column) for e in result.errors]


def counts(created=0, updated=0, unchanged=0):
    return {"created": created, "updated": updated, "unchanged": unchanged}


def null_message(model, field):
    return str(model._meta.get_field(field).error_messages["null"])


def blank_message(model, field):
    return str(model._meta.get_field(field).error_messages["blank"])


# --- Establishments -----------------------------------------------------------------------------------

EST_HEAD = ["code", "name", "legal_form", "status", "closed_year", "established_year", "employees"]


def test_establishments_every_error_is_shown_and_rows_in_error_are_not_counted():
    rows = [EST_HEAD,
            ["KT-0301", "A", "", "active", "", "", "5"],          # fine: to create
            ["KT-0301", "A again", "", "active", "", "", "5"],    # repeats row 2
            ["KT-0302", "B", "", "closed", "2001", "2005", ""],   # closed before it was set up (rule)
            ["KT-0303", "", "", "active", "", "", ""],            # name blank (model)
            ["KT-0304", "D", "", "active", "", "", "-1"]]         # negative (model)
    result = run("establishments", rows, dry_run=True)
    assert where(result) == [(3, "code"), (4, "closed_year"), (5, "name"), (6, "employees")]
    assert result.counts == counts(created=1)


def test_establishment_with_an_empty_legal_form_cell_is_written_with_no_legal_form():
    # An empty cell of a text field that cannot be null is stored as "" (not None, which the database refuses).
    result = run("establishments", [EST_HEAD, ["KT-0310", "Cơ sở", "", "active", "", "", ""]])
    assert result.ok and result.written, result.errors
    assert Establishment.objects.get(code="KT-0310").legal_form == ""


def test_errors_without_a_column_in_the_file_come_first_in_their_row():
    # The closing-year rule speaks about "closed_year", a column this file does not have; it is listed
    # before the errors of the file's own columns, even the first one.
    Establishment.objects.create(code="KT-0320", name="Đã đóng", status="closed", closed_year=2010)
    result = run("establishments", [["baseline_year", "code", "name", "established_year"],
                                    ["1980", "KT-0320", "Đã đóng", "2012"]], dry_run=True)
    assert where(result) == [(2, "closed_year"), (2, "baseline_year")]


# --- CP measures --------------------------------------------------------------------------------------

def test_measures_every_error_is_shown_and_rows_in_error_are_not_counted(est):
    rows = [MEASURE_HEAD,
            ["KT-0001", "Biogas", "by_product", "implemented", "2015", ""],        # fine
            ["KT-0001", "Biogas", "by_product", "implemented", "2016", ""],        # same title again
            ["KT-0001", "Đèn", "good_housekeeping", "", "1980", ""],              # year out of range (model)
            ["KT-0001", "Nồi hơi", "equipment_modification", "", "abc", ""],      # unreadable year
            ["KT-0002", "Vốn", "good_housekeeping", "", "", "-5"]]                # negative investment
    result = run("measures", rows, dry_run=True)
    assert where(result) == [(3, "title"), (4, "year"), (5, "year"), (6, "investment_vnd")]
    assert result.counts == counts(created=1)


def test_measure_with_an_empty_category_cell_is_blank():
    # An empty cell of a text field without default reads as "" and gets the "blank" message.
    Establishment.objects.create(code="KT-0330", name="M")
    result = run("measures", [MEASURE_HEAD, ["KT-0330", "Không nhóm", "", "", "", ""]], dry_run=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "category", blank_message(CPMeasure, "category"))]


def test_measure_empty_status_keeps_the_default_and_the_columns_after_it(est):
    result = run("measures", [MEASURE_HEAD, ["KT-0001", "Quản lý nội vi", "good_housekeeping", "", "2015",
                                             "2.000.000"]])
    assert result.ok, result.errors
    m = CPMeasure.objects.get()
    assert (m.status, m.year, m.investment_vnd) == ("planned", 2015, 2000000)


def test_measure_updated_only_when_the_file_changes_it(est):
    rows = [MEASURE_HEAD, ["KT-0001", "Biogas", "by_product", "planned", "2015", ""]]
    assert run("measures", rows).counts == counts(created=1)
    again = run("measures", rows)
    assert again.counts == counts(unchanged=1) and again.details == []
    assert CPMeasure.objects.get().version == 1  # an unchanged row writes nothing
    rows[1][3] = "implemented"
    changed = run("measures", rows)
    assert changed.counts == counts(updated=1)
    m = CPMeasure.objects.get()
    assert (m.status, m.version) == ("implemented", 2)


# --- Assistance ---------------------------------------------------------------------------------------

def test_assistance_every_error_is_shown_and_rows_in_error_are_not_counted(est):
    a, _b = est
    for _ in range(2):
        AssistanceRecord.objects.create(establishment=a, year=2014, kind="survey")
    rows = [ASSIST_HEAD,
            ["KT-0001", "2016", "survey", "", ""],           # fine
            ["KT-0001", "2016", "survey", "", ""],           # repeats row 2
            ["KT-0001", "2014", "survey", "", ""],           # two such records in the portal already
            ["KT-0001", "2017", "cp_plan", "", "-3"],        # negative amount (model)
            ["KT-0001", "2017", "funding", "", "abc"],       # unreadable amount
            ["KT-0002", "2018", "training", "", "-1"]]       # negative again
    result = run("assistance", rows, dry_run=True)
    assert where(result) == [(3, "date"), (4, "date"), (5, "amount_vnd"), (6, "amount_vnd"), (7, "amount_vnd")]
    assert result.counts == counts(created=1)


# --- Attendance ---------------------------------------------------------------------------------------

def attend_row(code="HT-1", title="Hội thảo", start="20/09/2016", person="Nguyễn Văn A", category="gov_staff",
               organisation="Sở CT", est="", gender="", completed="", kind="workshop"):
    return [code, title, kind, start, person, category, organisation, est, gender, completed]


def test_attendance_every_error_is_shown_and_rows_in_error_are_not_counted(est):
    rows = [ATTEND_HEAD,
            attend_row(person="A"),                                   # fine
            attend_row(person="A"),                                   # the same attendance again
            attend_row(code="HT-2", person="B", completed="perhaps"),  # unreadable yes/no
            attend_row(code="HT-3", title="", person="C"),             # event without title (model)
            attend_row(code="HT-4", person="")]                        # no person
    result = run("attendance", rows, dry_run=True)
    assert where(result) == [(3, "person_name"), (4, "completed"), (5, "event_title"), (6, "person_name")]
    assert result.counts == counts(created=1)


def test_attendance_of_an_event_or_person_in_error_is_not_counted(est):
    rows = [ATTEND_HEAD,
            attend_row(code="HT-1", start="01/01/1985", person="A"),        # event before 1990
            attend_row(code="HT-1", start="01/01/1985", person="B"),        # the same event again: no new error
            attend_row(code="HT-2", person="T", category="technical_staff"),  # technical staff without establishment
            attend_row(code="HT-3", person="T", category="technical_staff"),  # the same person again
            attend_row(code="HT-5", kind="bogus", person="D"),               # unknown event kind
            attend_row(code="HT-6", person="E", gender="xyz")]               # unknown gender
    result = run("attendance", rows, dry_run=True)
    assert where(result) == [(2, "event_start"), (4, "establishment_code"), (6, "event_kind"), (7, "gender")]
    assert result.counts == NOTHING


def test_attendance_rows_of_one_event_must_agree_whatever_the_order_of_the_values(est):
    rows = [ATTEND_HEAD, attend_row(title="Hội thảo B", person="A"), attend_row(title="Hội thảo A", person="B")]
    result = run("attendance", rows, dry_run=True)
    assert where(result) == [(3, "event_title")]
    assert result.counts == counts(created=1)


def test_attendance_the_same_date_written_two_ways_agrees(est):
    rows = [ATTEND_HEAD, attend_row(start="20/09/2016", person="A"), attend_row(start="2016-09-20", person="B")]
    result = run("attendance", rows, dry_run=True)
    assert result.ok, result.errors
    assert result.counts == counts(created=2)


def test_attendance_event_without_start_date_is_refused_with_the_model_message(est):
    result = run("attendance", [ATTEND_HEAD, attend_row(start="", person="A")], dry_run=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "event_start", null_message(Event, "start_date"))]


@pytest.mark.parametrize("start, new_start", [
    ("21/09/2016", date(2016, 9, 21)),   # now a one-day event: it ends on its start date
    ("19/09/2016", date(2016, 9, 19)),   # starts a day earlier, still ends on the 21st
])
def test_attendance_new_start_date_not_after_the_events_end_is_accepted(est, start, new_start):
    Event.objects.create(code="HT-1", title="Hội thảo", kind="workshop", start_date=date(2016, 9, 20),
                         end_date=date(2016, 9, 21))
    result = run("attendance", [ATTEND_HEAD, attend_row(start=start, person="A")])
    assert result.ok, result.errors
    assert Event.objects.get().start_date == new_start


def test_attendance_event_ending_before_its_start_is_not_counted(est):
    Event.objects.create(code="HT-1", title="Hội thảo", kind="workshop", start_date=date(2016, 9, 20),
                         end_date=date(2016, 9, 21))
    result = run("attendance", [ATTEND_HEAD, attend_row(start="25/09/2016", person="A")], dry_run=True)
    assert where(result) == [(2, "event_start")]
    assert result.counts == NOTHING


def test_attendance_ambiguous_person_at_a_known_event_is_an_error_on_its_first_row(est):
    Event.objects.create(code="HT-1", title="Hội thảo", kind="workshop", start_date=date(2016, 9, 20))
    for _ in range(2):
        Person.objects.create(name="Nguyễn Văn A", category="gov_staff", organisation="Sở CT")
    rows = [ATTEND_HEAD, attend_row(person="Nguyễn Văn A"), attend_row(code="HT-2", person="Nguyễn Văn A")]
    result = run("attendance", rows, dry_run=True)
    assert where(result) == [(2, "person_name")]
    assert result.counts == NOTHING


def test_attendance_updates_people_and_counts_a_changed_event_as_an_update(est):
    rows = [ATTEND_HEAD, attend_row(person="A", category="gov_staff")]
    assert run("attendance", rows).counts == counts(created=1)
    rows[1] = attend_row(person="A", category="cp_staff")          # the person's category changes
    assert run("attendance", rows).counts == counts(updated=1)
    assert Person.objects.get().category == "cp_staff"
    rows[1] = attend_row(title="Hội thảo SXSH", person="A", category="cp_staff")  # only the event changes
    assert run("attendance", rows).counts == counts(updated=1)
    assert Event.objects.get().title == "Hội thảo SXSH"
    assert Attendance.objects.count() == 1


# --- Staff headcounts ---------------------------------------------------------------------------------

def test_headcounts_every_error_is_shown_and_rows_in_error_are_not_counted():
    rows = [HEAD_HEAD,
            ["2018", "gov_staff", "45"],      # fine
            ["2018", "", "10"],               # no category
            ["2018", "gov_staff", "46"],      # repeats row 2's year and category
            ["2017", "cp_staff", "-1"],       # negative (model)
            ["2016", "cp_staff", "abc"],      # unreadable
            ["2015", "cp_staff", "-2"]]
    result = run("headcounts", rows, dry_run=True)
    assert where(result) == [(3, "category"), (4, "category"), (5, "headcount"), (6, "headcount"), (7, "headcount")]
    assert result.counts == counts(created=1)


def test_headcounts_updated_only_when_changed():
    rows = [HEAD_HEAD, ["2018", "gov_staff", "45"], ["2018", "cp_staff", "6"]]
    assert run("headcounts", rows).counts == counts(created=2)
    again = run("headcounts", rows)
    assert again.written and again.counts == counts(unchanged=2)
    rows[2][2] = "7"
    assert run("headcounts", rows).counts == counts(updated=1, unchanged=1)
    assert StaffHeadcount.objects.get(category="cp_staff").headcount == 7
    assert StaffHeadcount.objects.get(category="cp_staff").history.count() == 2  # created, updated once


# --- Annual reports: the rows of one report ---------------------------------------------------------

def rep(year="2016", output="100", resource="electricity", quantity="5", code="KT-0001", product="P", unit="t"):
    return [code, year, product, unit, output, resource, quantity]


def test_report_head_must_agree_whichever_row_differs_and_by_how_much(est):
    rows = [REPORT_HEAD, rep(output="100"), rep(output="90", resource="water")]   # the second row is smaller
    result = run("reports", rows, dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(3, "output")]
    assert "row 2" in result.errors[0].message
    assert result.counts == NOTHING  # neither row of the report in error is counted


def test_report_errors_are_reported_at_its_first_row(est):
    rows = [REPORT_HEAD, rep(output="0"), rep(output="0", resource="water")]
    result = run("reports", rows, dry_run=True)
    assert where(result) == [(2, "output")]


def test_report_with_an_unreadable_output_has_one_error(est):
    rows = [REPORT_HEAD, rep(output="100"), rep(output="abc", resource="water")]
    result = run("reports", rows, dry_run=True)
    assert where(result) == [(3, "output")]
    single = run("reports", [REPORT_HEAD, rep(output="abc")], dry_run=True)
    assert where(single) == [(2, "output")]


def test_report_with_an_empty_output_is_refused_with_the_model_message(est):
    result = run("reports", [REPORT_HEAD, rep(output="")], dry_run=True)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "output", null_message(AnnualReport, "output"))]


def test_report_lines_every_error_is_shown(est):
    rows = [REPORT_HEAD,
            rep(resource="electricity", quantity="abc"),  # unreadable quantity
            rep(resource="", quantity="5"),               # a quantity without resource
            rep(resource="coal", quantity="-1"),          # negative (model)
            rep(resource="diesel", quantity="1"),
            rep(resource="diesel", quantity="2"),         # the same resource twice
            rep(resource="water", quantity="-2")]
    result = run("reports", rows, dry_run=True)
    assert where(result) == [(2, "quantity"), (3, "resource"), (4, "quantity"), (6, "resource"), (7, "quantity")]


def test_report_without_lines_is_created_then_unchanged(est):
    rows = [REPORT_HEAD, rep(resource="", quantity="")]
    first = run("reports", rows)
    assert first.ok and first.counts == counts(created=1), first.errors
    assert AnnualReport.objects.get().lines.count() == 0
    assert run("reports", rows).counts == counts(unchanged=1)


def test_report_new_line_in_an_unchanged_report_is_created_and_written(est):
    run("reports", [REPORT_HEAD, rep(resource="electricity", quantity="5")])
    result = run("reports", [REPORT_HEAD, rep(resource="electricity", quantity="5"),
                             rep(resource="water", quantity="7")])
    assert result.counts == counts(created=1, unchanged=1)
    assert result.details == [(str(ResourceLine._meta.verbose_name_plural), 1, 0)]
    assert sorted(ResourceLine.objects.values_list("resource_type__code", "quantity")) == [
        ("electricity", Decimal("5")), ("water", Decimal("7"))]


def test_report_changed_line_quantity_is_written(est):
    run("reports", [REPORT_HEAD, rep(resource="electricity", quantity="5")])
    result = run("reports", [REPORT_HEAD, rep(resource="electricity", quantity="6")])
    assert result.counts == counts(updated=1)
    assert ResourceLine.objects.get().quantity == Decimal("6")
    assert AnnualReport.objects.get().version == 1  # the report itself did not change


def test_plan_details_list_only_the_records_written(est):
    created = run("reports", [REPORT_HEAD, rep(resource="electricity"), rep(resource="water")])
    reports_name = str(AnnualReport._meta.verbose_name_plural)
    lines_name = str(ResourceLine._meta.verbose_name_plural)
    assert created.details == [(reports_name, 1, 0), (lines_name, 2, 0)]
    updated = run("reports", [REPORT_HEAD, rep(output="110", resource="electricity")])
    assert updated.details == [(reports_name, 0, 1)]


# --- Annual reports: large changes of specific consumption --------------------------------------------

def _previous_report(est_obj, year=2015, electricity="10000"):
    report = AnnualReport.objects.create(establishment=est_obj, year=year, product="P", product_unit="t",
                                         output=Decimal("100"))
    ResourceLine.objects.create(report=report, resource_type=ResourceType.objects.get(code="electricity"),
                                quantity=Decimal(electricity))
    return report


def test_a_new_report_with_a_large_change_is_flagged_at_its_first_row(est):
    a, _b = est
    _previous_report(a)  # 2015: 10,000 kWh per 100 t
    # 2016: 20,000 kWh per 100 t: energy per tonne doubles (+100 %)
    rows = [REPORT_HEAD, rep(resource="electricity", quantity="20000"), rep(resource="water", quantity="50")]
    result = run("reports", rows, dry_run=True)
    assert result.ok, result.errors
    assert [(c.row, c.year, c.previous_year, c.category) for c in result.large_changes] == [(2, 2016, 2015, "energy")]
    assert result.large_changes[0].change == Decimal("100")


def test_an_updated_report_with_a_large_change_is_flagged(est):
    a, _b = est
    _previous_report(a, 2015)
    _previous_report(a, 2016)
    result = run("reports", [REPORT_HEAD, rep(year="2016", resource="electricity", quantity="30000")],
                 dry_run=True)
    assert result.counts == counts(updated=1)
    assert [(c.row, c.year, c.category) for c in result.large_changes] == [(2, 2016, "energy")]


def test_an_unchanged_report_is_not_checked_again(est):
    a, _b = est
    _previous_report(a, 2014, "10000")
    _previous_report(a, 2015, "20000")  # already +100 % against 2014, accepted before
    rows = [REPORT_HEAD, rep(year="2015", resource="electricity", quantity="20000"),   # unchanged
            rep(year="2016", resource="electricity", quantity="21000")]               # new, +5 %
    result = run("reports", rows, dry_run=True)
    assert result.counts == counts(created=1, unchanged=1)
    assert result.large_changes == []


# --- The plan's own bookkeeping -------------------------------------------------------------------------

def test_a_file_with_header_errors_reads_no_rows():
    result = run("headcounts", [["year", "headcount"], ["2018", "45"]], dry_run=True)
    assert where(result) == [(1, "category")]
    assert result.rows == 0


def test_header_only_file_error_points_at_row_two():
    result = run("headcounts", [HEAD_HEAD], dry_run=True)
    assert where(result) == [(2, "")]


def test_progress_is_reported_from_zero_to_the_number_of_rows():
    calls = []
    run("headcounts", [HEAD_HEAD, ["2018", "gov_staff", "45"], ["2018", "cp_staff", "6"]], dry_run=True,
        progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls == [("check", 0, 2), ("check", 2, 2)]


def test_errors_stop_being_collected_at_the_limit(monkeypatch):
    monkeypatch.setattr(importers, "MAX_ISSUES", 300)
    rows = [HEAD_HEAD] + [["2018", "no_such_category", "1"]] * 305
    result = run("headcounts", rows, dry_run=True)
    assert len(result.errors) == 300
    assert result.errors[-1].row == 301
