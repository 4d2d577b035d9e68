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
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import openpyxl
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl.cell.cell import TYPE_ERROR, TYPE_NUMERIC

from kontum_cp import numbers

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
# Defaults of the settings IMPORT_MAX_ROWS, IMPORT_XLSX_MAX_UNCOMPRESSED and IMPORT_XLSX_MAX_RATIO. A workbook
# of IMPORT_MAX_ROWS rows of the widest kind unpacks to well under 400 MiB, and spreadsheets compress
# 5 to 30 times (a sheet of repeated rows up to about 100); a zip bomb, thousands of times.
DEFAULT_MAX_ROWS = 200_000
DEFAULT_XLSX_MAX_UNCOMPRESSED = 400 * 1024 * 1024
DEFAULT_XLSX_MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024  # small members (styles, a short sheet) may compress more without harm


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
    text = str(text)
    if not text.isascii():  # ASCII text is NFC already
        text = unicodedata.normalize("NFC", text)
    return text.strip()


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


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def read_table(filename, data):
    """The file's header row and its non-blank data rows, every cell as text.

    `data` is the file's bytes or a binary file open for reading. Rows are read one at a time
    (csv.reader, openpyxl's read-only mode) and reading stops past IMPORT_MAX_ROWS data rows, so
    neither a long file nor a zip bomb is ever held whole in memory; a workbook is inspected
    (check_xlsx) before openpyxl opens it.
    """
    stream = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    stream.seek(0)
    fmt = sniff_kind(filename, stream.read(8))
    stream.seek(0)
    raw_rows = _xlsx_rows(stream) if fmt == "xlsx" else _csv_rows(stream)
    return _table(raw_rows)


def _table(raw_rows):
    headers = None
    rows = []
    limit = max_rows()
    # A text that repeats (a code, a year, a product) is kept once, however many rows hold it.
    same = {}.setdefault
    for index, raw in enumerate(raw_rows, start=1):
        cells = _cells(raw)
        if headers is None:
            headers = cells
            while headers and not headers[-1]:
                headers.pop()
            if not headers:
                raise FileProblem(_("The first row must hold the column names; it is empty."))
            continue
        if len(cells) != len(headers):
            cells = cells[: len(headers)]
            cells += [""] * (len(headers) - len(cells))
        cells = [same(cell, cell) for cell in cells]
        if any(cells):
            if len(rows) >= limit:
                raise FileProblem(too_many_rows_message(limit))
            rows.append((index, cells))
    if headers is None:
        raise FileProblem(_("The file is empty."))
    return Table(headers=headers, rows=rows)


def too_many_rows_message(limit):
    return _("The file has more than %(limit)s rows of data, the most that one import accepts. Split it into "
             "files of at most %(limit)s rows and import them one after the other.") % {
        "limit": numbers.grouped(limit)}


def _cells(raw):
    return [(value.strip() if value.isascii() else normalise(value)) if value.__class__ is str
            else "" if value is None or (isinstance(value, float) and value != value) else normalise(value)
            for value in raw]


def _csv_rows(stream):
    """The CSV's records as lists of text, one at a time."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first_line = ""
        for line in text:
            if line.strip():
                first_line = line
                break
        if not first_line.strip():
            raise FileProblem(_("The file is empty."))
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        text.seek(0)
        yield from csv.reader(text, delimiter=delimiter, quotechar='"')
    except UnicodeDecodeError:
        raise FileProblem(_("The CSV file is not in UTF-8. In Excel choose \"CSV UTF-8\" when saving."))
    except csv.Error as exc:
        raise FileProblem(_("The CSV file cannot be read: %(reason)s") % {"reason": exc})
    finally:
        text.detach()


def check_xlsx(stream):
    """FileProblem unless the workbook's members, once uncompressed, stay within the limits.

    The sizes are those the zip directory declares; zipfile refuses to inflate a member past its
    declared size, so a member that lies about it fails when read instead of filling the memory.
    """
    try:
        members = zipfile.ZipFile(stream).infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(_("The Excel file cannot be read: %(reason)s") % {"reason": "BadZipFile"})
    total = sum(m.file_size for m in members)
    max_total = getattr(settings, "IMPORT_XLSX_MAX_UNCOMPRESSED", DEFAULT_XLSX_MAX_UNCOMPRESSED)
    max_ratio = getattr(settings, "IMPORT_XLSX_MAX_RATIO", DEFAULT_XLSX_MAX_RATIO)
    worst = max((m.file_size / max(m.compress_size, 1) for m in members if m.file_size > RATIO_FLOOR), default=0)
    if total > max_total:
        raise FileProblem(_("The Excel file would unpack to %(size)s MB; the limit is %(limit)s MB. Split it, or "
                            "save it as .csv, and upload it again.") % {
            "size": f"{total / 1048576:.0f}", "limit": f"{max_total / 1048576:.0f}"})
    if worst > max_ratio:
        raise FileProblem(_("The Excel file is compressed %(ratio)d times, more than any spreadsheet (the limit is "
                            "%(max_ratio)d): it may be damaged. Save it again in Excel, or as .csv, and upload it "
                            "again.") % {"ratio": worst, "max_ratio": max_ratio})


def _xlsx_rows(stream):
    """The first sheet's rows, one at a time, each cell as pandas.read_excel(dtype=str) would give it."""
    check_xlsx(stream)
    stream.seek(0)
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FileProblem(_("The Excel file cannot be read: %(reason)s") % {"reason": exc.__class__.__name__})
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # declared dimensions can be wrong
        rows = iter(sheet.rows)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise FileProblem(_("The Excel file cannot be read: %(reason)s") % {
                    "reason": exc.__class__.__name__})
            yield [_xlsx_cell(cell) for cell in row]
    finally:
        book.close()


def _xlsx_cell(cell):
    # As pandas' openpyxl reader: integral numbers without ".0", error cells blank.
    value = cell.value
    if value is None or cell.data_type == TYPE_ERROR:
        return ""
    if cell.data_type == TYPE_NUMERIC and not isinstance(value, bool):
        as_int = int(value)
        return str(as_int) if as_int == value else str(float(value))
    return str(value)


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
