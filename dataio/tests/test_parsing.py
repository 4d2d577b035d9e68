from datetime import date
from decimal import Decimal

import pytest

from dataio import parsing
from dataio.tests.conftest import csv_bytes, xlsx_bytes


@pytest.mark.parametrize("text,convention,expected", [
    # The cases of the number rules themselves are in kontum_cp/tests/test_numbers.py; these
    # check that the importer passes the cell and the file's convention through.
    ("1.100,5", None, Decimal("1100.5")),
    ("1,100", "comma", Decimal("1.1")),
    ("1,100", "dot", Decimal("1100")),
])
def test_decimal_both_conventions(text, convention, expected):
    assert parsing.decimal_value(text, convention) == expected


def test_ambiguous_number_refused_without_a_convention():
    with pytest.raises(parsing.CellError, match="Ambiguous"):
        parsing.decimal_value("1,100", None)


def test_number_convention_from_other_cells():
    assert parsing.number_convention(["1.100,5", "1,100"]) == "comma"
    assert parsing.number_convention(["1100.5", "1,100"]) == "dot"
    assert parsing.number_convention(["1,100", "12"]) is None
    assert parsing.number_convention(["1100.5", "1100,5"]) is None


def test_integers():
    assert parsing.integer_value("1.500.000.000") == 1500000000
    assert parsing.integer_value("1,500") == 1500
    assert parsing.integer_value("2016") == 2016
    with pytest.raises(parsing.CellError):
        parsing.integer_value("1,5")
    with pytest.raises(parsing.CellError):
        parsing.integer_value("abc")


def test_dates():
    assert parsing.date_value("15/06/2016") == date(2016, 6, 15)
    assert parsing.date_value("2016-06-15") == date(2016, 6, 15)
    assert parsing.date_value("2016-06-15 00:00:00") == date(2016, 6, 15)
    with pytest.raises(parsing.CellError, match="does not exist"):
        parsing.date_value("31/02/2016")
    with pytest.raises(parsing.CellError):
        parsing.date_value("June 2016")


def test_yes_no():
    assert parsing.bool_value("Có") is True
    assert parsing.bool_value("không") is False
    assert parsing.bool_value("TRUE") is True
    with pytest.raises(parsing.CellError):
        parsing.bool_value("maybe")


def test_export_apostrophe_removed_on_import():
    assert parsing.text_value("'=SUM(A1)") == "=SUM(A1)"
    assert parsing.text_value("''=x") == "'=x"
    assert parsing.text_value("'plain") == "'plain"


@pytest.mark.parametrize("sep,bom", [(",", False), (";", False), (",", True), (";", True)])
def test_csv_separators_and_bom(sep, bom):
    data = csv_bytes([["code", "name"], ["KT-1", "Đắk Tô"], ["", ""], ["KT-2", "Kon Rẫy"]], sep=sep, bom=bom)
    table = parsing.read_table("x.csv", data)
    assert table.headers == ["code", "name"]
    # Blank rows are left out but keep the row numbers of the spreadsheet.
    assert table.rows == [(2, ["KT-1", "Đắk Tô"]), (4, ["KT-2", "Kon Rẫy"])]


def test_xlsx_reads_text_numbers_and_dates():
    data = xlsx_bytes([["a", "b", "c"], ["0012", 1100.5, date(2016, 6, 15)], [None, None, None], ["x", 7, None]])
    table = parsing.read_table("x.xlsx", data)
    assert table.rows == [(2, ["0012", "1100.5", "2016-06-15 00:00:00"]), (4, ["x", "7", ""])]


def test_diacritics_normalised_to_one_form():
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đắk Tô")
    table = parsing.read_table("x.csv", csv_bytes([["name"], [decomposed]]))
    assert table.rows[0][1] == ["Đắk Tô"]


@pytest.mark.parametrize("name,data,message", [
    ("x.csv", b"", "empty"),
    ("x.pdf", b"%PDF-1.4", ".csv and .xlsx"),
    ("x.xls", b"\xd0\xcf\x11\xe0rest", ".xls"),
    ("x.xlsx", b"not a zip", "not an Excel workbook"),
    ("x.csv", "a,b\n".encode("utf-16"), "UTF-8"),
    ("x.csv", b"\r\n\r\n", "empty"),
])
def test_file_problems(name, data, message):
    with pytest.raises(parsing.FileProblem, match=message):
        parsing.read_table(name, data)
