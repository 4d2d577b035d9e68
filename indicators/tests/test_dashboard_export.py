"""The dashboard's CSV/XLSX export as a manager opens it in Excel."""
import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from . import dashboard_data as d

pytestmark = pytest.mark.django_db

INJECTION = '=HYPERLINK("http://example.invalid","click")'


@pytest.fixture
def plan(db):
    """3 establishments with CP potential, 1 applying CP: 33.333… %, shown as 33,3 %; target 15 %: achieved.
    Government staff: no headcount, so no value ("No data"). A reported 70 % whose document name is a formula.
    The registry of 2018 is confirmed complete, so the share of POT(2018) is judged."""
    p = d.plan(cp_adoption=15, gov_staff_disseminated=100)
    d.registry_complete(2018)
    first = d.est()
    d.est()
    d.est()
    d.measure(first, 2016)
    d.reported("establishments_disseminated", 2018, 70, document=INJECTION)
    return p


def _get(client, plan, fmt, language="vi"):
    client.cookies["django_language"] = language
    url = reverse("indicators:dashboard_export", args=[fmt])
    return client.get(url, {"plan": plan.pk, "year": 2018})


def _csv(client, plan, language="vi"):
    content = _get(client, plan, "csv", language).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content)))


def _by_code(rows):
    return {row["code"]: row for row in rows}


def test_csv_headers_status_and_source_in_vietnamese_with_codes_beside(manager_client, plan):
    rows = _by_code(_csv(manager_client, plan))
    adoption = rows["cp_adoption"]
    assert adoption["Chỉ tiêu"] == "Cơ sở áp dụng SXSH"
    assert adoption["Giá trị (như trên trang)"] == "33.3"
    assert adoption["Giá trị (đầy đủ)"].startswith("33.33333")
    assert adoption["Đánh giá"] == "Đã đạt" and adoption["status_code"] == "achieved"
    assert adoption["Tính đến năm"] == "2018"
    assert adoption["Công thức"]
    staff = rows["gov_staff_disseminated"]
    assert staff["Đánh giá"] == "Chưa có số liệu" and staff["status_code"] == "no_data"
    assert staff["Giá trị (như trên trang)"] == ""


def test_csv_in_english(manager_client, plan):
    adoption = _by_code(_csv(manager_client, plan, "en"))["cp_adoption"]
    assert adoption["Indicator"] == "Establishments applying CP"
    assert adoption["Status"] == "Achieved" and adoption["Value (as shown)"] == "33.3"


def test_a_formula_in_a_document_name_stays_text(manager_client, plan):
    rows = _by_code(_csv(manager_client, plan))
    assert rows["establishments_disseminated"]["Công bố tại"] == "'" + INJECTION
    sheet = load_workbook(io.BytesIO(_get(manager_client, plan, "xlsx").content)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value.startswith("'") for c in cells)


def test_xlsx_formats_widths_and_frozen_header(manager_client, plan):
    sheet = load_workbook(io.BytesIO(_get(manager_client, plan, "xlsx").content)).active
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Kế hoạch", "Tính đến năm", "Chỉ tiêu", "Giá trị (như trên trang)"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= 30
    rows = {row[header.index("code")].value: row for row in sheet.iter_rows(min_row=2)}
    value = rows["cp_adoption"][3]
    assert value.value == pytest.approx(33.3) and value.number_format == "#,##0.0"
    assert rows["cp_adoption"][1].value == 2018 and rows["cp_adoption"][1].number_format == "0"
    full = rows["cp_adoption"][header.index("Giá trị (đầy đủ)")]
    assert full.value == pytest.approx(100 / 3)
