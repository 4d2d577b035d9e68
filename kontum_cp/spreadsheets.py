"""Writing spreadsheets people open in Excel: formula injection, CSV for Excel, XLSX streamed, styled XLSX.

Shared by every export (dataio's import-format exports, the dashboard's export).
Against spreadsheet formula injection, every *text* cell that begins with
= + - @ (or a tab or carriage return) gets a leading apostrophe; numbers are
written as numbers, and an XLSX number cell is never a formula.
"""
import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RISKY = re.compile(r"^'*[=+\-@\t\r]")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and RISKY.match(value):
        return "'" + value
    return value


def csv_document(header, rows, text=str):
    """UTF-8 CSV with a byte-order mark (Excel then shows Vietnamese correctly).

    `text` turns a value into its cell; the rows come already neutralised.
    """
    return b"".join(csv_chunks(header, rows, text))


def csv_chunks(header, rows, text=str, rows_per_chunk=1000):
    """`csv_document` in pieces of `rows_per_chunk` rows (the first with the byte-order mark and the header), for
    a download that starts with the first rows read and never holds the whole file."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow(list(header))
    pending = 0
    for row in rows:
        writer.writerow([text(v) for v in row])
        pending += 1
        if pending == rows_per_chunk:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
            pending = 0
    if out.tell():  # the rows after the last full piece, or the header of an empty file
        yield out.getvalue().encode("utf-8")


# ---- XLSX streamed -----------------------------------------------------------------
# An XLSX is a zip of XML parts. Python's zipfile writes to a stream that cannot seek (each entry's sizes
# follow its data), so the file leaves in pieces as the rows are read. Text cells are inline strings
# (t="inlineStr": no shared-strings table to hold in memory, and never a formula). Zip64 is not used: a sheet
# within Excel's row limit of the portal's columns stays far below 4 GiB.

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BOLD, DATE, BOLD_DATE = 1, 2, 3  # the cell styles of STYLES_XML, after the default 0
DATE_FORMAT = "DD/MM/YYYY"
STYLES_XML = (
    f'{XML_HEAD}<styleSheet xmlns="{MAIN_NS}">'
    f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>'
    '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
MAX_FLOAT_DIGITS = 15  # a Decimal with more digits is written as text, so that no digit is lost
EXCEL_EPOCH = date(1899, 12, 30)
FIRST_EXCEL_DATE = date(1900, 3, 1)  # before it Excel counts a 29 February 1900 that never was
# What XML 1.0 cannot hold (every control character but tab, line feed and carriage return; lone surrogates;
# U+FFFE, U+FFFF): left out of the cell, as Excel cannot show them either (the CSV keeps them).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TEXT_ENTITIES = {"\r": "&#13;"}  # a bare carriage return would be read back as a line feed


def column_letters(index):
    """0 → "A", 25 → "Z", 26 → "AA"."""
    return get_column_letter(index + 1)


def _number(value):
    """A Decimal as Excel holds it: whole as int, else float up to MAX_FLOAT_DIGITS digits, else as text."""
    if not value.is_finite():
        return None
    if value == value.to_integral_value():
        return int(value)
    value = value.normalize()
    return float(value) if len(value.as_tuple().digits) <= MAX_FLOAT_DIGITS else format(value, "f")


def _serial(value):
    """A date's Excel serial number (days since 30/12/1899), None before 1 March 1900."""
    if (value.date() if isinstance(value, datetime) else value) < FIRST_EXCEL_DATE:
        return None
    if isinstance(value, datetime):
        return (value - datetime.combine(EXCEL_EPOCH, time())) / timedelta(days=1)
    return (value - EXCEL_EPOCH).days


def _xlsx_cell(ref, value, bold):
    """One <c> element: text as an inline string, numbers, booleans, dates with DD/MM/YYYY; "" for no value."""
    style = f' s="{BOLD}"' if bold else ""
    if isinstance(value, Decimal):
        value = _number(value)
    if value is None or value == "" or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
    if isinstance(value, date):
        if (serial := _serial(value)) is not None:
            return f'<c r="{ref}" s="{BOLD_DATE if bold else DATE}"><v>{serial!r}</v></c>'
        value = value.isoformat()  # Excel has no date before 1900: the import reads yyyy-mm-dd
    text = escape(NOT_XML.sub("", str(value)), TEXT_ENTITIES)
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet_rows(rows, letters):
    """The XML of each row (the first bold), numbered from 1."""
    for number, row in enumerate(rows, start=1):
        row = list(row)
        while len(letters) < len(row):
            letters.append(column_letters(len(letters)))
        cells = "".join(_xlsx_cell(f"{letters[i]}{number}", value, number == 1) for i, value in enumerate(row))
        yield f'<row r="{number}">{cells}</row>'


class _Pipe:
    """A file that only collects what is written to it, for zipfile to write into; `take` empties it."""

    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def _workbook_parts(titles):
    sheets = "".join(f'<sheet name={quoteattr(NOT_XML.sub("", title)[:31])} sheetId="{i}" r:id="rId{i}"/>'
                     for i, title in enumerate(titles, start=1))
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                   for i in range(1, len(titles) + 1))
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                        for i in range(1, len(titles) + 1))
    sml = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    return [
        ("[Content_Types].xml", f'{XML_HEAD}<Types xmlns="{pkg}/content-types">'
         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
         '<Default Extension="xml" ContentType="application/xml"/>'
         f'<Override PartName="/xl/workbook.xml" ContentType="{sml}.sheet.main+xml"/>'
         f'<Override PartName="/xl/styles.xml" ContentType="{sml}.styles+xml"/>{overrides}</Types>'),
        ("_rels/.rels", f'{XML_HEAD}<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
         f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        ("xl/workbook.xml", f'{XML_HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{sheets}</sheets>'
         '</workbook>'),
        ("xl/_rels/workbook.xml.rels", f'{XML_HEAD}<Relationships xmlns="{pkg}/relationships">{rels}'
         f'<Relationship Id="rId{len(titles) + 1}" Type="{REL_NS}/styles" Target="styles.xml"/></Relationships>'),
        ("xl/styles.xml", STYLES_XML),
    ]


def _entry(name):
    """A zip entry compressed and dated 1 January 1980 (zip's first day), so that the same data give the same
    file."""
    entry = zipfile.ZipInfo(name)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def xlsx_chunks(sheets, rows_per_chunk=1000):
    """An XLSX of `sheets`, [(title, rows)] whose first row is the header (bold), in pieces of about
    `rows_per_chunk` rows: the rows are read as the file is sent and never all held in memory.

    Values: None and "" are empty cells; bool, int, float and Decimal are numbers (a Decimal of more than 15
    digits is text); date and datetime are dates shown DD/MM/YYYY; anything else is text (an inline string:
    never a formula; neutralise() it all the same, for the CSV's sake and Excel's "edit cell").
    """
    sheets = list(sheets)
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in _workbook_parts([title for title, _rows in sheets]):
            book.writestr(_entry(name), text)
        for index, (_title, rows) in enumerate(sheets, start=1):
            with book.open(_entry(f"xl/worksheets/sheet{index}.xml"), "w") as part:
                part.write(f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode())
                pending = []
                for row in _sheet_rows(rows, []):
                    pending.append(row)
                    if len(pending) == rows_per_chunk:
                        part.write("".join(pending).encode())
                        pending.clear()
                        if data := pipe.take():
                            yield data
                part.write(("".join(pending) + "</sheetData></worksheet>").encode())
    yield pipe.take()


@dataclass(frozen=True)
class Column:
    """A column of a styled sheet: its header, Excel number format (None for text) and width in characters."""

    header: str
    number_format: str | None = None
    width: int = 12


@dataclass(frozen=True)
class Number:
    """A number with its own Excel format, where a column mixes kinds (a percentage in one row, a count in the next)."""

    value: float | int | None
    number_format: str


def _cell(ws, value, column):
    number_format = column.number_format
    if isinstance(value, Number):
        value, number_format = value.value, value.number_format
    cell = WriteOnlyCell(ws, value=neutralise(value))
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
        cell.alignment = Alignment(wrap_text=column.width >= 30, vertical="top")
    elif value is not None and number_format:
        cell.number_format = number_format
    return cell


def styled_xlsx(columns, rows, sheet_title):
    """One sheet: bold, wrapped headers, frozen header row, set widths and number formats, text never a formula."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title[:31])
    for index, column in enumerate(columns):
        ws.column_dimensions[get_column_letter(index + 1)].width = column.width
    ws.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=neutralise(column.header))
        cell.data_type = "s"
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(ws, value, column) for value, column in zip(row, columns)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

