"""Exports in the columns the import reads, so that an export re-imports unchanged.

What a kind's export holds (its model, its rows, its columns) is in its
declaration in `kinds.py`; this module writes files of it.

Values are the stable codes of DOMAIN.md; unknown values are empty cells.
Against spreadsheet formula injection, every *text* cell that begins with
= + - @ (or a tab or carriage return) is written with a leading apostrophe,
which the import removes again. Numbers are written as numbers (an XLSX number
cell is never a formula, and the portal's numbers are not negative), so they
are not prefixed.
"""
import io
import tempfile
from datetime import date
from decimal import Decimal

import pandas as pd
from django.db import transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from establishments.models import Place, Sector
from indicators.models import ResourceType
from kontum_cp.spreadsheets import CSV_TYPE, XLSX_TYPE, csv_chunks, csv_document, neutralise

from .columns import CHOICE, REF
from .kinds import KINDS
from .parsing import decimal_text

MAX_FLOAT_DIGITS = 15  # beyond this a number is written as text so that no digit is lost
XLSX_MAX_ROWS = 1_048_575  # Excel shows at most 1,048,576 rows, the header row included
XLSX_IN_MEMORY = 8 * 1024 * 1024  # a larger XLSX is written to a temporary file, not kept in memory


def headers_for(kind, language="en"):
    return KINDS[kind].headers(language)


def _queryset(kind, queryset):
    return KINDS[kind].model.objects.all() if queryset is None else queryset


def iter_rows(kind, queryset=None):
    """Every record of `queryset` (default: all of the kind) in the import's columns, text neutralised; read
    from the database as it is consumed.

    Read inside a transaction: outside one, PostgreSQL computes a server-side cursor's whole result before
    the first row (Django declares it WITH HOLD), 19 s for the 4.7 million lines of 100,000 establishments'
    reports instead of under one.
    """
    with transaction.atomic():
        for row in KINDS[kind].export_rows(_queryset(kind, queryset)):
            yield [neutralise(v) for v in row]


def export_rows(kind, queryset=None, headers="en"):
    """A DataFrame (object columns) of every record of `queryset` in the import's columns."""
    return pd.DataFrame(list(iter_rows(kind, queryset)), columns=headers_for(kind, headers), dtype=object)


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_bytes(frame):
    """UTF-8 with a byte-order mark, so that Excel shows Vietnamese correctly."""
    return csv_document(frame.columns, frame.itertuples(index=False, name=None), text=cell_text)


def _xlsx_value(ws, value, bold=False):
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            value = int(value)
        elif len(value.normalize().as_tuple().digits) <= MAX_FLOAT_DIGITS:
            value = float(value)
        else:
            value = decimal_text(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, str):
        cell.data_type = "s"  # never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_xlsx(out, header, rows, sheet_title="data", extra_sheets=()):
    """Write an XLSX of `header` and `rows` into the binary file `out` (openpyxl's write-only mode: the rows
    are not kept in memory)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title)
    ws.append([_xlsx_value(ws, h, bold=True) for h in header])
    for row in rows:
        ws.append([_xlsx_value(ws, None if v is None else v) for v in row])
    for title, extra in extra_sheets:
        sheet = wb.create_sheet(title)
        for index, row in enumerate(extra):
            sheet.append([_xlsx_value(sheet, neutralise(v), bold=index == 0) for v in row])
    wb.save(out)


def xlsx_bytes(frame, sheet_title="data", extra_sheets=()):
    out = io.BytesIO()
    write_xlsx(out, frame.columns, frame.itertuples(index=False, name=None), sheet_title, extra_sheets)
    return out.getvalue()


def _download(content, fmt, filename):
    response = HttpResponse(content, content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_stream(kind, queryset=None, headers="en"):
    """The CSV of `export_rows` in pieces of 1,000 rows, read from the database as they are sent."""
    return csv_chunks(headers_for(kind, headers), iter_rows(kind, queryset), text=cell_text)


def too_many_rows(kind, queryset):
    """A message when the export would not fit in an XLSX sheet (Excel's row limit), else None."""
    declaration = KINDS[kind]
    queryset = _queryset(kind, queryset)
    rows = declaration.export_count(queryset) if declaration.export_count else queryset.count()
    if rows <= XLSX_MAX_ROWS:
        return None
    return _("%(rows)s rows are more than an XLSX sheet holds (%(limit)s): download the CSV file, or narrow "
             "the filters.") % {"rows": f"{rows:,}", "limit": f"{XLSX_MAX_ROWS:,}"}


def export_response(kind, queryset, fmt, filename=None, headers="en"):
    """An HTTP download (CSV UTF-8 with BOM, or XLSX) of `queryset` in the import's columns.

    The CSV is streamed: its first rows leave as soon as the database returns them, whatever the size. An XLSX
    is a zip file that can only be sent once written: it is written row by row into a temporary file (memory
    stays bounded), and refused (400, with the reason) beyond Excel's row limit.
    """
    filename = filename or f"{kind}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(kind, queryset, headers), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    if message := too_many_rows(kind, queryset):
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    out = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY)
    write_xlsx(out, headers_for(kind, headers), iter_rows(kind, queryset))
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def write_file(kind, path, queryset=None, headers="en"):
    """Write every record (or `queryset`) of `kind` to a .csv or .xlsx file; returns the row count.

    `headers`: the header row's language ("vi" or "en"); the import reads both. The rows are read and written
    as they come, never all held in memory.
    """
    fmt = str(path).rsplit(".", 1)[-1].lower()
    counted = _Counted(iter_rows(kind, queryset))
    with open(path, "wb") as fh:
        if fmt == "csv":
            for chunk in csv_chunks(headers_for(kind, headers), counted, text=cell_text):
                fh.write(chunk)
        elif fmt == "xlsx":
            write_xlsx(fh, headers_for(kind, headers), counted)
        else:
            raise ValueError(f"unknown format {fmt!r}")
    return counted.n


class _Counted:
    """An iterator that counts what it gives."""

    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


# ---- templates ------------------------------------------------------------------

def _code_lists(kind):
    """[(column, code, name vi, name en)] for the columns that take codes."""
    out = []
    for col in KINDS[kind].columns:
        if col.type == CHOICE:
            for value, label in col.choices.choices:
                with translation.override("vi"):
                    vi = str(label)
                with translation.override("en"):
                    en = str(label)
                out.append((col.key, value, vi, en))
        elif col.type == REF and col.ref != "establishment":
            model = {"place": Place, "sector": Sector, "resource": ResourceType}[col.ref]
            for code, vi, en in model.objects.order_by("code").values_list("code", "name_vi", "name_en"):
                out.append((col.key, code, vi, en))
    return out


def template_frame(kind, language):
    return pd.DataFrame([KINDS[kind].example_row()], columns=headers_for(kind, language), dtype=object)


def template_response(kind, fmt, language):
    """A blank file to fill: the header row in the user's language and one example row;
    the XLSX has a second sheet "notes" with every column and code."""
    frame = template_frame(kind, language)
    if fmt == "csv":
        return _download(csv_bytes(frame), fmt, f"template-{kind}.csv")
    with translation.override(language):
        from django.utils.translation import gettext as _

        notes = [[_("Column (English)"), _("Column (Vietnamese)"), _("Required"), _("What to write")]]
        for col in KINDS[kind].columns:
            notes.append([col.key, col.header_vi, _("yes") if col.required else "", str(col.help)])
        notes.append([])
        notes.append([_("Column"), _("Code"), _("Name (Vietnamese)"), _("Name (English)")])
        notes.extend(list(row) for row in _code_lists(kind))
        notes.append([])
        notes.append([_("Dates: dd/mm/yyyy or yyyy-mm-dd. Numbers: 1.100,5 or 1100.5. Yes/no: yes, no, có, "
                        "không. Codes or names in Vietnamese or English. The first row holds the column names.")])
    return _download(xlsx_bytes(frame, extra_sheets=[("notes", notes)]), fmt, f"template-{kind}.xlsx")
