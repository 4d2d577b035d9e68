"""Clearly-labelled synthetic data for demonstrations and benchmarks.

Every row it makes is marked: establishment and event codes start with
``DEMO-``, names and titles end with "(dữ liệu mẫu)", headcount notes start
with ``DEMO``. ``--clear`` removes exactly those rows; official records (the
2009–2018 fixture, anything entered by hand) are never changed or deleted.

The same ``--seed`` and ``--establishments`` give the same rows: each
establishment draws from its own generator seeded with (seed, its number), so
the data does not depend on batch size or database ids.

Speed (100,000 establishments, about six million rows, in under two minutes;
docs/performance.md): rows are built as plain tuples and written a batch at a
time by ``dataio.bulk_rows`` (COPY on PostgreSQL), with ids taken up front so
that no row is read back, and the tables' plain indexes (and PostgreSQL's
foreign keys) are rebuilt once at the end, all in one transaction. No
``full_clean()`` runs per row: the values are valid by construction (years,
outputs and quantities within the models' limits, codes unique, choices from their own
enumerations), and ``test_rows_written_without_full_clean_pass_it`` checks it.
"""
import random
import resource
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext

from dataio.bulk_rows import IdAllocator, RowWriter, keys_and_indexes_rebuilt_at_end
from establishments import models as est_models
from indicators.models import AnnualReport, ResourceLine, ResourceType
from training.models import Attendance, Event, EventKind, Gender, Person, StaffCategory, StaffHeadcount

DEMO_PREFIX = "DEMO-"
DEMO_MARK = "(dữ liệu mẫu)"
HEADCOUNT_NOTE = "DEMO — dữ liệu mẫu (synthetic demo data)"
FIRST_YEAR = 2009
LAST_YEAR = 2020
PLACE_CODES = [str(c) for c in range(608, 619) if c != 609]  # 608, 610..618 (no 609)
THREE = Decimal("0.001")

# sector code, weight, product, product unit, (low, high) yearly output
SECTORS = [
    ("tapioca_starch", 25, "Tinh bột sắn", "t", (3000, 40000)),
    ("rubber_latex", 30, "Mủ cao su khối SVR", "t", (800, 10000)),
    ("construction_materials", 15, "Gạch nung", "1000 viên", (2000, 30000)),
    ("food_processing", 12, "Thực phẩm chế biến", "t", (200, 5000)),
    ("wood_processing", 10, "Gỗ xẻ, đồ gỗ", "m³", (500, 10000)),
    ("cooperative_other", 5, "Sản phẩm hợp tác xã", "t", (50, 1500)),
    ("other", 3, "Sản phẩm khác", "t", (100, 2000)),
]
SECTOR_WORDS = {
    "tapioca_starch": "Nhà máy tinh bột sắn",
    "rubber_latex": "Nhà máy chế biến mủ cao su",
    "construction_materials": "Cơ sở sản xuất gạch",
    "food_processing": "Cơ sở chế biến thực phẩm",
    "wood_processing": "Xưởng chế biến gỗ",
    "cooperative_other": "Hợp tác xã",
    "other": "Cơ sở sản xuất",
}
LEGAL_FORMS = ["llc", "one_member_llc", "joint_stock", "private", "cooperative", "household", "dependent_unit"]


def _recipe(sector, rng):
    """Resource use per unit of product: {resource code: (typical value)}.

    Tapioca and rubber follow DOMAIN.md's typical figures; the other sectors
    use rough plausible figures (synthetic data only).
    """
    u = rng.uniform
    if sector == "tapioca_starch":
        recipe = {"cassava_roots": u(4.2, 4.3), "water": u(10, 30), "electricity": u(150, 250)}
        if rng.random() < 0.35:  # biogas from wastewater replaces most drying fuel
            recipe["biogas"] = u(60, 80)
            recipe["fuel_oil"] = u(3, 8)
        else:
            recipe["fuel_oil"] = u(40, 50)
        return recipe
    if sector == "rubber_latex":
        latex = "field_latex" if rng.random() < 0.5 else "cup_lump"
        return {
            latex: u(2.8, 3.3) if latex == "field_latex" else u(1.6, 1.9),
            "water": u(15, 40), "electricity": u(150, 300), "diesel": u(30, 60), "chemicals": u(5, 20),
        }
    if sector == "construction_materials":
        return {"other_material": u(2.5, 3.0), "coal": u(0.12, 0.2), "electricity": u(20, 40), "water": u(0.5, 1.5)}
    if sector == "food_processing":
        return {"other_material": u(1.1, 1.4), "electricity": u(100, 300), "water": u(5, 15), "firewood": u(0.1, 0.4)}
    if sector == "wood_processing":
        return {"other_material": u(1.6, 2.0), "electricity": u(60, 120), "biomass": u(0.05, 0.1), "water": u(0.2, 0.5)}
    return {"other_material": u(1.05, 1.3), "electricity": u(50, 200), "water": u(2, 10), "lpg": u(5, 20)}


MATERIAL_CODES = {"cassava_roots", "field_latex", "cup_lump", "chemicals", "other_material"}

MEASURE_TITLES = {
    est_models.MeasureCategory.GOOD_HOUSEKEEPING: ["Quản lý nội vi, khắc phục rò rỉ nước", "Tắt thiết bị khi không sử dụng"],
    est_models.MeasureCategory.INPUT_CHANGE: ["Thay đổi nguyên liệu đầu vào", "Dùng hóa chất ít độc hại hơn"],
    est_models.MeasureCategory.PROCESS_CONTROL: ["Kiểm soát nhiệt độ lò sấy", "Lắp đồng hồ đo nước, điện từng công đoạn"],
    est_models.MeasureCategory.EQUIPMENT_MODIFICATION: ["Lắp biến tần cho động cơ bơm", "Thay đèn tiết kiệm năng lượng"],
    est_models.MeasureCategory.TECHNOLOGY_CHANGE: ["Đổi mới công nghệ sấy", "Thay lò đốt than bằng lò hiệu suất cao"],
    est_models.MeasureCategory.ONSITE_RECOVERY: ["Tuần hoàn nước rửa", "Thu hồi nước ngưng lò hơi"],
    est_models.MeasureCategory.BY_PRODUCT: ["Thu hồi biogas từ nước thải", "Sản xuất phân bón từ bã thải"],
    est_models.MeasureCategory.PRODUCT_MODIFICATION: ["Cải tiến bao bì sản phẩm", "Điều chỉnh quy cách sản phẩm"],
    est_models.MeasureCategory.END_OF_PIPE: ["Hệ thống xử lý nước thải", "Hệ thống xử lý khí thải lò sấy"],
}
CP_CATEGORIES = [c for c in est_models.MeasureCategory if c != est_models.MeasureCategory.END_OF_PIPE]

EVENT_TITLES = {
    EventKind.WORKSHOP: "Hội thảo phổ biến sản xuất sạch hơn",
    EventKind.TRAINING_COURSE: "Khóa tập huấn đánh giá sản xuất sạch hơn",
    EventKind.MEDIA: "Phóng sự truyền hình về sản xuất sạch hơn",
}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Y", "A"]
MIDDLE = {"female": ["Thị", "Thị Thu", "Ngọc", "Thị Hồng"], "male": ["Văn", "Đức", "Minh", "Quang"],
          "unspecified": ["Thanh", "Ngọc", "Minh"]}
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Lan", "Linh", "Long", "Mai",
         "Nam", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Xuân", "Yến", "Blông", "Hờ"]


def dec(value):
    return Decimal.quantize(Decimal(repr(value)), THREE, ROUND_HALF_UP)  # positional: a hot path


def resource_category(code):
    return "material" if code in MATERIAL_CODES else "water" if code == "water" else "energy"


def person_name(rng, gender):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN)} {DEMO_MARK}"


def pick_gender(rng):
    r = rng.random()
    return Gender.FEMALE if r < 0.45 else Gender.MALE if r < 0.95 else Gender.UNSPECIFIED


# Columns written per table, in the order of the tuples built below; every other column takes its default.
ESTABLISHMENT_FIELDS = (
    "id", "code", "name", "legal_form", "parent_organisation", "place_id", "sector_id", "address", "main_products",
    "employees", "technical_staff", "cp_potential", "cp_potential_assessed_on", "established_year", "status",
    "closed_year", "notes",
)
REPORT_FIELDS = ("id", "establishment_id", "year", "product", "product_unit", "output", "notes")
LINE_FIELDS = ("report_id", "resource_type_id", "quantity")
MEASURE_FIELDS = (
    "establishment_id", "title", "category", "status", "year", "investment_vnd", "expected_savings_vnd",
    "achieved_savings_vnd", "environmental_benefit", "wastewater_capacity_m3_day", "description",
)
ASSISTANCE_FIELDS = (
    "establishment_id", "year", "date", "kind", "support_group_id", "staff_involved", "funding_source",
    "amount_vnd", "description", "outcome",
)
PERSON_FIELDS = ("id", "name", "category", "organisation", "establishment_id", "gender")
ATTENDANCE_FIELDS = ("event_id", "person_id", "completed")
EVENT_FIELDS = (
    "id", "code", "title", "kind", "start_date", "end_date", "place", "organiser", "topic", "audience_reached",
)
HEADCOUNT_FIELDS = ("year", "category", "headcount", "note")
TABLES = {
    "establishments": (est_models.Establishment, ESTABLISHMENT_FIELDS),
    "reports": (AnnualReport, REPORT_FIELDS),
    "lines": (ResourceLine, LINE_FIELDS),
    "measures": (est_models.CPMeasure, MEASURE_FIELDS),
    "assistance": (est_models.AssistanceRecord, ASSISTANCE_FIELDS),
    "people": (Person, PERSON_FIELDS),
    "attendance": (Attendance, ATTENDANCE_FIELDS),
    "events": (Event, EVENT_FIELDS),
    "headcounts": (StaffHeadcount, HEADCOUNT_FIELDS),
}
WRITTEN_MODELS = [model for model, _fields in TABLES.values()]


@dataclass
class Plan:
    """Everything to insert for one establishment, as tuples of the *_FIELDS columns.

    Report and person ids are taken when the batch is written, so a report is kept without its id
    (``REPORT_FIELDS[1:]``) beside its lines ``(resource type id, quantity)``, and a person
    (``PERSON_FIELDS[1:]``) beside its attendance ``(event index, completed)``.
    """

    establishment: tuple
    reports: list = field(default_factory=list)
    measures: list = field(default_factory=list)
    assistance: list = field(default_factory=list)
    people: list = field(default_factory=list)


def peak_memory_mb():
    """The process's peak resident memory (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Command(BaseCommand):
    help = (
        "Create clearly-labelled synthetic data (codes DEMO-…, names marked '(dữ liệu mẫu)') for "
        "demonstrations and benchmarks: establishments, annual reports 2009–2020, CP measures, "
        "assistance, events, attendance and headcounts. Reproducible for a seed. Rows are written "
        "straight into the tables (COPY on PostgreSQL), batch by batch, in one transaction that locks "
        "the tables it fills until it ends; no history (django-simple-history) is recorded for synthetic "
        "data. Official records are never changed; --clear removes only earlier demo data. Ends with the "
        "peak memory of the process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--establishments", type=int, default=50, help="How many establishments (0–1,000,000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--clear", action="store_true", help="Delete earlier demo data first (only DEMO- rows).")
        parser.add_argument("--batch-size", type=int, default=2000, help="Establishments per batch.")

    def handle(self, *args, **opts):
        n = opts["establishments"]
        if not 0 <= n <= 1_000_000:
            raise CommandError("--establishments must be between 0 and 1,000,000.")
        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.seed = opts["seed"]
        self.started = time.monotonic()
        with transaction.atomic():
            if opts["clear"]:
                self.clear()
            elif demo_data_exists():
                raise CommandError("Demo data already exists; run again with --clear to replace it.")
            if n:
                self.generate(n, opts["batch_size"])
        if n:
            # Fresh statistics for the query planner, as after a restore: without them PostgreSQL plans the
            # dashboard's queries for empty tables until autovacuum comes by (7× slower at 1,000 establishments).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.say(f"Done in {time.monotonic() - self.started:.1f} s.")
        self.say(gettext("Peak memory: %(mb)s MB.") % {"mb": f"{peak_memory_mb():,.0f}"})

    # -- output -----------------------------------------------------------
    def say(self, text):
        self.stdout.write(text)
        self.stdout.flush()

    # -- clearing ---------------------------------------------------------
    def clear(self):
        counts = clear_demo_data()
        self.say("Deleted earlier demo data: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    # -- generation -------------------------------------------------------
    def generate(self, n, batch_size):
        places = dict(est_models.Place.objects.filter(code__in=PLACE_CODES).values_list("code", "pk"))
        sectors = dict(est_models.Sector.objects.filter(code__in=[s[0] for s in SECTORS]).values_list("code", "pk"))
        resources = dict(ResourceType.objects.values_list("code", "pk"))
        missing = sorted(set(PLACE_CODES) - set(places)) + sorted({s[0] for s in SECTORS} - set(sectors))
        missing += sorted({c for s in SECTORS for c in _recipe(s[0], random.Random(0))} - set(resources))
        if missing:
            raise CommandError(f"Reference data missing (run migrate): {', '.join(missing)}")
        self.places, self.sectors, self.resources = places, sectors, resources
        # The official CP Support Group is referred to (never changed) when it exists.
        self.support_group_id = est_models.SupportGroup.objects.order_by("pk").values_list("pk", flat=True).first()
        self.open_writers()
        with keys_and_indexes_rebuilt_at_end(WRITTEN_MODELS):
            totals = self.write_rows(n, batch_size)
        self.say("Created: " + ", ".join(f"{k} {v:,}" for k, v in totals.items()))

    def write_rows(self, n, batch_size):
        self.events = self.make_events(n)
        self._pools = {}
        self.say(f"Events: {len(self.events):,}")
        staff_people, staff_attendance = self.make_staff(n)

        width = max(6, len(str(n)))
        totals = dict(establishments=0, reports=0, lines=0, measures=0, assistance=0, people=staff_people,
                      attendance=staff_attendance)
        for start in range(0, n, batch_size):
            numbers = range(start + 1, min(n, start + batch_size) + 1)
            ids = self.establishment_ids.take(len(numbers))
            plans = [self.plan_establishment(i, width, pk) for i, pk in zip(numbers, ids)]
            for key, value in self.insert(plans).items():
                totals[key] += value
            self.say(
                f"  {totals['establishments']:,} / {n:,} establishments, {totals['reports']:,} reports, "
                f"{totals['lines']:,} resource lines ({time.monotonic() - self.started:.1f} s)"
            )
        return totals

    def open_writers(self):
        self.write = {name: RowWriter(model, fields).write for name, (model, fields) in TABLES.items()}
        self.establishment_ids = IdAllocator(est_models.Establishment)
        self.report_ids = IdAllocator(AnnualReport)
        self.person_ids = IdAllocator(Person)

    def make_events(self, n):
        rng = random.Random(f"{self.seed}:events")
        count = max(9, min(3000, n // 5))
        kinds = [EventKind.WORKSHOP, EventKind.TRAINING_COURSE, EventKind.MEDIA]
        rows = []
        for i, pk in enumerate(IdAllocator(Event).take(count), start=1):
            kind = kinds[i - 1] if i <= 3 else rng.choices(kinds, weights=[50, 35, 15])[0]
            # The first twelve events cover every year once; the rest fall anywhere.
            span = LAST_YEAR - FIRST_YEAR + 1
            year = FIRST_YEAR + (i - 1) % span if i <= span else rng.randint(FIRST_YEAR, LAST_YEAR)
            start = date(year, 1, 1) + timedelta(days=rng.randint(0, 360))
            days = rng.randint(1, 5) if kind == EventKind.TRAINING_COURSE else rng.randint(0, 1)
            place_code = rng.choice(PLACE_CODES)
            rows.append((
                pk,
                f"{DEMO_PREFIX}E{i:05d}",
                f"{EVENT_TITLES[kind]} {year} – số {i} {DEMO_MARK}",
                kind,
                start,
                None if kind == EventKind.MEDIA else start + timedelta(days=days),
                "" if kind == EventKind.MEDIA else f"Hội trường (mẫu), mã địa bàn {place_code}",
                f"Sở Công Thương tỉnh Kon Tum {DEMO_MARK}",
                "Lợi ích và phương pháp áp dụng sản xuất sạch hơn (synthetic demo data).",
                rng.randint(5000, 200000) if kind == EventKind.MEDIA else None,
            ))
        self.write["events"](rows)
        return [(pk, kind, start.year) for pk, _code, _title, kind, start, *_rest in rows]

    def events_for(self, rng, kinds, k, from_year=FIRST_YEAR, to_year=LAST_YEAR):
        """k distinct event indexes of the given kinds within the years (deterministic order)."""
        key = (tuple(kinds), from_year, to_year)
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = [
                i for i, (_, kind, year) in enumerate(self.events) if kind in kinds and from_year <= year <= to_year
            ]
        if not pool:
            return []
        return sorted(rng.sample(pool, min(k, len(pool))))

    def make_staff(self, n):
        """Government and CP-responsible staff: headcounts per year and the people who attend."""
        rng = random.Random(f"{self.seed}:staff")
        official = set(
            StaffHeadcount.objects.filter(category__in=[StaffCategory.GOV_STAFF, StaffCategory.CP_STAFF])
            .values_list("year", "category")
        )
        base = {StaffCategory.GOV_STAFF: 60 + n // 20, StaffCategory.CP_STAFF: 10 + n // 200}
        headcounts, latest = [], {}
        for category in (StaffCategory.GOV_STAFF, StaffCategory.CP_STAFF):
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                value = round(base[category] * (0.85 + 0.015 * (year - FIRST_YEAR)) * rng.uniform(0.97, 1.03))
                latest[category] = value
                if (year, category) not in official:
                    headcounts.append((year, category, value, HEADCOUNT_NOTE))
        self.write["headcounts"](headcounts)
        people = []
        for category, share in ((StaffCategory.GOV_STAFF, 0.95), (StaffCategory.CP_STAFF, 1.0)):
            for _ in range(round(latest[category] * share)):
                gender = pick_gender(rng)
                if category == StaffCategory.GOV_STAFF:
                    org = rng.choice(["Sở Công Thương", "Sở Tài nguyên và Môi trường", "Sở Khoa học và Công nghệ",
                                      "Phòng Kinh tế – Hạ tầng huyện"])
                    kinds, k = [EventKind.WORKSHOP, EventKind.TRAINING_COURSE], rng.choice([0, 1, 1, 2, 3])
                else:
                    org = "Sở Công Thương – Tổ hỗ trợ SXSH"
                    kinds, k = [EventKind.TRAINING_COURSE], rng.choice([0, 1, 1, 2])
                person = (person_name(rng, gender), category, f"{org} {DEMO_MARK}", None, gender)
                attends = [(e, rng.random() < 0.85) for e in self.events_for(rng, kinds, k)]
                people.append((person, attends))
        for _ in range(max(3, n // 100)):
            gender = pick_gender(rng)
            person = (person_name(rng, gender), StaffCategory.OTHER, f"Báo Kon Tum {DEMO_MARK}", None, gender)
            people.append((person, [(e, True) for e in self.events_for(rng, [EventKind.WORKSHOP], 1)]))
        attendance = self.insert_people(people)
        self.say(f"Staff: {len(headcounts)} headcounts, {len(people):,} people")
        return len(people), attendance

    def plan_establishment(self, i, width, pk):
        rng = random.Random(f"{self.seed}:establishment:{i}")
        sector, _w, product, unit, (out_lo, out_hi) = rng.choices(SECTORS, weights=[s[1] for s in SECTORS])[0]
        established = rng.choice([None, None] + list(range(1995, 2016)))
        closed = None
        if rng.random() < 0.06:
            closed = rng.randint(max(2012, (established or 2000) + 1), LAST_YEAR)
        potential = rng.random() < 0.6
        technical = rng.randint(1, 20)
        name = f"{SECTOR_WORDS[sector]} mẫu số {i} {DEMO_MARK}"
        plan = Plan((  # the order of ESTABLISHMENT_FIELDS
            pk,
            f"{DEMO_PREFIX}{i:0{width}d}",
            name,
            rng.choice(LEGAL_FORMS),
            "",
            self.places[rng.choice(PLACE_CODES)],
            self.sectors[sector],
            f"Địa chỉ mẫu {i} {DEMO_MARK}",
            product,
            technical + rng.randint(5, 480),
            technical,
            potential,
            date(rng.randint(2013, 2016), rng.randint(1, 12), rng.randint(1, 28)) if potential else None,
            established,
            est_models.Establishment.Status.CLOSED if closed else est_models.Establishment.Status.ACTIVE,
            closed,
            f"Dữ liệu mẫu tạo tự động (generate_demo_data, seed {self.seed}) — synthetic demo data, not real.",
        ))
        first = max(FIRST_YEAR, established or FIRST_YEAR)
        last = min(LAST_YEAR, closed - 1 if closed else LAST_YEAR)
        years = list(range(first, last + 1))

        # Adoption: the first implemented CP measure, with a report the year before.
        adoption = None
        earliest, latest = max(first + 1, 2010), min(last, 2019)
        if potential and earliest <= latest and rng.random() < 0.45:
            adoption = rng.randint(earliest, latest)
        self.plan_measures(rng, plan, pk, adoption, years)

        recipe = _recipe(sector, rng)
        cut = {"energy": rng.uniform(0.03, 0.15), "material": rng.uniform(0.03, 0.10), "water": rng.uniform(0.03, 0.15)}
        # (resource type, use per unit of product, share kept once the establishment has adopted CP)
        recipe = [(self.resources[code], per_unit, 1 - cut[resource_category(code)]) for code, per_unit in recipe.items()]
        output = rng.uniform(out_lo, out_hi)
        uniform = rng.uniform
        for year in years:
            output *= uniform(0.9, 1.12)
            adopted = adoption and year >= adoption
            lines = []
            for resource_id, per_unit, kept in recipe:
                factor = uniform(0.98, 1.02)
                if adopted:
                    factor *= kept
                lines.append((resource_id, dec(per_unit * factor * output)))
            plan.reports.append(((pk, year, product, unit, dec(output), DEMO_MARK), lines))

        if potential and rng.random() < 0.15:
            for year in sorted(rng.sample(range(2014, LAST_YEAR + 1), rng.randint(1, 2))):
                plan.assistance.append((  # the order of ASSISTANCE_FIELDS
                    pk,
                    year,
                    date(year, rng.randint(1, 12), rng.randint(1, 28)),
                    rng.choice(list(est_models.AssistanceKind)),
                    self.support_group_id,
                    f"Tổ hỗ trợ SXSH {DEMO_MARK}",
                    rng.choice(["Kinh phí khuyến công", "Ngân sách tỉnh", "Dự án hỗ trợ"]),
                    rng.randrange(10_000_000, 300_000_000, 1_000_000),
                    f"Hỗ trợ kỹ thuật {DEMO_MARK}",
                    rng.choice(["", "Đã lập kế hoạch SXSH", "Đã đánh giá quy trình sản xuất"]),
                ))

        if potential and rng.random() < 0.75:
            from_year, to_year = first, last
            gender = pick_gender(rng)
            plan.people.append((
                (person_name(rng, gender), StaffCategory.MANAGER, name, pk, gender),
                [(e, True) for e in self.events_for(rng, [EventKind.WORKSHOP], 1, from_year, to_year)],
            ))
            for _ in range(rng.randint(0, min(3, technical))):
                gender = pick_gender(rng)
                kinds = [EventKind.TRAINING_COURSE, EventKind.WORKSHOP]
                attends = [(e, rng.random() < 0.8)
                           for e in self.events_for(rng, kinds, rng.randint(1, 2), from_year, to_year)]
                person = (person_name(rng, gender), StaffCategory.TECHNICAL_STAFF, name, pk, gender)
                plan.people.append((person, attends))
        return plan

    def plan_measures(self, rng, plan, pk, adoption, years):
        used = set()

        def add(category, status, year, capacity=None):
            titles = [t for t in MEASURE_TITLES[category] if t not in used]
            if not titles:
                return
            title = rng.choice(titles)
            used.add(title)
            investment = rng.randrange(20_000_000, 5_000_000_000, 1_000_000)
            plan.measures.append((  # the order of MEASURE_FIELDS
                pk, title, category, status, year,
                investment,
                investment * rng.randint(15, 60) // 100,
                investment * rng.randint(10, 50) // 100
                if status == est_models.MeasureStatus.IMPLEMENTED and category != est_models.MeasureCategory.END_OF_PIPE else None,
                "Giảm nước thải và khí thải" if rng.random() < 0.5 else "",
                capacity,
                f"Giải pháp mẫu {DEMO_MARK}",
            ))

        if adoption:
            add(rng.choice(CP_CATEGORIES), est_models.MeasureStatus.IMPLEMENTED, adoption)
            if rng.random() < 0.4 and adoption < LAST_YEAR:
                add(rng.choice(CP_CATEGORIES), est_models.MeasureStatus.IMPLEMENTED, rng.randint(adoption + 1, LAST_YEAR))
        if years and rng.random() < 0.3:
            status = rng.choice([est_models.MeasureStatus.PLANNED, est_models.MeasureStatus.IN_PROGRESS])
            add(rng.choice(CP_CATEGORIES), status, rng.randint(2018, 2021))
        if years and rng.random() < 0.2:
            status = rng.choice([est_models.MeasureStatus.IMPLEMENTED, est_models.MeasureStatus.IMPLEMENTED, est_models.MeasureStatus.IN_PROGRESS])
            add(est_models.MeasureCategory.END_OF_PIPE, status, rng.choice(years),
                capacity=Decimal(rng.randrange(100, 1500, 50)))

    # -- inserting --------------------------------------------------------
    def insert(self, plans):
        """Write one batch, parents first, ids taken from the allocators (no row is read back)."""
        report_ids = iter(self.report_ids.take(sum(len(plan.reports) for plan in plans)))
        reports, lines = [], []
        for plan in plans:
            for report, report_lines in plan.reports:
                report_id = next(report_ids)
                reports.append((report_id, *report))
                lines += [(report_id, resource_id, quantity) for resource_id, quantity in report_lines]
        counts = dict(
            establishments=self.write["establishments"]([plan.establishment for plan in plans]),
            reports=self.write["reports"](reports),
            lines=self.write["lines"](lines),
            measures=self.write["measures"]([row for plan in plans for row in plan.measures]),
            assistance=self.write["assistance"]([row for plan in plans for row in plan.assistance]),
        )
        people = [entry for plan in plans for entry in plan.people]
        counts["people"] = len(people)
        counts["attendance"] = self.insert_people(people)
        return counts

    def insert_people(self, people):
        ids = self.person_ids.take(len(people))
        self.write["people"]([(pk, *person) for pk, (person, _attends) in zip(ids, people)])
        return self.write["attendance"]([
            (self.events[e][0], pk, completed) for pk, (_person, attends) in zip(ids, people) for e, completed in attends
        ])


def demo_establishments():
    return est_models.Establishment.objects.filter(code__startswith=DEMO_PREFIX)


def demo_people():
    return Person.objects.filter(Q(name__endswith=DEMO_MARK) | Q(establishment__code__startswith=DEMO_PREFIX))


def demo_data_exists():
    return (
        demo_establishments().exists()
        or Event.objects.filter(code__startswith=DEMO_PREFIX).exists()
        or demo_people().exists()
        or StaffHeadcount.objects.filter(note=HEADCOUNT_NOTE).exists()
    )


def clear_demo_data(using=DEFAULT_DB_ALIAS):
    """Delete the demo rows only, children first, without per-row signals.

    A plain queryset delete would load every row and write a history record
    for each (django-simple-history listens to deletes); synthetic data needs
    neither, so the rows go with one DELETE per table.
    """
    establishments = demo_establishments()
    events = Event.objects.filter(code__startswith=DEMO_PREFIX)
    people = demo_people()
    steps = [
        ("attendance", Attendance.objects.filter(event__code__startswith=DEMO_PREFIX)),
        ("attendance of demo people", Attendance.objects.filter(person__in=people)),
        ("people", people),
        ("resource lines", ResourceLine.objects.filter(report__establishment__code__startswith=DEMO_PREFIX)),
        ("reports", AnnualReport.objects.filter(establishment__code__startswith=DEMO_PREFIX)),
        ("measures", est_models.CPMeasure.objects.filter(establishment__code__startswith=DEMO_PREFIX)),
        ("assistance", est_models.AssistanceRecord.objects.filter(establishment__code__startswith=DEMO_PREFIX)),
        ("establishments", establishments),
        ("events", events),
        ("headcounts", StaffHeadcount.objects.filter(note=HEADCOUNT_NOTE)),
    ]
    counts = {}
    for label, queryset in steps:
        counts[label] = queryset._raw_delete(using)
    return counts
