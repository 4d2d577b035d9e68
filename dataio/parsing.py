"""Reading spreadsheets into rows of text, and turning cell text into values.

Everything is read as text (pandas ``dtype=str``, ``keep_default_na=False``) so
that nothing is guessed by the reader: "0012" stays "0012", "NA" stays "NA",
and every conversion (dates, numbers, codes) happens here, with a message in
the user's language when a cell cannot be read.
"""
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.utils.translation import gettext as _

from kontum_cp import numbers

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls


class FileProblem(Exception):
    """The file as a whole cannot be read (wrong type, empty, not UTF-8...)."""


class CellError(Exception):
    """One cell cannot be turned into a value; the message is for the user."""


@dataclass
class Table:
    headers: list  # raw header texts as in row 1
    rows: list  # [(row number in the spreadsheet, [cell texts])], blank rows left out


def normalise(text):
    """Unicode NFC (keeps Vietnamese diacritics in one canonical form), trimmed."""
    return unicodedata.normalize("NFC", str(text)).strip()


def fold(text):
    """A key for case- and spacing-insensitive matching of headers, codes and names."""
    text = normalise(text).casefold().replace("_", " ")
    return re.sub(r"\s+", " ", text)


def sniff_kind(filename, data):
    """'csv' or 'xlsx' from the name and the first bytes; FileProblem otherwise."""
    name = (filename or "").lower()
    if not data:
        raise FileProblem(_("The file is empty."))
    if data.startswith(OLE_MAGIC) or name.endswith(".xls"):
        raise FileProblem(_("Old Excel files (.xls) cannot be read: save the file as .xlsx or .csv and upload it again."))
    if name.endswith(".xlsx"):
        if not data.startswith(XLSX_MAGIC):
            raise FileProblem(_("The file is named .xlsx but is not an Excel workbook."))
        return "xlsx"
    if name.endswith(".csv") or name.endswith(".txt"):
        if data.startswith(XLSX_MAGIC):
            return "xlsx"
        return "csv"
    raise FileProblem(_("Only .csv and .xlsx files can be imported."))


def read_table(filename, data):
    """The file's header row and its non-blank data rows, every cell as text."""
    fmt = sniff_kind(filename, data)
    frame = _read_xlsx(data) if fmt == "xlsx" else _read_csv(data)
    values = frame.to_numpy(dtype=object).tolist() if len(frame.columns) else []
    if not values:
        raise FileProblem(_("The file is empty."))
    headers = [normalise(h) for h in _cells(values[0])]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise FileProblem(_("The first row must hold the column names; it is empty."))
    rows = []
    for index, raw in enumerate(values[1:], start=2):
        cells = _cells(raw)[: len(headers)]
        cells += [""] * (len(headers) - len(cells))
        if any(cells):
            rows.append((index, cells))
    return Table(headers=headers, rows=rows)


def _cells(raw):
    out = []
    for value in raw:
        if value is None or (isinstance(value, float) and value != value):
            out.append("")
        else:
            out.append(normalise(value))
    return out


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(_("The CSV file is not in UTF-8. In Excel choose \"CSV UTF-8\" when saving."))
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return pd.read_csv(
            io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
            na_filter=False, skip_blank_lines=False, quotechar='"', engine="python",
        )
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise FileProblem(_("The CSV file cannot be read: %(reason)s") % {"reason": exc})


def _read_xlsx(data):
    try:
        return pd.read_excel(
            io.BytesIO(data), sheet_name=0, header=None, dtype=str, keep_default_na=False,
            na_filter=False, engine="openpyxl",
        )
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileProblem(_("The Excel file cannot be read: %(reason)s") % {"reason": exc.__class__.__name__})


# ---- cell values ---------------------------------------------------------------

EXPORT_PREFIXED = re.compile(r"^''*[=+\-@\t\r]")


def text_value(cell):
    """Text as written; the apostrophe that the export puts before = + - @ (against
    formula injection) is removed, so an export re-imports unchanged."""
    if EXPORT_PREFIXED.match(cell):
        return cell[1:]
    return cell


DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")


def date_value(cell):
    """dd/mm/yyyy (also with - or .) or yyyy-mm-dd; Excel date cells arrive as 'yyyy-mm-dd 00:00:00'."""
    match = DATE_ISO.match(cell)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = DATE_DMY.match(cell)
        if not match:
            raise CellError(_("Not a date: write dd/mm/yyyy or yyyy-mm-dd."))
        day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(_("This date does not exist."))


YES = {"yes", "y", "có", "co", "true", "1", "x", "đúng"}
NO = {"no", "n", "không", "khong", "false", "0", "sai"}


def bool_value(cell):
    key = fold(cell)
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(_("Write yes or no (có / không)."))


# Numbers are read by kontum_cp.numbers (the same rules as the forms); a cell such as
# "1,100" that means 1.1 in one convention and 1100 in the other is resolved by the
# file's other cells (number_convention), and refused when they do not settle it.
DOT, COMMA = numbers.DOT, numbers.COMMA  # the decimal separator of a convention
NUMBER, GROUPED, PLAIN = numbers.NUMBER, numbers.GROUPED, numbers.PLAIN
number_convention = numbers.number_convention


def decimal_value(cell, convention=None, integer=False):
    try:
        return numbers.decimal_value(cell, convention, integer=integer)
    except numbers.NumberError as exc:
        raise CellError(str(exc.message)) from exc


def integer_value(cell, convention=None):
    return decimal_value(cell, convention, integer=True)


def is_year(cell):
    return bool(re.fullmatch(r"\d{4}", cell))


def decimal_text(value):
    """A Decimal without exponent or trailing zeros: 1100.500 -> '1100.5'."""
    if value is None:
        return ""
    try:
        text = format(Decimal(value).normalize(), "f")
    except InvalidOperation:
        return str(value)
    return text
