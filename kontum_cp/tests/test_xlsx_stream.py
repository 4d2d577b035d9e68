"""The streamed XLSX writer (`kontum_cp.spreadsheets.xlsx_chunks`): what openpyxl reads back, cell by cell, is
what openpyxl's own write-only writer (the portal's former XLSX writer) gave."""
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from kontum_cp.spreadsheets import column_letters, xlsx_chunks

HEADER = ["code", "name", "amount", "date", "done", "note"]
ROWS = [
    ["KT-0001", "Nhà máy tinh bột sắn Đắk Tô", Decimal("12500.5"), date(2016, 6, 15), True, None],
    ["KT-0002", "'=HYPERLINK(\"http://x\")", Decimal("250000"), None, False, "a < b & c > \"d\" 'e' ]]>"],
    ["0012", "", 7, datetime(2020, 1, 2, 12, 30), None, "  two\nlines\tand tab  "],
    ["KT-0003", "x", Decimal("1234567890.12345678"), date(2000, 2, 29), None, 1100.5],
    ["KT-0004", "=1+1", Decimal("0.000001"), None, None, -3],
]


def cells(content, read_only):
    """Every sheet's non-empty cells as (sheet, coordinate, value, type, number format, bold)."""
    book = load_workbook(io.BytesIO(content), read_only=read_only)
    out = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if c.value is not None:
                    out.append((sheet.title, c.coordinate, c.value, c.data_type, c.number_format, bool(c.font.b)))
    return out


def openpyxl_xlsx(sheets):
    """The former writer: openpyxl's write-only mode, text cells forced to text, dates DD/MM/YYYY, row 1 bold."""
    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for index, row in enumerate(rows):
            line = []
            for value in row:
                if isinstance(value, Decimal):
                    whole = value == value.to_integral_value()
                    value = int(value) if whole else float(value) if len(value.normalize().as_tuple().digits) <= 15 \
                        else format(value.normalize(), "f")
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"
                elif isinstance(value, str):
                    cell.data_type = "s"
                if index == 0:
                    cell.font = Font(bold=True)
                line.append(cell)
            sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def streamed(sheets, **kw):
    return b"".join(xlsx_chunks(sheets, **kw))


@pytest.mark.parametrize("read_only", [True, False])
def test_values_types_and_formats_are_those_of_the_former_writer(read_only):
    sheets = [("data", [HEADER] + ROWS), ("notes", [["Column", "What"], [], ["code", "=x"]])]
    new = cells(streamed(sheets), read_only)
    assert new == cells(openpyxl_xlsx(sheets), read_only)
    values = {coordinate: (value, kind, fmt) for sheet, coordinate, value, kind, fmt, _ in new if sheet == "data"}
    assert values["C2"] == (12500.5, "n", "General") and values["C3"] == (250000, "n", "General")
    assert values["C5"] == ("1234567890.12345678", "s", "General")  # 18 digits: text, no digit lost
    assert values["D2"] == (datetime(2016, 6, 15), "d", "DD/MM/YYYY")
    assert values["A4"] == ("0012", "s", "General") and values["E2"] == (True, "b", "General")
    assert [bold for sheet, coordinate, *_, bold in new if sheet == "data" and bold] == [True] * len(HEADER)


def test_text_is_never_a_formula():
    content = streamed([("data", [["a"], ["=1+1"], ["@SUM(A1)"], ["+1"]])])
    sheet = load_workbook(io.BytesIO(content)).active
    assert [(c.value, c.data_type) for (c,) in sheet.iter_rows(min_row=2)] == [
        ("=1+1", "s"), ("@SUM(A1)", "s"), ("+1", "s")]
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")


def test_characters_xml_cannot_hold_are_left_out_and_the_rest_kept():
    text = "a\x00b\x01c\x0bd\x0ce\x1ff\ud800g\uffffh"
    kept = "tab\tline\nreturn\r\nend "
    content = streamed([("ti\x07tle", [["x\x02"], [text], [kept], ["<&>\"'"]])])
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["title"]
    assert [c.value for (c,) in book.active.iter_rows()] == ["x", "abcdefgh", kept, "<&>\"'"]


def test_an_empty_sheet_holds_its_header_only():
    sheet = load_workbook(io.BytesIO(streamed([("data", [["a", "b"]])]))).active
    assert sheet.max_row == 1 and [c.value for c in sheet[1]] == ["a", "b"]


def test_sheet_titles_wide_rows_and_a_valid_zip():
    wide = [[f"h{i}" for i in range(30)], list(range(30))]
    content = streamed([("x" * 40, wide), ("notes", [["n"]])])
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert z.testzip() is None
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["x" * 31, "notes"]
    assert list(book.worksheets[0].iter_rows(min_row=2, values_only=True)) == [tuple(range(30))]
    assert [column_letters(i) for i in (0, 25, 26, 29, 701, 702)] == ["A", "Z", "AA", "AD", "ZZ", "AAA"]


def test_the_file_leaves_in_pieces_as_the_rows_are_read():
    read = []

    def rows():
        yield ["n", "text"]
        for i in range(5000):
            read.append(i)
            yield [i, f"row {i}"]

    chunks = xlsx_chunks([("data", rows())], rows_per_chunk=1000)
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04") and len(read) < 5000
    content = first + b"".join(chunks)
    assert len(read) == 5000
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert list(sheet.iter_rows(min_row=5001, values_only=True)) == [(4999, "row 4999")]


def test_the_same_data_give_the_same_file():
    sheets = [("data", [HEADER] + ROWS)]
    assert streamed(sheets) == streamed(sheets)


def test_what_excel_cannot_hold_as_a_number_or_date_is_text_or_left_empty():
    rows = [["a", "b", "c", "d"], [date(1899, 1, 1), float("nan"), Decimal("NaN"), 10**20]]
    sheet = load_workbook(io.BytesIO(streamed([("data", rows)]))).active
    assert [c.value for c in sheet[2]] == ["1899-01-01", None, None, 10**20]
