"""The import service against a real database: results, messages, all or nothing."""
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from dataio.services import import_file
from dataio.tests.conftest import csv_bytes, xlsx_bytes
from establishments.models import AssistanceRecord, CPMeasure, Establishment
from indicators.models import AnnualReport, ResourceLine
from training.models import Attendance, Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db

REPORT_HEAD = ["establishment_code", "year", "product", "product_unit", "output", "resource", "quantity"]
EST_HEAD = ["code", "name", "place", "sector", "cp_potential", "employees", "status", "closed_year",
            "established_year"]


def run(kind, rows, name="f.csv", dry_run=False, **kw):
    data = xlsx_bytes(rows) if name.endswith(".xlsx") else csv_bytes(rows, **kw)
    return import_file(kind=kind, file_name=name, data=data, dry_run=dry_run)


def errors_at(result):
    return {(e.row, e.column) for e in result.errors}


def test_establishments_created_then_unchanged_then_updated():
    rows = [EST_HEAD,
            ["KT-0101", "Nhà máy Đắk Tô", "612", "Chế biến tinh bột sắn", "có", "1.200", "active", "", "2008"],
            ["KT-0102", "HTX Vạn Thành", "Huyện Kon Rẫy", "other", "no", "", "closed", "2018", "2010"]]
    first = run("establishments", rows)
    assert first.ok, first.errors
    assert first.counts == {"created": 2, "updated": 0, "unchanged": 0}
    e = Establishment.objects.get(code="KT-0101")
    assert (e.name, e.place.code, e.sector.code, e.cp_potential, e.employees) == (
        "Nhà máy Đắk Tô", "612", "tapioca_starch", True, 1200)
    assert Establishment.objects.get(code="KT-0102").place.code == "614"
    again = run("establishments", rows)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2} and again.all_unchanged
    assert Establishment.objects.get(code="KT-0101").version == 1
    rows[1][5] = "1300"
    changed = run("establishments", rows)
    assert changed.counts == {"created": 0, "updated": 1, "unchanged": 1}
    e.refresh_from_db()
    assert (e.employees, e.version) == (1300, 2)
    assert e.history.count() == 2  # created + updated, both by the import


def test_model_messages_with_row_and_column():
    rows = [EST_HEAD,
            ["KT-0101", "", "612", "other", "yes", "5", "active", "", ""],        # name blank
            ["KT-0102", "B", "999", "other", "yes", "5", "active", "", ""],       # unknown place
            ["KT-0103", "C", "612", "other", "yes", "5", "closed", "", ""],       # closed needs a year
            ["KT-0104", "D", "612", "other", "yes", "5", "active", "", "1980"],   # year out of range
            ["KT-0105", "E", "612", "other", "yes", "-3", "active", "", ""],      # negative
            ["KT-0106", "F", "612", "other", "yes", "5", "closed", "2001", "2005"],  # closed before set up
            ["KT-0107", "G", "612", "other", "perhaps", "5", "active", "", ""],   # bad yes/no
            ["KT-0101", "H", "612", "other", "yes", "5", "active", "", ""]]       # duplicate code
    result = run("establishments", rows)
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(2, "name")] == "This field cannot be blank."
    assert messages[(3, "place")].startswith("Unknown place")
    assert messages[(4, "closed_year")] == "A closed establishment needs its closing year."
    assert messages[(5, "established_year")] == "The year must be between 1990 and 2100."
    assert "negative" in messages[(6, "employees")] or "greater than or equal" in messages[(6, "employees")]
    assert messages[(7, "closed_year")] == "The closing year cannot be before the year the establishment was set up."
    assert messages[(8, "cp_potential")].startswith("Write yes or no")
    assert "row 2" in messages[(9, "code")]
    assert Establishment.objects.count() == 0
    assert next(e for e in result.errors if e.row == 3).value == "999"


def test_messages_in_vietnamese():
    rows = [EST_HEAD, ["KT-0101", "", "612", "other", "yes", "5", "active", "", ""]]
    with translation.override("vi"):
        result = run("establishments", rows)
        expected = str(Establishment._meta.get_field("name").error_messages["blank"])
    assert result.errors[0].message == expected
    assert expected.startswith("Trường này")  # Django's own Vietnamese message, as the admin shows it


def test_one_bad_row_among_good_ones_writes_nothing(est):
    rows = [REPORT_HEAD] + [["KT-0001", str(2000 + i), "Tinh bột", "t", "100", "electricity", "5"]
                            for i in range(10)]
    rows.append(["KT-0001", "2011", "Tinh bột", "t", "0", "water", "5"])  # output must be > 0
    result = run("reports", rows)
    assert errors_at(result) == {(12, "output")}
    assert result.errors[0].message == "The output must be greater than zero."
    assert AnnualReport.objects.count() == 0 and ResourceLine.objects.count() == 0


def test_reports_rows_form_one_report_and_must_agree(est):
    rows = [REPORT_HEAD,
            ["KT-0001", "2016", "Tinh bột sắn", "t", "12.500,5", "Điện", "2.350.000"],
            ["KT-0001", "2016", "Tinh bột sắn", "t", "12500,5", "water", "250000"],
            ["KT-0001", "2017", "Tinh bột sắn", "t", "13000", "coal", "12,5"]]
    result = run("reports", rows, sep=";")
    assert result.ok, result.errors
    report = AnnualReport.objects.get(establishment__code="KT-0001", year=2016)
    assert report.output == Decimal("12500.5")
    assert sorted(report.lines.values_list("resource_type__code", "quantity")) == [
        ("electricity", Decimal("2350000")), ("water", Decimal("250000"))]
    assert AnnualReport.objects.get(year=2017).lines.get().quantity == Decimal("12.5")
    rows[2][4] = "12600"
    rows.append(["KT-0001", "2016", "Tinh bột sắn", "t", "12500,5", "water", "1"])
    rows.append(["KT-9999", "2016", "Tinh bột sắn", "t", "1", "water", "1"])
    rows.append(["KT-0001", "2018", "Tinh bột sắn", "t", "1", "uranium", "1"])
    bad = run("reports", rows, sep=";")
    assert errors_at(bad) == {(3, "output"), (5, "resource"), (6, "establishment_code"), (7, "resource")}
    assert "This resource already has a line in this report." in next(e.message for e in bad.errors if e.row == 5)


def test_report_update_and_lines_kept(est):
    run("reports", [REPORT_HEAD, ["KT-0001", "2016", "P", "t", "100", "electricity", "5"],
                    ["KT-0001", "2016", "P", "t", "100", "water", "7"]])
    result = run("reports", [REPORT_HEAD, ["KT-0001", "2016", "P", "t", "110", "electricity", "5"]])
    assert result.counts == {"created": 0, "updated": 1, "unchanged": 0}
    report = AnnualReport.objects.get()
    assert report.output == 110 and report.version == 2
    assert report.lines.count() == 2  # the water line absent from the file is kept


def test_measures_and_vietnamese_headers(est):
    rows = [["Mã cơ sở", "Tên giải pháp", "Nhóm giải pháp", "Tình trạng", "Năm", "Vốn đầu tư (đồng)"],
            ["KT-0001", "Thu hồi biogas", "Sản xuất sản phẩm phụ hữu ích", "Implemented", "2015", "1.500.000.000"],
            ["KT-0001", "Quản lý nội vi", "good_housekeeping", "", "", ""]]
    with translation.override("vi"):
        rows[1][2] = str(CPMeasure._meta.get_field("category").choices[6][1])
    result = run("measures", rows)
    assert result.ok, result.errors
    m = CPMeasure.objects.get(title="Thu hồi biogas")
    assert (m.category, m.status, m.year, m.investment_vnd) == ("by_product", "implemented", 2015, 1500000000)
    assert CPMeasure.objects.get(title="Quản lý nội vi").status == "planned"


def test_assistance_with_both_date_forms_and_year_only(est):
    head = ["establishment_code", "date", "kind", "description", "amount_vnd"]
    rows = [head, ["KT-0001", "15/06/2016", "survey", "Khảo sát", "25.000.000"],
            ["KT-0001", "2016-07-01", "Process evaluation", "", ""],
            ["KT-0002", "2017", "cp_plan", "", ""]]
    result = run("assistance", rows, name="a.xlsx")
    assert result.ok, result.errors
    assert sorted(AssistanceRecord.objects.values_list("year", "date", "kind")) == [
        (2016, date(2016, 6, 15), "survey"), (2016, date(2016, 7, 1), "process_evaluation"),
        (2017, None, "cp_plan")]
    assert run("assistance", rows, name="a.xlsx").all_unchanged


def test_attendance_creates_events_and_people_once(est):
    head = ["event_code", "event_title", "event_kind", "event_start", "person_name", "person_category",
            "organisation", "establishment_code", "gender", "completed"]
    rows = [head,
            ["HT-1", "Hội thảo", "workshop", "20/09/2016", "Nguyễn Thị Hồng", "technical_staff", "Nhà máy",
             "KT-0001", "female", "có"],
            ["HT-1", "Hội thảo", "workshop", "20/09/2016", "Trần Văn Nam", "Government staff", "Sở CT", "", "",
             "không"],
            ["TH-2", "Tập huấn", "training_course", "2017-03-01", "Nguyễn Thị Hồng", "technical_staff", "Nhà máy",
             "KT-0001", "female", ""]]
    result = run("attendance", rows)
    assert result.ok, result.errors
    assert (Event.objects.count(), Person.objects.count(), Attendance.objects.count()) == (2, 2, 3)
    assert Attendance.objects.get(person__name="Trần Văn Nam").completed is False
    assert run("attendance", rows).all_unchanged
    rows.append(["HT-1", "Hội thảo khác", "workshop", "20/09/2016", "Lê Văn C", "technical_staff", "", "", "", ""])
    bad = run("attendance", rows)
    assert errors_at(bad) == {(5, "event_title"), (5, "establishment_code")}
    assert Person.objects.count() == 2


def test_headcounts_and_missing_or_extra_columns():
    result = run("headcounts", [["year", "category", "headcount", "note"], ["2018", "gov_staff", "45"]])
    assert result.ok and result.warnings[0].column == "note"
    assert StaffHeadcount.objects.get().headcount == 45
    missing = run("headcounts", [["year", "headcount"], ["2018", "45"]])
    assert errors_at(missing) == {(1, "category")}
    duplicated = run("headcounts", [["year", "Năm", "category", "headcount"], ["2018", "2018", "gov_staff", "4"]])
    assert errors_at(duplicated) == {(1, "Năm")}


def test_dry_run_writes_nothing():
    result = run("headcounts", [["year", "category", "headcount"], ["2018", "gov_staff", "45"]], dry_run=True)
    assert result.ok and result.counts["created"] == 1 and not result.written
    assert StaffHeadcount.objects.count() == 0
    assert result.record.dry_run and result.record.created == 1


def test_header_only_file_is_an_error():
    result = run("headcounts", [["year", "category", "headcount"]])
    assert not result.ok and "no data rows" in result.errors[0].message


def test_size_cap(settings):
    settings.IMPORT_MAX_BYTES = 100
    result = run("headcounts", [["year", "category", "headcount"]] + [["2018", "gov_staff", "45"]] * 20)
    assert "too large" in result.errors[0].message and StaffHeadcount.objects.count() == 0


def _report_rows(n):
    rows = [REPORT_HEAD]
    resources = ["electricity", "water", "coal", "diesel", "firewood"]
    for i in range(n):
        rows.append([f"KT-{i // 10:04d}", str(2000 + (i // 5) % 2), "P", "t", "100", resources[i % 5], str(i)])
    return rows


@pytest.mark.parametrize("kind", ["reports"])
def test_query_count_does_not_grow_with_rows(kind, django_assert_max_num_queries):
    Establishment.objects.bulk_create([Establishment(code=f"KT-{i:04d}", name=f"E{i}") for i in range(50)])
    counts = []
    for n in (50, 500):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        AnnualReport.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            result = run(kind, _report_rows(n))
        assert result.ok and result.counts["created"] == n
        counts.append(len(ctx.captured_queries))
    # Reads are a fixed handful of queries; only the bulk inserts grow, one per batch
    # (SQLite limits a batch to 999 parameters): 10 times the rows, a few more queries.
    assert counts[1] - counts[0] <= 10, counts
    assert counts[1] < 500 // 20, counts
    with django_assert_max_num_queries(counts[1]):
        assert run(kind, _report_rows(500)).all_unchanged


def test_event_rules_of_the_database_are_checked_before_writing(est):
    Event.objects.create(code="HT-1", title="Hội thảo", kind="workshop", start_date=date(2016, 9, 20),
                         end_date=date(2016, 9, 21))
    head = ["event_code", "event_title", "event_kind", "event_start", "person_name", "person_category"]
    later = run("attendance", [head, ["HT-1", "Hội thảo", "workshop", "25/09/2016", "A", "gov_staff"]])
    assert [(e.row, e.column, e.message) for e in later.errors] == [
        (2, "event_start", "The end date cannot be before the start date.")]
    early = run("attendance", [head, ["HT-2", "Cũ", "workshop", "01/01/1985", "A", "gov_staff"]])
    assert early.errors[0].message == "The date must be between 1990 and 2100."
    assert Person.objects.count() == 0


@pytest.mark.parametrize("start, accepted", [
    ("31/12/1989", False), ("01/01/1990", True), ("31/12/2100", True), ("01/01/2101", False)])
def test_event_start_year_range_at_its_ends(est, start, accepted):
    head = ["event_code", "event_title", "event_kind", "event_start", "person_name", "person_category"]
    result = run("attendance", [head, ["HT-9", "Hội thảo", "workshop", start, "A", "gov_staff"]], dry_run=True)
    assert result.ok is accepted, result.errors
    if not accepted:
        assert [(e.column, e.message) for e in result.errors] == [
            ("event_start", "The date must be between 1990 and 2100.")]


def test_closing_in_the_founding_year_is_accepted_as_the_model_accepts_it():
    rows = [EST_HEAD, ["KT-0201", "Cơ sở đóng cửa", "612", "other", "no", "", "closed", "2010", "2010"],
            ["KT-0202", "Cơ sở đóng sớm", "612", "other", "no", "", "closed", "2009", "2010"]]
    result = run("establishments", rows, dry_run=True)
    assert errors_at(result) == {(3, "closed_year")}


def test_absent_optional_column_leaves_values_alone(est):
    a, _b = est
    result = run("establishments", [["code", "name"], ["KT-0001", "Tên mới"]])
    assert result.ok and result.counts["updated"] == 1
    a.refresh_from_db()
    # sector, cp_potential and technical_staff were not in the file: kept.
    assert (a.name, a.sector.code, a.cp_potential, a.technical_staff) == ("Tên mới", "tapioca_starch", True, 5)


def test_ambiguous_matches_in_the_database_are_errors(est):
    a, _b = est
    for _ in range(2):
        AssistanceRecord.objects.create(establishment=a, year=2016, kind="survey")
        Person.objects.create(name="Nguyễn Văn A", category="gov_staff", organisation="Sở CT")
    assistance = run("assistance", [["establishment_code", "date", "kind"], ["KT-0001", "2016", "survey"]])
    assert errors_at(assistance) == {(2, "date")} and "Several assistance records" in assistance.errors[0].message
    head = ["event_code", "event_title", "event_kind", "event_start", "person_name", "person_category",
            "organisation"]
    attendance = run("attendance", [head, ["HT-1", "H", "workshop", "2016-01-05", "Nguyễn Văn A", "gov_staff",
                                           "Sở CT"]])
    assert errors_at(attendance) == {(2, "person_name")}
    assert Event.objects.count() == 0


def test_ambiguous_number_is_an_error_unless_the_file_settles_it(est):
    rows = [REPORT_HEAD, ["KT-0001", "2016", "P", "t", "1,100", "water", "5"]]
    assert errors_at(run("reports", rows, sep=";")) == {(2, "output")}
    rows.append(["KT-0001", "2017", "P", "t", "12,5", "water", "1.250,75"])  # the comma is the decimal mark
    result = run("reports", rows, sep=";")
    assert result.ok, result.errors
    assert AnnualReport.objects.get(year=2016).output == Decimal("1.1")


def test_blank_rows_keep_spreadsheet_row_numbers():
    rows = [["year", "category", "headcount"], ["2018", "gov_staff", "45"], ["", "", ""], ["2018", "bad", "1"]]
    result = run("headcounts", rows, name="h.xlsx")
    assert errors_at(result) == {(4, "category")}


def test_establishment_code_in_another_case_is_accepted(est):
    result = run("measures", [["establishment_code", "title", "category"], ["kt-0001", "Quản lý nội vi",
                                                                           "good_housekeeping"]])
    assert result.ok, result.errors
    assert CPMeasure.objects.get().establishment.code == "KT-0001"


def test_a_file_with_the_former_resource_header_still_imports(est):
    """The template's header became "Loại tiêu hao" (WORDING.md); files made from the earlier template
    ("Loại tài nguyên") import the same."""
    rows = [["Mã cơ sở", "Năm", "Sản phẩm", "Đơn vị sản phẩm", "Sản lượng", "Loại tài nguyên", "Lượng tiêu thụ"],
            ["KT-0001", "2016", "Tinh bột", "t", "100", "electricity", "1000"]]
    result = run("reports", rows, dry_run=True)
    assert result.ok, [(e.row, e.column, e.message) for e in result.errors]


def test_a_nul_character_in_any_cell_is_refused_at_its_cell_not_a_server_error():
    # Found by tests/test_properties.py: PostgreSQL refuses NUL in any query, so a code with one broke the
    # preview (the establishments' lookup) and a text with one would have broken the write.
    rows = [["establishment_code", "title", "category"],
            ["KT-\x00001", "Biogas", "by_product"],
            ["KT-0001", "Thu hồi\x00 nhiệt", "by_product"]]
    Establishment.objects.create(code="KT-0001", name="Nhà máy")
    with translation.override("en"):
        result = run("measures", rows)
    assert errors_at(result) == {(2, "establishment_code"), (3, "title")}
    assert {e.message for e in result.errors} == {"Null characters are not allowed."}
    assert CPMeasure.objects.count() == 0
