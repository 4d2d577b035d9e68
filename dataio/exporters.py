"""Exports in the columns the import reads, so that an export re-imports unchanged.

Values are the stable codes of DOMAIN.md; unknown values are empty cells.
Against spreadsheet formula injection, every *text* cell that begins with
= + - @ (or a tab or carriage return) is written with a leading apostrophe,
which the import removes again. Numbers are written as numbers (an XLSX number
cell is never a formula, and the portal's numbers are not negative), so they
are not prefixed.
"""
import io
from datetime import date
from decimal import Decimal

import pandas as pd
from django.http import HttpResponse
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from establishments.models import AssistanceRecord, CPMeasure, Establishment, Place, Sector
from indicators.models import AnnualReport, ResourceLine, ResourceType
from kontum_cp.spreadsheets import CSV_TYPE, XLSX_TYPE, csv_document, neutralise
from training.models import Attendance, Event, StaffHeadcount

from .kinds import CHOICE, KINDS, REF
from .parsing import decimal_text

MAX_FLOAT_DIGITS = 15  # beyond this a number is written as text so that no digit is lost


def _yes_no(value):
    return "yes" if value else "no"


def _code(obj):
    return obj.code if obj is not None else ""


def _establishment_rows(qs):
    for e in qs.select_related("place", "sector").order_by("code"):
        yield [e.code, e.name, e.legal_form, e.parent_organisation, _code(e.place), _code(e.sector), e.address,
               _yes_no(e.cp_potential), e.employees, e.technical_staff, e.established_year, e.status,
               e.closed_year, e.baseline_year]


def _report_rows(qs):
    reports = list(qs.select_related("establishment").order_by("establishment__code", "year"))
    lines = {}
    for report_id, code, quantity in _report_lines([r.pk for r in reports]):
        lines.setdefault(report_id, []).append((code, quantity))
    for r in reports:
        head = [r.establishment.code, r.year, r.product, r.product_unit, r.output]
        for code, quantity in lines.get(r.pk, [(None, None)]):
            yield head + [code or "", quantity]


def _report_lines(report_ids):
    """(report id, resource code, quantity) of the reports; one query, no huge IN list."""
    qs = ResourceLine.objects.order_by("report_id", "resource_type__code").values_list(
        "report_id", "resource_type__code", "quantity")
    if len(report_ids) <= 900:
        qs = qs.filter(report_id__in=report_ids)
    wanted = set(report_ids)
    for row in qs.iterator(chunk_size=5000):
        if row[0] in wanted:
            yield row


def _measure_rows(qs):
    for m in qs.select_related("establishment").order_by("establishment__code", "title"):
        yield [m.establishment.code, m.title, m.category, m.status, m.year, m.investment_vnd]


def _assistance_rows(qs):
    for a in qs.select_related("establishment").order_by("establishment__code", "year", "date", "kind", "pk"):
        yield [a.establishment.code, a.date if a.date else a.year, a.kind, a.description, a.amount_vnd]


def _attendance_rows(qs):
    if qs.model is Event:
        qs = Attendance.objects.filter(event__in=qs)
    qs = qs.select_related("event", "person", "person__establishment")
    for a in qs.order_by("event__code", "person__name", "person__organisation", "pk"):
        e, p = a.event, a.person
        yield [e.code, e.title, e.kind, e.start_date, p.name, p.category, p.organisation,
               _code(p.establishment), p.gender, _yes_no(a.completed)]


def _headcount_rows(qs):
    for h in qs.order_by("year", "category"):
        yield [h.year, h.category, h.headcount]


ROWS = {
    "establishments": _establishment_rows,
    "reports": _report_rows,
    "measures": _measure_rows,
    "assistance": _assistance_rows,
    "attendance": _attendance_rows,
    "headcounts": _headcount_rows,
}

MODELS = {
    "establishments": Establishment,
    "reports": AnnualReport,
    "measures": CPMeasure,
    "assistance": AssistanceRecord,
    "attendance": Attendance,
    "headcounts": StaffHeadcount,
}


def headers_for(kind, language="en"):
    columns = KINDS[kind].columns
    return [c.header(language) for c in columns]


def export_rows(kind, queryset=None, headers="en"):
    """A DataFrame (object columns) of every record of `queryset` in the import's columns."""
    if queryset is None:
        queryset = MODELS[kind].objects.all()
    rows = [[neutralise(v) for v in row] for row in ROWS[kind](queryset)]
    return pd.DataFrame(rows, columns=headers_for(kind, headers), dtype=object)


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


def xlsx_bytes(frame, sheet_title="data", extra_sheets=()):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title)
    ws.append([_xlsx_value(ws, h, bold=True) for h in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        ws.append([_xlsx_value(ws, None if v is None else v) for v in row])
    for title, rows in extra_sheets:
        sheet = wb.create_sheet(title)
        for index, row in enumerate(rows):
            sheet.append([_xlsx_value(sheet, neutralise(v), bold=index == 0) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def file_bytes(frame, fmt, **kwargs):
    if fmt == "csv":
        return csv_bytes(frame)
    if fmt == "xlsx":
        return xlsx_bytes(frame, **kwargs)
    raise ValueError(f"unknown format {fmt!r}")


def _download(content, fmt, filename):
    response = HttpResponse(content, content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(kind, queryset, fmt, filename=None, headers="en"):
    """An HTTP download (CSV UTF-8 with BOM, or XLSX) of `queryset` in the import's columns."""
    frame = export_rows(kind, queryset, headers=headers)
    return _download(file_bytes(frame, fmt), fmt, filename or f"{kind}.{fmt}")


def write_file(kind, path, queryset=None, headers="en"):
    """Write every record (or `queryset`) of `kind` to a .csv or .xlsx file; returns the row count.

    `headers`: the header row's language ("vi" or "en"); the import reads both.
    """
    fmt = str(path).rsplit(".", 1)[-1].lower()
    frame = export_rows(kind, queryset, headers=headers)
    content = file_bytes(frame, fmt)
    with open(path, "wb") as fh:
        fh.write(content)
    return len(frame)


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
    columns = KINDS[kind].columns
    return pd.DataFrame([[c.example for c in columns]], columns=headers_for(kind, language), dtype=object)


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
