"""Writing spreadsheets people open in Excel: formula injection, CSV for Excel, styled XLSX.

Shared by every export (dataio's import-format exports, the dashboard's export).
Against spreadsheet formula injection, every *text* cell that begins with
= + - @ (or a tab or carriage return) gets a leading apostrophe; numbers are
written as numbers, and an XLSX number cell is never a formula.
"""
import csv
import io
import re
from dataclasses import dataclass

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

