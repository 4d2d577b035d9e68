"""Helpers: build CSV/XLSX files in memory and a few records to import against."""
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from establishments.models import Establishment, Sector
from indicators.models import AnnualReport, ResourceLine, ResourceType
from training.models import Attendance, Event, Person, StaffHeadcount


@pytest.fixture(autouse=True)
def english():
    """Messages in English unless a test switches language (the portal's default is Vietnamese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def csv_bytes(rows, sep=",", bom=False):
    text = "\r\n".join(sep.join(str(c) for c in row) for row in rows) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(rows):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def est(db):
    """Two establishments to refer to."""
    sector = Sector.objects.get(code="tapioca_starch")
    a = Establishment.objects.create(code="KT-0001", name="Nhà máy tinh bột sắn Đắk Tô", sector=sector,
                                     cp_potential=True, technical_staff=5)
    b = Establishment.objects.create(code="KT-0002", name="Hợp tác xã Vạn Thành", cp_potential=False)
    return a, b


@pytest.fixture
def sample_data(est):
    """One record or more of every kind, for round trips."""
    from establishments.models import AssistanceRecord, CPMeasure

    a, b = est
    report = AnnualReport.objects.create(establishment=a, year=2016, product="Tinh bột sắn", product_unit="t",
                                         output=Decimal("12500.5"))
    ResourceLine.objects.create(report=report, resource_type=ResourceType.objects.get(code="electricity"),
                                quantity=Decimal("2350000.25"))
    ResourceLine.objects.create(report=report, resource_type=ResourceType.objects.get(code="water"),
                                quantity=Decimal("250000"))
    AnnualReport.objects.create(establishment=b, year=2017, product="Gạch", product_unit="viên",
                                output=Decimal("1000000"))
    CPMeasure.objects.create(establishment=a, title="=HYPERLINK(\"http://x\")", category="by_product",
                             status="implemented", year=2015, investment_vnd=1500000000)
    CPMeasure.objects.create(establishment=b, title="Thay bóng đèn tiết kiệm", category="good_housekeeping")
    # Years known only roughly: a range and an open range (by 2018).
    CPMeasure.objects.create(establishment=a, title="Sấy bã sắn kín", category="by_product", status="implemented",
                             year_earliest=2016, year_latest=2018)
    CPMeasure.objects.create(establishment=b, title="Màng lọc", category="onsite_recovery", status="implemented",
                             year_latest=2018)
    AssistanceRecord.objects.create(establishment=b, date_latest=2018, kind="process_evaluation",
                                    description="Đánh giá SXSH")
    AssistanceRecord.objects.create(establishment=a, date=date(2016, 6, 15), year=2016, kind="survey",
                                    description="-Khảo sát hiện trạng", amount_vnd=25000000)
    AssistanceRecord.objects.create(establishment=b, year=2017, kind="cp_plan", description="")
    event = Event.objects.create(code="HT-2016-01", title="Hội thảo SXSH", kind="workshop",
                                 start_date=date(2016, 9, 20))
    p1 = Person.objects.create(name="Nguyễn Thị Hồng", category="technical_staff", organisation="Nhà máy Đắk Tô",
                               establishment=a, gender="female")
    p2 = Person.objects.create(name="Trần Văn Nam", category="gov_staff", organisation="Sở Công Thương")
    Attendance.objects.create(event=event, person=p1, completed=True)
    Attendance.objects.create(event=event, person=p2, completed=False)
    StaffHeadcount.objects.create(year=2018, category="gov_staff", headcount=45)
    StaffHeadcount.objects.create(year=2018, category="cp_staff", headcount=6)
    from establishments.models import RegistryCoverage

    RegistryCoverage.objects.create(year=2017, complete=True, note="Đã rà soát đủ cơ sở")
    RegistryCoverage.objects.create(year=2018, complete=False, note="=chỉ 7 doanh nghiệp")
    return a, b
