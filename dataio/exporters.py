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
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from establishments.models import Place, Sector
from indicators.models import ResourceType
from kontum_cp.spreadsheets import CSV_TYPE, XLSX_TYPE, csv_chunks, csv_document, neutralise, xlsx_chunks

from .columns import CHOICE, REF
from .kinds import KINDS
from .parsing import decimal_text

XLSX_MAX_ROWS = 1_048_575  # Excel shows at most 1,048,576 rows, the header row included


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
    import pandas as pd  # only here: a process that never builds a DataFrame does not load pandas (~33 MB)

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


def xlsx_stream(header, rows, sheet_title="data", extra_sheets=()):
    """An XLSX of `header` and `rows` in pieces, written as the rows are read (`kontum_cp.spreadsheets`);
    the extra sheets' text is neutralised and their first row bold."""
    extra = [(title, ([neutralise(v) for v in row] for row in sheet)) for title, sheet in extra_sheets]
    return xlsx_chunks([(sheet_title, _with_header(header, rows))] + extra)


def _with_header(header, rows):
    yield list(header)
    yield from rows


def xlsx_bytes(frame, sheet_title="data", extra_sheets=()):
    rows = frame.itertuples(index=False, name=None)
    return b"".join(xlsx_stream(frame.columns, rows, sheet_title, extra_sheets))


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

    Both are streamed: the first rows leave as soon as the database returns them, whatever the size, and the
    rows are read inside a transaction that the response's generator opens when it is consumed (`iter_rows`),
    after the view has returned. An XLSX beyond Excel's row limit is refused (400, with the reason).
    """
    filename = filename or f"{kind}.{fmt}"
    if fmt == "csv":
        chunks, content_type = csv_stream(kind, queryset, headers), CSV_TYPE
    else:
        if message := too_many_rows(kind, queryset):
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        chunks, content_type = xlsx_stream(headers_for(kind, headers), iter_rows(kind, queryset)), XLSX_TYPE
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_file(kind, path, queryset=None, headers="en"):
    """Write every record (or `queryset`) of `kind` to a .csv or .xlsx file; returns the row count.

    `headers`: the header row's language ("vi" or "en"); the import reads both. The rows are read and written
    as they come, never all held in memory.
    """
    fmt = str(path).rsplit(".", 1)[-1].lower()
    counted = _Counted(iter_rows(kind, queryset))
    if fmt == "csv":
        chunks = csv_chunks(headers_for(kind, headers), counted, text=cell_text)
    elif fmt == "xlsx":
        chunks = xlsx_stream(headers_for(kind, headers), counted)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    with open(path, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
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
    import pandas as pd  # only here, as in export_rows

    return pd.DataFrame([KINDS[kind].example_row()], columns=headers_for(kind, language), dtype=object)


def template_response(kind, fmt, language):
    """A blank file to fill: the header row in the user's language and one example row;
    the XLSX has a second sheet "notes" with every column and code."""
    header, example = headers_for(kind, language), [KINDS[kind].example_row()]
    if fmt == "csv":
        return _download(csv_document(header, example, text=cell_text), fmt, f"template-{kind}.csv")
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
    content = b"".join(xlsx_stream(header, example, extra_sheets=[("notes", notes)]))
    return _download(content, fmt, f"template-{kind}.xlsx")
