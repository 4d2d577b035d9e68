import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from dataio.exporters import export_response, export_rows, neutralise, template_response
from establishments.models import CPMeasure

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("text", ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "'=x"])
def test_text_cells_that_could_be_formulas_are_prefixed(text):
    assert neutralise(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert neutralise(-5) == -5
    assert neutralise("Tiết kiệm 5-8 phần trăm") == "Tiết kiệm 5-8 phần trăm"


def test_formula_injection_neutralised_in_csv_and_xlsx(sample_data):
    response = export_response("measures", CPMeasure.objects.all(), "csv", "m.csv")
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff") and response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in body
    response = export_response("measures", CPMeasure.objects.all(), "xlsx", "m.xlsx")
    ws = load_workbook(io.BytesIO(response.getvalue())).active
    titles = [row[1].value for row in ws.iter_rows(min_row=2)]
    cells = [row[1] for row in ws.iter_rows(min_row=2)]
    assert "'=HYPERLINK(\"http://x\")" in titles
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    investments = [row[7].value for row in ws.iter_rows(min_row=2)]
    assert 1500000000 in investments  # numbers stay numbers


def test_export_rows_columns_and_codes(sample_data):
    frame = export_rows("establishments")
    assert list(frame.columns)[:3] == ["code", "name", "legal_form"]
    row = frame[frame["code"] == "KT-0001"].iloc[0]
    assert row["sector"] == "tapioca_starch" and row["cp_potential"] == "yes" and row["place"] == ""
    assert pd.isna(row["employees"]) or row["employees"] is None


def test_template_has_example_and_notes_sheet(db):
    response = template_response("reports", "xlsx", "vi")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["data", "notes"]
    header = [c.value for c in wb["data"][1]]
    assert header[0] == "Mã cơ sở" and wb["data"].max_row == 2
    notes = [row[1] for row in wb["notes"].iter_rows(values_only=True)]
    assert "electricity" in notes and "Loại tiêu hao" in notes
    csv = template_response("reports", "csv", "en").content.decode("utf-8-sig").splitlines()
    assert csv[0].startswith("establishment_code,year,product") and len(csv) == 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_template_imports_as_it_is(db, fmt, language):
    """The example rows of the templates are valid (given the example establishment exists)."""
    from dataio.kinds import KINDS
    from dataio.services import import_file
    from establishments.models import Establishment

    Establishment.objects.create(code="KT-0101", name="Nhà máy tinh bột sắn Đắk Tô")
    for kind in KINDS:
        content = template_response(kind, fmt, language).content
        result = import_file(kind=kind, file_name=f"template.{fmt}", data=content, dry_run=True)
        assert result.ok, (kind, result.errors)
        assert result.rows == 1 and not result.warnings
