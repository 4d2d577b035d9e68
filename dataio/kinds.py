"""What each kind of spreadsheet holds: its columns, their Vietnamese headers and value types.

The English header is the column's stable key; the Vietnamese header is
accepted too. Vietnamese headers are fixed text (not translated) because a file
must import the same whatever language its user's screen shows.
"""
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from establishments.models import AssistanceKind, Establishment, MeasureCategory, MeasureStatus
from training.models import EventKind, Gender, StaffCategory

TEXT, INTEGER, DECIMAL, DATE, BOOL, CHOICE, REF, DATE_OR_YEAR = (
    "text", "integer", "decimal", "date", "bool", "choice", "ref", "date_or_year",
)


@dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    type: str
    required: bool = False
    help: str = ""
    choices: type | None = None  # a TextChoices class for CHOICE columns
    ref: str = ""  # "place", "sector", "resource", "establishment" for REF columns
    example: str = ""
    former_headers: tuple = ()  # headers of earlier templates, still read so that old files import

    def header(self, language):
        """The column's name as a file in `language` ("vi" or "en") writes it: the templates' header row."""
        return self.header_vi if language == "vi" else self.key


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    description: str
    columns: list = field(default_factory=list)

    def column(self, key):
        return next(c for c in self.columns if c.key == key)


YEAR_HELP = _("Four digits, 1990–2100.")
VND_HELP = _("Whole number of đồng, no decimals.")
EST_CODE_HELP = _("Code of an establishment already in the portal.")

KINDS = {
    "establishments": Kind(
        "establishments", _("Establishments"),
        _("One row per establishment, matched on its code: a new code creates an establishment, "
          "a known code updates it."),
        [
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
        ],
    ),
    "reports": Kind(
        "reports", _("Annual reports"),
        _("One row per resource line. The rows of one establishment and year form one annual report: "
          "product, unit and output are repeated on each row and must agree. Lines already in a report "
          "and absent from the file are kept."),
        [
            Column("establishment_code", "Mã cơ sở", REF, True, EST_CODE_HELP, ref="establishment",
                   example="KT-0101"),
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
        ],
    ),
    "measures": Kind(
        "measures", _("CP measures"),
        _("One row per measure, matched on establishment code and title."),
        [
            Column("establishment_code", "Mã cơ sở", REF, True, EST_CODE_HELP, ref="establishment",
                   example="KT-0101"),
            Column("title", "Tên giải pháp", TEXT, True, example="Thu hồi biogas từ nước thải"),
            Column("category", "Nhóm giải pháp", CHOICE, True, _("Technique code or name."),
                   choices=MeasureCategory, example="by_product"),
            Column("status", "Tình trạng", CHOICE, help=_("planned, in_progress or implemented"),
                   choices=MeasureStatus, example="implemented"),
            Column("year", "Năm", INTEGER, help=YEAR_HELP, example="2015"),
            Column("investment_vnd", "Vốn đầu tư (đồng)", INTEGER, help=VND_HELP, example="1.500.000.000"),
        ],
    ),
    "assistance": Kind(
        "assistance", _("Assistance"),
        _("One row per assistance record, matched on establishment code, date (or year) and kind."),
        [
            Column("establishment_code", "Mã cơ sở", REF, True, EST_CODE_HELP, ref="establishment",
                   example="KT-0101"),
            Column("date", "Ngày", DATE_OR_YEAR, True,
                   _("dd/mm/yyyy or yyyy-mm-dd; only the year (e.g. 2016) when the day is not known."),
                   example="15/06/2016"),
            Column("kind", "Hình thức hỗ trợ", CHOICE, True, _("Assistance kind code or name."),
                   choices=AssistanceKind, example="survey"),
            Column("description", "Nội dung", TEXT, example="Khảo sát hiện trạng sản xuất"),
            Column("amount_vnd", "Kinh phí (đồng)", INTEGER, help=VND_HELP, example="25000000"),
        ],
    ),
    "attendance": Kind(
        "attendance", _("Attendance"),
        _("One row per person at an event. An event (by code) or a person (by name and organisation) not "
          "yet in the portal is created; the event columns are repeated on each row and must agree."),
        [
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
        ],
    ),
    "headcounts": Kind(
        "headcounts", _("Staff headcounts"),
        _("One row per year and staff category: how many staff there are (the denominators)."),
        [
            Column("year", "Năm", INTEGER, True, YEAR_HELP, example="2018"),
            Column("category", "Đối tượng", CHOICE, True, _("Staff category code or name."),
                   choices=StaffCategory, example="gov_staff"),
            Column("headcount", "Số lượng", INTEGER, True, example="45"),
        ],
    ),
}

KIND_CHOICES = [(key, kind.label) for key, kind in KINDS.items()]


def get_kind(key):
    return KINDS.get(key)
