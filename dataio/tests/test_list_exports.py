"""Exports of the list pages: the page's filters, every page of rows, the import's columns, a clean round trip."""
import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dataio.kinds import KINDS
from dataio.services import import_file
from dataio.tests.test_roundtrip import snapshot
from establishments.models import AssistanceRecord, CPMeasure, Establishment, Place, Sector
from indicators.models import AnnualReport, ResourceLine, ResourceType
from training.models import Attendance, Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db

FORMULA_NAME = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture
def lists_data(db):
    """A small hand-written dataset: each filter below keeps some rows and drops others."""
    tapioca = Sector.objects.get(code="tapioca_starch")
    bricks = Sector.objects.get(code="construction_materials")
    place = Place.objects.get(code="612")
    a = Establishment.objects.create(code="KT-0001", name="Nhà máy tinh bột sắn Đắk Tô", sector=tapioca,
                                     place=place, cp_potential=True, employees=120, technical_staff=8,
                                     established_year=2008, legal_form="joint_stock")
    b = Establishment.objects.create(code="KT-0002", name="Hợp tác xã Vạn Thành", sector=bricks)
    Establishment.objects.create(code="KT-0003", name=FORMULA_NAME, sector=tapioca, established_year=2005,
                                 status="closed", closed_year=2017)

    CPMeasure.objects.create(establishment=a, title="Thu hồi biogas", category="by_product",
                             status="implemented", year=2015, investment_vnd=1_500_000_000)
    CPMeasure.objects.create(establishment=a, title="Thay bóng đèn", category="good_housekeeping",
                             status="planned", year=2016)
    CPMeasure.objects.create(establishment=b, title="Che phủ kho", category="good_housekeeping",
                             status="implemented", year=2016)

    AssistanceRecord.objects.create(establishment=a, date=date(2016, 6, 15), year=2016, kind="survey",
                                    description="Khảo sát hiện trạng", amount_vnd=25_000_000)
    AssistanceRecord.objects.create(establishment=b, year=2017, kind="cp_plan")
    AssistanceRecord.objects.create(establishment=b, date=date(2016, 9, 1), year=2016, kind="technical_advice",
                                    description="-Tư vấn kỹ thuật")

    electricity = ResourceType.objects.get(code="electricity")
    water = ResourceType.objects.get(code="water")
    r16 = AnnualReport.objects.create(establishment=a, year=2016, product="Tinh bột sắn", product_unit="t",
                                      output=Decimal("12500.5"))
    ResourceLine.objects.create(report=r16, resource_type=electricity, quantity=Decimal("2350000.25"))
    ResourceLine.objects.create(report=r16, resource_type=water, quantity=Decimal("250000"))
    r17 = AnnualReport.objects.create(establishment=a, year=2017, product="Tinh bột sắn", product_unit="t",
                                      output=Decimal("13000"))
    ResourceLine.objects.create(report=r17, resource_type=electricity, quantity=Decimal("2300000"))
    AnnualReport.objects.create(establishment=b, year=2016, product="Gạch", product_unit="viên",
                                output=Decimal("1000000"))

    workshop = Event.objects.create(code="HT-2016-01", title="Hội thảo SXSH", kind="workshop",
                                    start_date=date(2016, 9, 20))
    course = Event.objects.create(code="DT-2017-01", title="Tập huấn SXSH", kind="training_course",
                                  start_date=date(2017, 3, 10))
    Event.objects.create(code="TT-2017-01", title="Phóng sự SXSH", kind="media", start_date=date(2017, 5, 1))
    hong = Person.objects.create(name="Nguyễn Thị Hồng", category="technical_staff",
                                 organisation="Nhà máy Đắk Tô", establishment=a, gender="female")
    nam = Person.objects.create(name="Trần Văn Nam", category="gov_staff", organisation="Sở Công Thương",
                                gender="male")
    Attendance.objects.create(event=workshop, person=hong, completed=True)
    Attendance.objects.create(event=workshop, person=nam, completed=False)
    Attendance.objects.create(event=course, person=hong, completed=True)

    StaffHeadcount.objects.create(year=2018, category="gov_staff", headcount=45)
    StaffHeadcount.objects.create(year=2018, category="cp_staff", headcount=6)
    StaffHeadcount.objects.create(year=2017, category="gov_staff", headcount=40)


# (page, its URL arguments, filters, import kind, columns of the natural key, the rows the filters keep)
CASES = {
    "establishments": ("establishments:list", [], {"sector": "tapioca_starch"}, "establishments", ["code"],
                       [("KT-0001",), ("KT-0003",)]),
    "establishments-search": ("establishments:list", [], {"q": "vạn thành"}, "establishments", ["code"],
                              [("KT-0002",)]),
    "measures": ("establishments:measure_list", [], {"status": "implemented"}, "measures",
                 ["establishment_code", "title"], [("KT-0001", "Thu hồi biogas"), ("KT-0002", "Che phủ kho")]),
    "assistance": ("establishments:assistance_list", [], {"year": "2016"}, "assistance",
                   ["establishment_code", "date", "kind"],
                   [("KT-0001", "2016-06-15", "survey"), ("KT-0002", "2016-09-01", "technical_advice")]),
    "reports": ("indicators:report_list", [], {"year": "2016"}, "reports",
                ["establishment_code", "year", "resource"],
                [("KT-0001", "2016", "electricity"), ("KT-0001", "2016", "water"), ("KT-0002", "2016", "")]),
    "reports-sector": ("indicators:report_list", [], {"sector": "tapioca_starch"}, "reports",
                       ["establishment_code", "year", "resource"],
                       [("KT-0001", "2016", "electricity"), ("KT-0001", "2016", "water"),
                        ("KT-0001", "2017", "electricity")]),
    "events": ("training:event_list", [], {"kind": "workshop"}, "attendance", ["event_code", "person_name"],
               [("HT-2016-01", "Nguyễn Thị Hồng"), ("HT-2016-01", "Trần Văn Nam")]),
    "events-year": ("training:event_list", [], {"year": "2017"}, "attendance", ["event_code", "person_name"],
                    [("DT-2017-01", "Nguyễn Thị Hồng")]),
    "event-attendance": ("training:event_detail", ["DT-2017-01"], {}, "attendance", ["event_code", "person_name"],
                         [("DT-2017-01", "Nguyễn Thị Hồng")]),
    "headcounts": ("training:headcount_list", [], {}, "headcounts", ["year", "category"],
                   [("2017", "gov_staff"), ("2018", "cp_staff"), ("2018", "gov_staff")]),
}


def read_csv(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    return rows[0], rows[1:]


def read_xlsx(content):
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    return rows[0], rows[1:]


def as_text(value):
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def download(client, case, fmt, **extra):
    url_name, args, params, *_ = CASES[case]
    return client.get(reverse(url_name, args=args), {**params, **extra, "export": fmt})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(CASES))
def test_export_holds_exactly_the_filtered_rows_in_the_import_columns(entry_client, lists_data, case, fmt):
    _, _, _, kind, key_columns, expected = CASES[case]
    response = download(entry_client, case, fmt)
    assert response.status_code == 200
    header, rows = (read_csv if fmt == "csv" else read_xlsx)(response.getvalue())
    assert header == [c.key for c in KINDS[kind].columns]
    positions = [header.index(c) for c in key_columns]
    assert sorted(tuple(as_text(row[i]) for i in positions) for row in rows) == sorted(expected)


def test_export_holds_every_page_not_only_the_current_one(entry_client, db):
    Establishment.objects.bulk_create([Establishment(code=f"KT-{i:04d}", name=f"Cơ sở {i}") for i in range(60)])
    page = entry_client.get(reverse("establishments:list"), {"page": 2})
    assert len(page.context["page_obj"].object_list) < 60
    response = entry_client.get(reverse("establishments:list"), {"page": 2, "sort": "-name", "export": "csv"})
    _, rows = read_csv(response.getvalue())
    assert sorted(row[0] for row in rows) == [f"KT-{i:04d}" for i in range(60)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(CASES))
def test_exported_file_reimports_unchanged(entry_client, lists_data, case, fmt):
    kind = CASES[case][3]
    before = snapshot()
    response = download(entry_client, case, fmt)
    result = import_file(kind=kind, file_name=f"export.{fmt}", data=response.getvalue())
    assert result.ok, result.errors
    assert result.all_unchanged, result.counts
    assert result.counts["unchanged"] == len(CASES[case][5])
    assert snapshot() == before


def test_file_name_and_type(entry_client, lists_data):
    today = timezone.localdate().strftime("%Y-%m-%d")
    response = download(entry_client, "establishments", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="establishments-{today}.csv"'
    response = download(entry_client, "events", "xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="events-{today}.xlsx"'
    response = download(entry_client, "event-attendance", "csv")
    assert response["Content-Disposition"] == f'attachment; filename="attendance-DT-2017-01-{today}.csv"'


def test_unknown_format_is_not_found(entry_client, lists_data):
    assert download(entry_client, "measures", "pdf").status_code == 404


@pytest.mark.parametrize("case", ["establishments", "measures", "assistance", "reports", "events",
                                  "event-attendance", "headcounts"])
def test_manager_may_export_and_anonymous_is_sent_to_sign_in(client, manager_client, lists_data, case):
    assert download(manager_client, case, "csv").status_code == 200
    assert download(manager_client, case, "xlsx").status_code == 200
    manager_client.logout()
    response = download(client, case, "csv")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_formula_in_a_name_is_neutralised(entry_client, lists_data):
    _, rows = read_csv(download(entry_client, "establishments", "csv").getvalue())
    names = {row[0]: row[1] for row in rows}
    assert names["KT-0003"] == "'" + FORMULA_NAME
    _, rows = read_xlsx(download(entry_client, "establishments", "xlsx").getvalue())
    assert {row[0]: row[1] for row in rows}["KT-0003"] == "'" + FORMULA_NAME
    _, rows = read_csv(download(entry_client, "assistance", "csv").getvalue())
    assert "'-Tư vấn kỹ thuật" in [row[5] for row in rows]


@pytest.mark.parametrize("url_name, args", [
    ("establishments:list", []), ("establishments:measure_list", []), ("establishments:assistance_list", []),
    ("indicators:report_list", []), ("training:event_list", []), ("training:event_detail", ["HT-2016-01"]),
    ("training:headcount_list", []),
])
def test_every_list_page_links_its_exports_with_its_filters(manager_client, lists_data, url_name, args):
    url = reverse(url_name, args=args)
    query = {} if args else {"q": "KT", "page": "1", "sort": "code"}
    html = manager_client.get(url, query).content.decode()
    for fmt in ("csv", "xlsx"):
        expected = f'href="?q=KT&amp;export={fmt}"' if query else f'href="?export={fmt}"'
        assert expected in html


def test_vietnamese_page_labels_its_exports(client, manager_user, lists_data):
    client.force_login(manager_user)
    html = client.get(reverse("establishments:list")).content.decode()
    assert "Xuất CSV" in html and "Xuất XLSX" in html


# --- a fixed number of queries, whatever the number of rows -----------------------------

def _establishments(n):
    Establishment.objects.bulk_create([Establishment(code=f"KT-{i:04d}", name=f"Cơ sở {i}",
                                                     sector=Sector.objects.get(code="other")) for i in range(n)])
    return list(Establishment.objects.order_by("code"))


def _make_measures(n):
    e = _establishments(1)[0]
    CPMeasure.objects.bulk_create([CPMeasure(establishment=e, title=f"Giải pháp {i}", category="by_product",
                                             status="implemented", year=2015) for i in range(n)])


def _make_assistance(n):
    e = _establishments(1)[0]
    AssistanceRecord.objects.bulk_create([
        AssistanceRecord(establishment=e, date=date(2016, 1, 1) + timedelta(days=i), year=2016, kind="survey")
        for i in range(n)])


def _make_reports(n):
    electricity = ResourceType.objects.get(code="electricity")
    reports = AnnualReport.objects.bulk_create([
        AnnualReport(establishment=e, year=2016, product="x", product_unit="t", output=1) for e in _establishments(n)])
    ResourceLine.objects.bulk_create([ResourceLine(report=r, resource_type=electricity, quantity=5) for r in reports])


def _make_attendance(n, one_event=False):
    """n people; each at an event of their own, or all at E-000."""
    events = Event.objects.bulk_create([Event(code=f"E-{i:03d}", title=f"Sự kiện {i}", kind="workshop",
                                              start_date=date(2016, 1, 1)) for i in range(n)])
    e = _establishments(1)[0]
    people = Person.objects.bulk_create([Person(name=f"Người {i}", category="technical_staff", organisation="x",
                                                establishment=e) for i in range(n)])
    Attendance.objects.bulk_create([Attendance(event=events[0 if one_event else i], person=p)
                                    for i, p in enumerate(people)])


def _make_headcounts(n):
    StaffHeadcount.objects.bulk_create([StaffHeadcount(year=2000 + i, category="gov_staff", headcount=i + 1)
                                        for i in range(n)])


SIZED = {
    "establishments:list": lambda n: _establishments(n),
    "establishments:measure_list": _make_measures,
    "establishments:assistance_list": _make_assistance,
    "indicators:report_list": _make_reports,
    "training:event_list": _make_attendance,
    "training:event_detail": lambda n: _make_attendance(n, one_event=True),
    "training:headcount_list": _make_headcounts,
}


def _export_queries(client, url_name, n, fmt):
    for model in (Attendance, Person, Event, ResourceLine, AnnualReport, AssistanceRecord, CPMeasure,
                  Establishment, StaffHeadcount):
        model.objects.all().delete()
    SIZED[url_name](n)
    url = reverse(url_name, args=["E-000"] if url_name == "training:event_detail" else [])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"export": fmt})
        assert response.status_code == 200
        _, rows = (read_csv if fmt == "csv" else read_xlsx)(response.getvalue())  # the rows are read here
    assert len(rows) == n
    return len(ctx.captured_queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("url_name", list(SIZED))
def test_export_queries_do_not_grow_with_the_rows(entry_client, url_name, fmt):
    assert _export_queries(entry_client, url_name, 5, fmt) == _export_queries(entry_client, url_name, 50, fmt)
