"""The kinds of data that the portal imports and exports: one declaration each, in one registry.

A kind's declaration (`ImportKind`) holds all that is particular to it: its
columns (headers, value types, the template's example row), the model that its
export reads, the planner that checks a file's rows and plans the writes (a
subclass of `importers.Planner`), the rows of its export and the export's
filters. The upload form, the preview and confirmation, the templates, the
exports, the `import_data` / `export_data` commands and the record of imports
all read `KINDS`; adding a kind is a declaration, its planner and its export rows.

Vietnamese headers are fixed text (not translated) because a file must import
the same whatever language its user's screen shows.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from establishments.models import AssistanceKind, AssistanceRecord, CPMeasure, Establishment, MeasureCategory
from establishments.models import MeasureStatus, Place, PlaceSuccession, RegistryCoverage
from indicators.models import AnnualReport, ResourceLine
from training.models import Attendance, Event, EventKind, Gender, StaffCategory, StaffHeadcount

from . import importers, report_import
from .columns import BOOL, CHOICE, DATE, DATE_OR_YEAR, DECIMAL, INTEGER, REF, TEXT, Column


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str
    description: str
    columns: tuple  # (Column, ...) in the order of the templates and the exports
    model: type  # what an export reads when it is given no queryset
    planner: type  # an importers.Planner: checks the rows of a file and plans the writes
    export_rows: Callable  # queryset -> rows of values in the order of `columns`
    export_filters: dict = field(default_factory=dict)  # the export's ?parameter -> queryset lookup
    export_count: Callable | None = None  # queryset -> rows of its export, when not one per record
    admin_only: bool = False  # only administrators import it (every role exports it)

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    def headers(self, language):
        """The header row of a file in `language` ("vi" or "en")."""
        return [c.header(language) for c in self.columns]

    def example_row(self):
        """The example row of the templates."""
        return [c.example for c in self.columns]


KINDS = {}  # key -> ImportKind, in the order that the pages list them


def register(kind):
    if kind.key in KINDS:
        raise ValueError(f"kind {kind.key!r} is declared twice")
    KINDS[kind.key] = kind
    return kind


def get_kind(key):
    return KINDS.get(key)


def kind_choices():
    return [(key, kind.label) for key, kind in KINDS.items()]


def _yes_no(value):
    return "yes" if value else "no"


def _code(obj):
    return obj.code if obj is not None else ""


YEAR_HELP = _("Four digits, 1990–2100.")
VND_HELP = _("Whole number of đồng, no decimals.")
EST_CODE_HELP = _("Code of an establishment already in the portal.")
ESTABLISHMENT_CODE = Column("establishment_code", "Mã cơ sở", REF, True, EST_CODE_HELP, ref="establishment",
                            example="KT-0101")
# The optional filters of an export: ?establishment=<code>&year=<yyyy>
ESTABLISHMENT_AND_YEAR = {"establishment": "establishment__code", "year": "year"}


# ---- establishments --------------------------------------------------------------------

# Exports read their rows as plain values in chunks (`iterator`), in one query, so a download starts with the
# first rows and the whole table is never held in memory.
CHUNK = 2000


def _establishment_rows(qs):
    rows = qs.order_by("code").values_list(
        "code", "name", "legal_form", "parent_organisation", "place__code", "sector__code", "address",
        "cp_potential", "employees", "technical_staff", "established_year", "status", "closed_year",
        "baseline_year")
    for row in rows.iterator(chunk_size=CHUNK):
        row = list(row)
        row[4], row[5], row[7] = row[4] or "", row[5] or "", _yes_no(row[7])
        yield row


register(ImportKind(
    "establishments", _("Establishments"),
    _("One row per establishment, matched on its code: a new code creates an establishment, "
      "a known code updates it."),
    columns=(
        Column("code", "Mã cơ sở", TEXT, True, _("Stable code, e.g. KT-0001."), example="KT-0101"),
        Column("name", "Tên cơ sở", TEXT, True, example="Nhà máy tinh bột sắn Đắk Tô"),
        Column("legal_form", "Loại hình", CHOICE, help=_("Code or name of the legal form."),
               choices=Establishment.LegalForm, example="joint_stock"),
        Column("parent_organisation", "Đơn vị chủ quản", TEXT, example="Công ty CP Nông sản Kon Tum"),
        Column("place", "Địa bàn", REF, help=_("Statistical code or name of the district or city."),
               ref="place", example="612"),
        Column("sector", "Ngành", REF, help=_("Sector code or name."), ref="sector", example="tapioca_starch"),
        Column("address", "Địa chỉ", TEXT, example="Thị trấn Đắk Tô"),
        Column("cp_potential", "Có tiềm năng SXSH", BOOL, help=_("yes or no"), example="yes"),
        Column("employees", "Số lao động", INTEGER, example="120"),
        Column("technical_staff", "Số cán bộ kỹ thuật", INTEGER, example="8"),
        Column("established_year", "Năm thành lập", INTEGER, help=YEAR_HELP, example="2008"),
        Column("status", "Tình trạng", CHOICE, help=_("active or closed"),
               choices=Establishment.Status, example="active"),
        Column("closed_year", "Năm ngừng hoạt động", INTEGER, help=_("Only for a closed establishment."),
               example=""),
        Column("baseline_year", "Năm gốc", INTEGER,
               help=_("Year the reductions are measured against; empty: the year before the first "
                      "implemented measure."), example="2012"),
    ),
    model=Establishment, planner=importers.EstablishmentPlanner, export_rows=_establishment_rows,
    export_filters={"establishment": "code"},
))


# ---- reports ---------------------------------------------------------------------------

def _report_rows(qs):
    """One row per resource line (a report without lines: one row with an empty resource), in one query: the
    reports joined to their lines."""
    rows = qs.order_by("establishment__code", "year", "lines__resource_type__code").values_list(
        "establishment__code", "year", "product", "product_unit", "output", "lines__resource_type__code",
        "lines__quantity")
    for code, year, product, unit, output, resource, quantity in rows.iterator(chunk_size=CHUNK):
        yield [code, year, product, unit, output, resource or "", quantity]


def _report_count(qs):
    """Rows of the reports' export: their lines, and one for each report without a line (2 queries)."""
    return (ResourceLine.objects.filter(report__in=qs.values("pk")).count()
            + qs.filter(lines__isnull=True).count())


register(ImportKind(
    "reports", _("Annual reports"),
    _("One row per resource line. The rows of one establishment and year form one annual report: "
      "product, unit and output are repeated on each row and must agree. Lines already in a report "
      "and absent from the file are kept."),
    columns=(
        ESTABLISHMENT_CODE,
        Column("year", "Năm", INTEGER, True, YEAR_HELP, example="2016"),
        Column("product", "Sản phẩm", TEXT, True, example="Tinh bột sắn"),
        Column("product_unit", "Đơn vị sản phẩm", TEXT, True, _("e.g. t, m³, pieces"), example="t"),
        Column("output", "Sản lượng", DECIMAL, True, _("Output in the product unit, greater than zero."),
               example="12500"),
        Column("resource", "Loại tiêu hao", REF, True,
               _("Resource code or name; empty (with an empty quantity) for a report without lines."),
               ref="resource", example="electricity", former_headers=("Loại tài nguyên",)),
        Column("quantity", "Lượng tiêu thụ", DECIMAL, True,
               _("Quantity used in the year, in the resource's unit."), example="2.350.000"),
    ),
    model=AnnualReport, planner=report_import.ReportPlanner, export_rows=_report_rows,
    export_filters=ESTABLISHMENT_AND_YEAR, export_count=_report_count,
))


# ---- measures --------------------------------------------------------------------------

def _measure_rows(qs):
    rows = qs.order_by("establishment__code", "title").values_list(
        "establishment__code", "title", "category", "status", "year", "year_earliest", "year_latest",
        "investment_vnd")
    yield from (list(row) for row in rows.iterator(chunk_size=CHUNK))


def year_range_columns(earliest, latest):
    """The two columns of a year known only as a range (DOMAIN.md, rough dates), beside the exact one."""
    return (
        Column(earliest, "Năm sớm nhất", INTEGER,
               help=_("Known only as a range of years: the earliest possible year; empty when it is open or the "
                      "exact year or date is given.")),
        Column(latest, "Năm muộn nhất", INTEGER,
               help=_("Known only as a range of years: the latest possible year (“by 2018”: 2018); empty when it "
                      "is open or the exact year or date is given.")),
    )


register(ImportKind(
    "measures", _("CP measures"),
    _("One row per measure, matched on establishment code and title."),
    columns=(
        ESTABLISHMENT_CODE,
        Column("title", "Tên giải pháp", TEXT, True, example="Thu hồi biogas từ nước thải"),
        Column("category", "Nhóm giải pháp", CHOICE, True, _("Technique code or name."),
               choices=MeasureCategory, example="by_product"),
        Column("status", "Tình trạng", CHOICE, help=_("planned, in_progress or implemented"),
               choices=MeasureStatus, example="implemented"),
        Column("year", "Năm", INTEGER, help=_("The year when it is known exactly (four digits, 1990–2100); "
                                              "empty when it is known only as a range."), example="2015"),
        *year_range_columns("year_earliest", "year_latest"),
        Column("investment_vnd", "Vốn đầu tư (đồng)", INTEGER, help=VND_HELP, example="1.500.000.000"),
    ),
    model=CPMeasure, planner=importers.MeasurePlanner, export_rows=_measure_rows,
    export_filters=ESTABLISHMENT_AND_YEAR,
))


# ---- assistance ------------------------------------------------------------------------

def _assistance_rows(qs):
    rows = qs.order_by("establishment__code", "year", "date", "kind", "pk").values_list(
        "establishment__code", "date", "year", "date_earliest", "date_latest", "kind", "description", "amount_vnd")
    for code, day, year, earliest, latest, kind, description, amount in rows.iterator(chunk_size=CHUNK):
        yield [code, day if day else year, earliest, latest, kind, description, amount]


register(ImportKind(
    "assistance", _("Assistance"),
    _("One row per assistance record, matched on establishment code, date (or year) and kind."),
    columns=(
        ESTABLISHMENT_CODE,
        Column("date", "Ngày", DATE_OR_YEAR, True,
               _("dd/mm/yyyy or yyyy-mm-dd; only the year (e.g. 2016) when the day is not known; empty when "
                 "the date is known only as a range of years."),
               example="15/06/2016"),
        *year_range_columns("date_earliest", "date_latest"),
        Column("kind", "Hình thức hỗ trợ", CHOICE, True, _("Assistance kind code or name."),
               choices=AssistanceKind, example="survey"),
        Column("description", "Nội dung", TEXT, example="Khảo sát hiện trạng sản xuất"),
        Column("amount_vnd", "Kinh phí (đồng)", INTEGER, help=VND_HELP, example="25000000"),
    ),
    model=AssistanceRecord, planner=importers.AssistancePlanner, export_rows=_assistance_rows,
    export_filters=ESTABLISHMENT_AND_YEAR,
))


# ---- attendance ------------------------------------------------------------------------

def _attendances(qs):
    """The attendances of `qs` (attendances, or events: every attendance at them)."""
    if qs.model is Event:
        return Attendance.objects.filter(event__in=qs.values("pk"))
    return qs


def _attendance_rows(qs):
    rows = _attendances(qs).order_by("event__code", "person__name", "person__organisation", "pk").values_list(
        "event__code", "event__title", "event__kind", "event__start_date", "person__name", "person__category",
        "person__organisation", "person__establishment__code", "person__gender", "completed")
    for row in rows.iterator(chunk_size=CHUNK):
        row = list(row)
        row[7], row[9] = row[7] or "", _yes_no(row[9])
        yield row


register(ImportKind(
    "attendance", _("Attendance"),
    _("One row per person at an event. An event (by code) or a person (by name and organisation) not "
      "yet in the portal is created; the event columns are repeated on each row and must agree."),
    columns=(
        Column("event_code", "Mã sự kiện", TEXT, True, _("Stable code of the event, e.g. HT-2016-01."),
               example="HT-2016-01"),
        Column("event_title", "Tên sự kiện", TEXT, True, example="Hội thảo phổ biến SXSH 2016"),
        Column("event_kind", "Loại sự kiện", CHOICE, True, _("Event kind code or name."),
               choices=EventKind, example="workshop"),
        Column("event_start", "Ngày bắt đầu", DATE, True, _("dd/mm/yyyy or yyyy-mm-dd"),
               example="20/09/2016"),
        Column("person_name", "Họ và tên", TEXT, True, example="Nguyễn Thị Hồng"),
        Column("person_category", "Đối tượng", CHOICE, True, _("Staff category code or name."),
               choices=StaffCategory, example="technical_staff"),
        Column("organisation", "Đơn vị công tác", TEXT,
               help=_("With the name, identifies the person."), example="Nhà máy tinh bột sắn Đắk Tô"),
        Column("establishment_code", "Mã cơ sở", REF,
               help=_("Establishment the person works at (needed for technical staff)."),
               ref="establishment", example="KT-0101"),
        Column("gender", "Giới tính", CHOICE, help=_("female, male or unspecified"), choices=Gender,
               example="female"),
        Column("completed", "Hoàn thành", BOOL, help=_("yes or no; empty counts as yes."), example="yes"),
    ),
    model=Attendance, planner=importers.AttendancePlanner, export_rows=_attendance_rows,
    export_count=lambda qs: _attendances(qs).count(),
    export_filters={"establishment": "person__establishment__code", "year": "event__start_date__year",
                    "event": "event__code"},
))


# ---- headcounts ------------------------------------------------------------------------

def _headcount_rows(qs):
    for h in qs.order_by("year", "category"):
        yield [h.year, h.category, h.headcount]


register(ImportKind(
    "headcounts", _("Staff headcounts"),
    _("One row per year and staff category: how many staff there are (the denominators)."),
    columns=(
        Column("year", "Năm", INTEGER, True, YEAR_HELP, example="2018"),
        Column("category", "Đối tượng", CHOICE, True, _("Staff category code or name."),
               choices=StaffCategory, example="gov_staff"),
        Column("headcount", "Số lượng", INTEGER, True, example="45"),
    ),
    model=StaffHeadcount, planner=importers.HeadcountPlanner, export_rows=_headcount_rows,
    export_filters={"year": "year"},
))


# ---- registry coverage -----------------------------------------------------------------

def _registry_rows(qs):
    for c in qs.order_by("year"):
        yield [c.year, _yes_no(c.complete), c.note]


register(ImportKind(
    "registry", _("Registry coverage"),
    _("One row per year: whether the registry of establishments is confirmed complete for that year, "
      "with a note. Only administrators import it; the importing user is recorded as the one who "
      "confirmed it."),
    columns=(
        Column("year", "Năm", INTEGER, True, YEAR_HELP, example="2018"),
        Column("complete", "Danh sách cơ sở đầy đủ", BOOL, True, _("yes or no"), example="no"),
        Column("note", "Ghi chú", TEXT, example="Báo cáo năm 2018 chỉ nêu tên 7 doanh nghiệp"),
    ),
    model=RegistryCoverage, planner=importers.RegistryPlanner, export_rows=_registry_rows,
    export_filters={"year": "year"}, admin_only=True,
))


# ---- places ----------------------------------------------------------------------------

def _place_rows(qs):
    """Places in the import's columns; two queries (the places with their parents, every succession link)."""
    former, bases = {}, {}
    for link in PlaceSuccession.objects.select_related("predecessor").order_by("predecessor__code", "pk"):
        former.setdefault(link.successor_id, []).append(link.predecessor.code)
        if link.legal_basis:
            bases.setdefault(link.successor_id, link.legal_basis)
    places = qs.select_related("parent").order_by(F("valid_from").asc(nulls_first=True), "code", "pk")
    for p in places:
        yield [p.code, p.name_vi, p.name_en, p.level, _code(p.parent), p.valid_from, p.valid_to,
               "; ".join(former.get(p.pk, ())), bases.get(p.pk, "")]


register(ImportKind(
    "places", _("Places"),
    _("One row per administrative unit (province, district, commune...), matched on its code and valid-from "
      "date. The template's row is a made-up example (code VD-001): replace it. The parent and the former units are given by code, in the same file or already in the portal; "
      "each former unit is linked to the new unit from its valid-from date. Only administrators import it."),
    columns=(
        Column("code", "Mã địa bàn", TEXT, True, _("Statistical code; one place at a time may use a code."),
               example="VD-001"),
        Column("name", "Tên địa bàn", TEXT, True, _("Vietnamese name."),
               example="Xã Ví Dụ (ví dụ, không phải dữ liệu thật)"),
        Column("name_en", "Tên tiếng Anh", TEXT, example="Vi Du commune (example, not real data)"),
        Column("level", "Cấp", CHOICE, True, _("country, province, city, district or commune"),
               choices=Place.Level, example="commune"),
        Column("parent_code", "Mã địa bàn cấp trên", TEXT,
               help=_("Code of the unit it is part of, valid when it starts, e.g. 51."), example=""),
        Column("valid_from", "Hiệu lực từ ngày", DATE, help=_("dd/mm/yyyy or yyyy-mm-dd; empty: always."),
               example="01/07/2025"),
        Column("valid_to", "Hiệu lực đến ngày", DATE, help=_("dd/mm/yyyy or yyyy-mm-dd; empty: still valid."),
               example=""),
        Column("predecessor_codes", "Mã các địa bàn trước đây", TEXT,
               help=_("Codes of the former units it succeeded, separated by ; (valid the day before it starts), "
                      "e.g. 615; 23456."), example=""),
        Column("legal_basis", "Căn cứ pháp lý", TEXT, help=_("Of the succession, e.g. Nghị quyết 202/2025/QH15."),
               example=""),
    ),
    model=Place, planner=importers.PlacePlanner, export_rows=_place_rows,
    export_filters={"code": "code"}, admin_only=True,
))


KIND_CHOICES = kind_choices()  # ImportRecord's choices: every kind declared above
