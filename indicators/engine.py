"""The indicator engine: a plan and an "as of" year in, frozen dataclasses out.

Reads run in a constant number of queries whatever the data size
(`load_snapshot`: one narrow ``.values()`` query per table, aggregated in the
database where it can be); all arithmetic is in ``indicators.engine_math``.
The dashboard page, its exports, the printable report and the ``progress``
command all call `dashboard()` (or `indicator()` for one). Which indicators
there are, and the function that computes each from the snapshot (the
``*_figure`` functions below), is declared in ``indicators.registry``.
"""
import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial

from django.db import connections
from django.db.models import (
    BooleanField, Count, DecimalField, Exists, ExpressionWrapper, F, FloatField, Min, OuterRef, Q, Sum,
)
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from establishments import rules
from establishments.models import AssistanceRecord, CPMeasure, Establishment, RegistryCoverage
from establishments.places import establishments_within, within_ids
from training.models import Attendance, EventKind, StaffCategory, StaffHeadcount

from . import engine_math as m
from . import figures as sql
from . import records
from .models import AnnualReport, ReportedValue, ResourceLine, ResourceType
from .registry import registry

FIRST_YEAR = 2009  # the national strategy's first year: charts start here
MAX_LISTED = 30  # more adopters than this: the dashboard counts their reductions in bins, not one row each


def __getattr__(name):
    # `INDICATORS`: the codes on the dashboard, read from the registry when asked for (it is filled once
    # every module is loaded, see `indicators.registry`).
    if name == "INDICATORS":
        return list(registry.codes())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class TargetBounds:
    low: float
    high: float | None
    unit: str
    deadline_year: int
    description: str = ""


@dataclass(frozen=True)
class Reported:
    id: int
    value: float
    unit: str
    year: int
    period_start_year: int | None
    source_document: str
    source_date: object
    source_quote: str
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Computed:
    """What the records give for one indicator and year, before targets and reported values."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    n: int | None = None
    values: tuple = ()  # per-establishment reductions, for median and share
    numerator_ids: tuple = ()
    denominator_ids: tuple = ()


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    label: str
    unit: str
    plan_id: int
    year: int
    value: float | None  # the leading value: computed if any, else the latest reported
    computed: float | None
    numerator: float | None
    denominator: float | None
    n: int | None
    median: float | None
    share_reaching_low: float | None
    target: TargetBounds | None
    status: str | None  # None: the indicator has no target in this plan
    source: str  # computed | reported | both | none
    reported: Reported | None  # the published figure shown for this indicator, in its kind of unit
    numerator_ids: tuple
    denominator_ids: tuple
    progress: float | None
    projection: float | None
    projection_year: int | None
    gap: float | None
    series: tuple  # ((year, computed value or None), ...) from FIRST_YEAR to Y
    formula: str  # lazy: in the language it is shown in (a result is computed once for every language)
    # Registry coverage (DOMAIN.md): |POT(Y)| for an indicator judged on the registry (else None), and
    # whether the registry of Y is confirmed complete.
    registered: int | None = None
    registry_confirmed: bool = False
    # A published figure of another kind of unit (the report's 7 enterprises beside a percentage): shown beside
    # the value, never leading it, never judged against the target.
    reported_beside: Reported | None = None

    @property
    def not_assessable(self):
        return self.status == m.NOT_ASSESSABLE

    @property
    def coverage_reason(self):
        """Why the value is not judged against its target, in the active language ("" when it is)."""
        if not self.not_assessable:
            return ""
        return _("the registry of %(year)s is not confirmed complete") % {"year": self.year}

    @property
    def is_percentage(self):
        return self.unit == "%"

    @property
    def is_range(self):
        return bool(self.target and self.target.high is not None and self.target.high != self.target.low)


@dataclass(frozen=True)
class Completeness:
    reports_received: int
    establishments: int


@dataclass(frozen=True)
class Dashboard:
    plan_id: int
    year: int
    indicators: tuple
    completeness: Completeness
    by_place: tuple  # ((name, adopters, potential), ...)
    by_sector: tuple
    reductions: tuple  # ((establishment code, name, energy R or None, material R or None), ...): a few only
    training: tuple  # ((category label, female, male, unspecified), ...)
    assistance_per_year: tuple  # ((year, establishments), ...)
    # More adopters than `MAX_LISTED`: `reductions` is empty, and these say what they hold: the number of rows and
    # their energy and material reductions counted in bins ((low, high, energy n, material n), ...).
    reductions_total: int = 0
    reduction_bins: tuple = ()

    def get(self, code):
        return next(i for i in self.indicators if i.code == code)


@dataclass
class Snapshot:
    """Everything the engine reads, fetched once (see `load_snapshot`).

    ``reports_by_est`` = {establishment id: {year: report}}. A report is a dict
    (``id``, ``output``, ``product_unit`` and ``categories`` = {category: (use in
    the common unit, number of lines)}) for the establishments that may adopt
    CP (`may_adopt`), the only ones whose reductions are computed; for the
    others it is None: their reports count for completeness and for the years
    with data only.
    """

    plan: object
    # The plan's establishments: those whose place lies in its territory (`establishments.places`), as a
    # query used inside the other queries; None for a plan without a territory (every establishment).
    scope: object = None
    targets: dict = field(default_factory=dict)
    reported: dict = field(default_factory=dict)
    establishments: list = field(default_factory=list)
    measures_by_est: dict = field(default_factory=dict)
    reports_by_est: dict = field(default_factory=dict)
    people: list = field(default_factory=list)
    headcounts: list = field(default_factory=list)
    assistance: list = field(default_factory=list)
    confirmed_years: set = field(default_factory=set)  # years whose registry is confirmed complete
    data_years: set = field(default_factory=set)
    # POT(Y), A(Y), reduction rows and computed figures per year, each
    # establishment's baseline year and the people of each staff category,
    # computed once: a dashboard asks for them for every year of every series.
    memo: dict = field(default_factory=dict, repr=False)

    def remember(self, key, compute):
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def potential(self, year):
        return self.remember(("pot", year), lambda: m.potential(self.establishments, year))

    def potential_ids(self, year):
        return self.remember(("pot_ids", year), lambda: {e["id"] for e in self.potential(year)})

    def adopters(self, year):
        return self.remember(("adopt", year), lambda: m.adopters(self.potential(year), self.measures_by_est, year))

    def adopter_rows(self, year):
        """The rows of POT(Y) that are in A(Y), in the order of POT(Y)."""
        def rows():
            adopt = self.adopters(year)
            return [e for e in self.potential(year) if e["id"] in adopt]
        return self.remember(("adopter_rows", year), rows)

    def baseline_year(self, est):
        """`engine_math.baseline_year` of an establishment row (it depends on no year)."""
        baselines = self.memo.setdefault("baseline", {})
        if est["id"] not in baselines:
            baselines[est["id"]] = m.baseline_year(est, self.measures_by_est.get(est["id"], ()))
        return baselines[est["id"]]

    def people_in(self, category):
        """The rows of `people` of one staff category, in the same order."""
        return self.remember(("people", category), lambda: [p for p in self.people if p["category"] == category])

    # What `evaluate` and `dashboard_numbers` ask of a source of figures (`Figures` answers the same).
    def computed(self, indicator, year):
        return indicator.compute(self, year)

    def registered(self, year):
        return len(self.potential(year))

    def attendance_recorded(self, year):
        return _attendance_recorded(self, year)

    def year_numbers(self, year):
        """(completeness, place counts, sector counts, reduction table, training counts, assistance per year)."""
        return (completeness(self, year), _breakdown_counts(self, year, "place__name"),
                _breakdown_counts(self, year, "sector__name"), _reduction_table(self, year),
                _training_counts(self, year), assistance_per_year(self, year))


@dataclass
class Figures:
    """The engine's source of figures: per-year totals computed in the database (`indicators.figures`).

    `load_figures` reads the plan's targets, reported values, headcounts, confirmed years and years with data;
    the totals of every year of the dashboard come on first use in one go (`totals`), the details of the
    dashboard's own year likewise (`detail`). An indicator declared without `from_totals` (an indicator added
    with a Python function of the snapshot only) is computed from the reference `Snapshot`, loaded on demand.
    """

    plan: object
    scope: str = ""  # `figures.scope_of(plan)`: the SQL condition of the plan's territory
    targets: dict = field(default_factory=dict)
    reported: dict = field(default_factory=dict)
    headcounts: list = field(default_factory=list)
    confirmed_years: set = field(default_factory=set)
    data_years: set = field(default_factory=set)
    series: dict = field(default_factory=dict, repr=False)
    details: dict = field(default_factory=dict, repr=False)
    reduction_rows: dict = field(default_factory=dict, repr=False)
    memo: dict = field(default_factory=dict, repr=False)
    snapshot: object = field(default=None, repr=False)

    remember = Snapshot.remember

    def totals(self, year):
        """`figures.YearTotals` of `year`; the first call loads every year from 2009 to the last year of the
        plan or of the data (four queries, with the reductions of each adopter in `year` that `detail` needs),
        a later year loads them again up to it."""
        if year not in self.series:
            last = max([self.plan.end_year, self.plan.start_year, year] + list(self.data_years))
            years = range(min(FIRST_YEAR, self.plan.start_year, year), last + 1)
            series, self.reduction_rows[year] = sql.load_series(
                self.plan, years, registry.resource_categories(), self.scope, detail_year=year)
            self.series.update(series)
        return self.series[year]

    def detail(self, year):
        if year not in self.details:
            self.totals(year)  # the series of a new year bring the reductions of each adopter in it
            self.details[year] = sql.load_year(self.plan, year, registry.resource_categories(), self.scope,
                                               self.reduction_rows.pop(year, None))
        return self.details[year]

    def reference(self):
        if self.snapshot is None:
            self.snapshot = load_snapshot(self.plan)
        return self.snapshot

    def computed(self, indicator, year):
        if indicator.from_totals is None:
            return indicator.compute(self.reference(), year)
        return indicator.from_totals(self, year)

    def registered(self, year):
        return self.totals(year).potential

    def attendance_recorded(self, year):
        return self.totals(year).attended > 0

    def year_numbers(self, year):
        d = self.detail(year)
        return (Completeness(d.reports_received, d.potential), d.place_counts, d.sector_counts, d.reduction_table,
                self.totals(year).training_counts, d.assistance_per_year)

    def spread(self, indicator, year):
        """The defined reductions of `indicator`'s category in `year`: (values, establishment ids)."""
        pairs = self.detail(year).reduction_values.get(indicator.resource_category, ())
        return tuple(r for _, r in pairs), tuple(i for i, _ in pairs)


@contextmanager
def _gc_paused():
    """Pause Python's cyclic garbage collector while a snapshot is built or evaluated.

    Loading creates some 200,000 dicts and tuples at 10,000 establishments; the
    collector would walk all of them again and again as they pile up (a tenth
    of the time), to find no cycles to free. Nested uses keep it paused to the
    end of the outermost one.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_snapshot(plan):
    """Fetch the rows behind every indicator in ten queries, whatever the data size (twelve for a plan with a
    territory: its places are read once, `establishments.places.within_ids`)."""
    with _gc_paused():
        return _load_snapshot(plan)


def load_figures(plan):
    """The `Figures` of `plan`: its targets, reported values, headcounts, the years whose registry is
    confirmed complete and the years with data (five queries; seven with a territory). The totals come when
    first asked for (`Figures.totals`, four queries for every year; `Figures.detail`, three more)."""
    places = within_ids(plan.territory_id) if plan.territory_id is not None else None  # the territory, once
    src = Figures(plan=plan, scope=sql.scope_of(places))
    _load_plan_facts(src, None if places is None else Q(place_id__in=places))
    src.data_years.update(sql.data_years(plan, src.scope))
    return src


def _load_plan_facts(src, in_territory):
    """Targets, reported values, headcounts and confirmed years: small tables read the same for both sources."""
    plan = src.plan
    for t in plan.targets.all().order_by("deadline_year"):
        src.targets.setdefault(t.indicator_code, []).append(
            TargetBounds(float(t.low), float(t.high) if t.high is not None else None, t.unit, t.deadline_year,
                         t.description))
    # the published figures about a place inside the territory (every one for a plan without a territory)
    for rv in ReportedValue.objects.filter(in_territory or Q()).order_by("year", "id"):
        src.reported.setdefault(rv.indicator_code, []).append(Reported(
            rv.id, float(rv.value), rv.unit, rv.year, rv.period_start_year, rv.source_document, rv.source_date,
            rv.source_quote, _float_or_none(rv.numerator), _float_or_none(rv.denominator)))
        src.data_years.add(rv.year)
    src.headcounts = [(h["year"], h["category"], h["headcount"])
                      for h in StaffHeadcount.objects.order_by("year").values("year", "category", "headcount")]
    src.confirmed_years = set(RegistryCoverage.objects.filter(rules.registry_confirmed_q())
                              .values_list("year", flat=True))
    src.data_years.update(y for y, _, _ in src.headcounts)


def _in_territory(plan):
    """The filter of the rows whose place lies in the plan's territory (None: no territory, no filter).

    The one place where the engine applies the plan's territory: the establishments (and through them
    their measures, reports, assistance and people) and the reported values, whose place is the place
    they describe, are read through it.
    """
    if plan.territory_id is None:
        return None
    return establishments_within(plan.territory_id)


def _scope(in_territory):
    return None if in_territory is None else Establishment.objects.filter(in_territory).values("pk")


def _scoped(queryset, scope, field="establishment"):
    """`queryset` limited to the rows of the establishments in `scope` (all of them when `scope` is None)."""
    return queryset if scope is None else queryset.filter(**{f"{field}__in": scope})


def _load_snapshot(plan):
    in_territory = _in_territory(plan)
    snap = Snapshot(plan=plan, scope=_scope(in_territory))
    _load_plan_facts(snap, in_territory)  # 1-4: targets, reported values, headcounts, confirmed years
    _load_establishments(snap)  # 5, 6
    _load_reports(snap)  # 7, 8
    _load_people(snap)  # 9
    # (establishment id, `YearRange` of the record's date): exact years and ranges (`rules.assistance_period`).
    snap.assistance = [(est, rules.assistance_period(year, earliest, latest))  # 10
                       for est, year, earliest, latest in _scoped(AssistanceRecord.objects.order_by(), snap.scope)
                       .values_list("establishment_id", "year", "date_earliest", "date_latest").distinct()]
    snap.data_years.update(_data_year(period) for _, period in snap.assistance)
    snap.data_years.discard(None)
    return snap


def _load_establishments(snap, ids=None):
    """Establishment rows and their measures (all, or those of the establishments `ids`)."""
    establishments = _scoped(Establishment.objects.order_by("id"), snap.scope, "pk")
    measures = _scoped(CPMeasure.objects.order_by("id"), snap.scope)
    if ids is not None:
        establishments = establishments.filter(pk__in=ids)
        measures = measures.filter(establishment__in=ids)
    snap.establishments = list(establishments.values(
        "id", "code", "name", "cp_potential", "established_year", "closed_year", "baseline_year",
        "technical_staff", "place__name_vi", "place__name_en", "sector__name_vi", "sector__name_en"))
    for row in measures.values("id", "establishment_id", "category", "status", "year", "year_earliest",
                               "year_latest"):
        row["period"] = rules.measure_period(row["year"], row["year_earliest"], row["year_latest"])
        snap.measures_by_est.setdefault(row["establishment_id"], []).append(row)
        if _data_year(row["period"]):
            snap.data_years.add(_data_year(row["period"]))


def _data_year(period):
    """The year a dated record gives data for: its exact or latest possible year, else its earliest."""
    return period.latest if period.latest is not None else period.earliest


def _load_reports(snap, ids=None):
    """Reports per establishment and year; energy and material use summed per report in the database.

    At 10,000 establishments there are about 110,000 reports and 470,000
    resource lines, so both queries are kept narrow and cheap:

    - rows come back as plain tuples (`_fetch`), numbers cast to floating point
      in the database;
    - a report becomes a dict only for the establishments that may adopt CP
      (`may_adopt`, flagged by the database), and only their energy and
      material lines (the registry's `resource_categories`) are summed: a
      reduction is computed over A(Y) only, and A(Y) lies within them for every
      year Y. The other reports are None (see `Snapshot`);
    - the sums come one row per report, both categories side by side
      (`_category_sums`).

    """
    # The reports are limited to the plan's territory; the flag needs no limit of its own. Each query names
    # the territory's places once (SQLite takes at most 32,766 parameters in a query).
    adopting, flag = _scoped(may_adopt(), snap.scope, "pk"), may_adopt()
    reports = _scoped(AnnualReport.objects.order_by("id"), snap.scope)
    if ids is not None:
        adopting, flag = adopting.filter(pk__in=ids), flag.filter(pk__in=ids)
        reports = reports.filter(establishment__in=ids)
    may = ExpressionWrapper(Q(establishment__in=flag), output_field=BooleanField())
    reports = (reports.annotate(may_adopt=may)
               .values_list("id", "establishment_id", "year", Cast("output", FloatField()), "product_unit",
                            "may_adopt"))
    by_id = {}
    for report_id, est_id, year, output, product_unit, may_adopt_cp in _fetch(reports):
        by_year = snap.reports_by_est.setdefault(est_id, {})
        if may_adopt_cp:
            rep = {"id": report_id, "output": output, "product_unit": product_unit, "categories": {}}
            by_year[year] = by_id[report_id] = rep
        else:
            by_year[year] = None
        snap.data_years.add(year)
    categories = registry.resource_categories()
    if not categories:
        return
    for row in _fetch(_category_sums(categories, adopting)):
        rep = by_id.get(row[0])
        if rep is None:
            continue
        for i, category in enumerate(categories):
            total, count = row[1 + 2 * i], row[2 + 2 * i]
            if count:
                rep["categories"][category] = (total or 0.0, count)


def may_adopt():
    """Establishments that are, or may become, adopters: CP potential and a measure that counts for
    adoption in some year (`rules.ever_counts_q`: a known latest possible year). A(Y) lies within them
    for every year Y (test_engine_loading.py checks it)."""
    counting = CPMeasure.objects.filter(rules.ever_counts_q(), establishment=OuterRef("pk"))
    return Establishment.objects.filter(Exists(counting), cp_potential=True)


def _category_sums(categories, adopting):
    """(report id, use of the first category, its lines, use of the second, its lines, ...) per report.

    Only the lines of `categories` of the reports of `adopting` (`may_adopt()`). Every sum
    is the same, to the last bit, as a plain ``GROUP BY report, category``:
    SQLite adds floating-point numbers in the order it reads them, and both
    read a report's lines through the (report, resource type) unique index.
    That is why the resource types are chosen by id (``resource_type_id IN
    (...)``) and not by a condition on the joined type's category: with that,
    SQLite reads the lines by line id instead, and the sum of three lines may
    differ in its last bit (test_engine_loading.py). PostgreSQL adds decimals
    exactly, in any order.
    """
    amount = ExpressionWrapper(F("quantity") * F("resource_type__factor"),
                               output_field=DecimalField(max_digits=30, decimal_places=9))
    sums = {}
    for category in categories:
        of_category = Q(resource_type__category=category)
        sums[f"{category}_total"] = Cast(Sum(amount, filter=of_category), FloatField())
        sums[f"{category}_lines"] = Count("id", filter=of_category)
    reports = AnnualReport.objects.filter(establishment__in=adopting).values("id")
    types = ResourceType.objects.filter(category__in=categories).values("id")
    return (ResourceLine.objects.order_by().filter(report__in=reports, resource_type__in=types)
            .values("report_id").annotate(**sums).values_list("report_id", *sums))


def _fetch(queryset):
    """The rows of a ``values_list()`` queryset as plain tuples, read through the database cursor.

    Skips Django's per-value converters (``float()`` of a number already cast to
    floating point in the query, ``int()`` of a count): on the 400,000 values of
    the reports and their sums they cost more than the queries. Only for
    querysets whose columns are integers, text, flags read for their truth or
    numbers cast to floating point: values the engine uses as the database
    gives them.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _load_people(snap):
    """One row per person: first attendance year, first completed training course year.

    For a plan with a territory, the people of its establishments and the people of no establishment (the
    Department's and the districts' staff, counted against the Department's headcounts: docs/architecture.md).
    """
    trained = Q(completed=True, event__kind=EventKind.TRAINING_COURSE)
    attendance = Attendance.objects.order_by()
    if snap.scope is not None:
        attendance = attendance.filter(Q(person__establishment__isnull=True) | Q(person__establishment__in=snap.scope))
    rows = (attendance
            .values("person_id", "person__category", "person__gender", "person__establishment_id")
            .annotate(first_any=Min("event__start_date"), first_trained=Min("event__start_date", filter=trained)))
    for row in rows:
        snap.people.append({
            "id": row["person_id"], "category": row["person__category"], "gender": row["person__gender"],
            "establishment_id": row["person__establishment_id"],
            "first_any": row["first_any"].year if row["first_any"] else None,
            "first_trained": row["first_trained"].year if row["first_trained"] else None,
        })
        if row["first_any"]:
            snap.data_years.add(row["first_any"].year)


# --- computing one indicator from a snapshot --------------------------------------------------
# Each function takes a snapshot and a year and gives `Computed`; `indicators.registry` names them.

def adoption_figure(snap, year):
    """cp_adoption: |A(Y)| ÷ |POT(Y)| × 100."""
    pot = snap.potential(year)
    adopt = snap.adopters(year)
    return Computed(m.percentage(len(adopt), len(pot)), len(adopt), len(pot),
                    numerator_ids=tuple(sorted(adopt)), denominator_ids=tuple(e["id"] for e in pot))


def reduction_rows(snap, year, category):
    """[(establishment row, R or None, baseline year, t, baseline intensity, current intensity)] over A(Y)."""
    return snap.remember(("reduction", year, category), lambda: _reduction_rows(snap, year, category))


def _reduction_rows(snap, year, category):
    reports = snap.reports_by_est
    rows = []
    for e in snap.adopter_rows(year):
        base = snap.baseline_year(e)
        r, t, base_i, cur_i = m.reduction(reports.get(e["id"], {}), base, year, category)
        rows.append((e, r, base, t, base_i, cur_i))
    return rows


def reduction_reason(snap, row):
    """Why a reduction row (`reduction_rows`) has no reduction ("" when it has one): `rules.reduction_reason`
    on the reports the engine compared."""
    e, _r, base, t, base_i, cur_i = row
    reports = snap.reports_by_est.get(e["id"], {})
    base_report = reports.get(base) if base is not None else None
    current = reports.get(t) if t is not None else None
    return rules.reduction_reason(base, t, base_report["product_unit"] if base_report else None,
                                  current["product_unit"] if current else None, base_i, cur_i)


def reduction_figure(snap, year, category):
    """The mean reduction R over A(Y) of the use of `category` per unit of product, with n, values and ids."""
    rows = reduction_rows(snap, year, category)
    defined = [(row[0]["id"], row[1]) for row in rows if row[1] is not None]
    values = tuple(r for _, r in defined)
    return Computed(m.mean(values), None, None, len(values), values,
                    numerator_ids=tuple(i for i, _ in defined), denominator_ids=tuple(row[0]["id"] for row in rows))


def _attendance_recorded(snap, year):
    """Whether any attendance at an event started by `year` is recorded at all.

    Without one, the training records have not been entered: the
    attendance-based indicators are "no data" rather than 0 (docs/dashboard.md).
    """
    return snap.remember(("attendance", year), lambda: any(
        p["first_any"] is not None and p["first_any"] <= year for p in snap.people))


def _no_records(computed):
    return Computed(None, None, computed.denominator, denominator_ids=computed.denominator_ids)


def dissemination_figure(snap, year):
    """establishments_disseminated: POT(Y) members with a person at any event started by Y ÷ |POT(Y)| × 100."""
    pot = snap.potential(year)
    pot_ids = snap.potential_ids(year)
    reached = {p["establishment_id"] for p in snap.people
               if p["establishment_id"] in pot_ids and p["first_any"] is not None and p["first_any"] <= year}
    return Computed(m.percentage(len(reached), len(pot)), len(reached), len(pot),
                    numerator_ids=tuple(sorted(reached)), denominator_ids=tuple(sorted(pot_ids)))


def staff_figure(snap, year, category, trained_only):
    """Distinct people of a staff category who attended (or completed a training course) by Y ÷ headcount."""
    key = "first_trained" if trained_only else "first_any"
    people = sorted(p["id"] for p in snap.people_in(category) if p[key] is not None and p[key] <= year)
    headcount = m.headcount_for(snap.headcounts, category, year)
    return Computed(m.percentage(len(people), headcount), len(people), headcount, numerator_ids=tuple(people))


def technical_staff_figure(snap, year):
    """technical_staff_trained: their trained technical staff ÷ Σ technical staff over POT(Y) × 100."""
    pot = snap.potential(year)
    pot_ids = snap.potential_ids(year)
    people = sorted(p["id"] for p in snap.people_in(StaffCategory.TECHNICAL_STAFF)
                    if p["establishment_id"] in pot_ids and p["first_trained"] is not None
                    and p["first_trained"] <= year)
    staff = sum(e["technical_staff"] or 0 for e in pot)
    return Computed(m.percentage(len(people), staff), len(people), staff,
                    numerator_ids=tuple(people), denominator_ids=tuple(sorted(pot_ids)))


def assistance_figure(snap, year):
    """establishments_assisted: distinct establishments assisted from the plan's start year to Y (a count)."""
    start = snap.plan.start_year
    ids = sorted({est for est, period in snap.assistance if rules.assisted_within(period, start, year)})
    # Without any assistance record in the window the records say nothing: no data, not 0.
    if not ids:
        return Computed(None)
    return Computed(len(ids), len(ids), None, numerator_ids=tuple(ids))


# --- the same figures from the database's per-year totals (`Figures`, `indicators.figures`) ------------
# Each function takes a `Figures` and a year and gives `Computed` without ids (`indicators.records` lists the
# records); `indicators.registry` names them as each indicator's `from_totals`.

def adoption_from_totals(src, year):
    t = src.totals(year)
    return Computed(m.percentage(t.adopters, t.potential), t.adopters, t.potential)


def reduction_from_totals(src, year, category):
    mean, n = src.totals(year).reductions.get(category, (None, 0))
    return Computed(mean, None, None, n)


def dissemination_from_totals(src, year):
    t = src.totals(year)
    return Computed(m.percentage(t.reached, t.potential), t.reached, t.potential)


def staff_from_totals(src, year, category, trained_only):
    t = src.totals(year)
    people = (t.people_trained if trained_only else t.people_any).get(category, 0)
    headcount = m.headcount_for(src.headcounts, category, year)
    return Computed(m.percentage(people, headcount), people, headcount)


def technical_staff_from_totals(src, year):
    t = src.totals(year)
    people = t.trained_in_pot.get(StaffCategory.TECHNICAL_STAFF, 0)
    return Computed(m.percentage(people, t.technical_staff), people, t.technical_staff)


def assistance_from_totals(src, year):
    assisted = src.totals(year).assisted
    return Computed(assisted, assisted, None) if assisted else Computed(None)


def compute(snap, code, year):
    """The computed figure of `code` as of `year` (no targets, no reported values).

    Kept in the snapshot: `evaluate` asks for the same year in the series, for
    the leading value and for the plan's start year.
    """
    return snap.remember(("computed", code, year), lambda: _computed(snap, code, year))


def _indicator(code):
    indicator = registry.find(code)
    if indicator is None:
        raise ValueError(f"unknown indicator {code}")
    return indicator


def _computed(snap, code, year):
    indicator = _indicator(code)
    result = snap.computed(indicator, year)
    if indicator.needs_attendance and not snap.attendance_recorded(year):
        return _no_records(result)
    return result


def latest_reported(snap, code, year, beside=False):
    """The reported value for `year` or the latest earlier one, in the indicator's kind of unit (a percentage
    for a percentage, a number for a number); with `beside`, the latest one in the other kind."""
    percent = _indicator(code).unit == "%"
    candidates = [r for r in snap.reported.get(code, ()) if r.year <= year and (r.unit == "%") == (percent != beside)]
    return max(candidates, key=lambda r: (r.year, r.id)) if candidates else None


def _leading(snap, code, year, computed=None):
    computed = computed if computed is not None else compute(snap, code, year)
    reported = latest_reported(snap, code, year)
    value = computed.value if computed.value is not None else (reported.value if reported else None)
    return computed, reported, value


def evaluate(snap, code, year):
    """The full result for `code` as of `year`: value, provenance, target, status, trend."""
    indicator = _indicator(code)
    code = indicator.code
    computed, reported, value = _leading(snap, code, year)
    targets = snap.targets.get(code, [])
    target = m.target_for(targets, year)
    plan = snap.plan
    deadline = target.deadline_year if target else plan.end_year
    series = tuple((y, compute(snap, code, y).value) for y in range(min(FIRST_YEAR, year), year + 1))
    status = None
    if target is not None:
        _, _, v_start = _leading(snap, code, plan.start_year)
        status = m.status(value, target.low, year, plan.start_year, target.deadline_year, v_start)
        status = m.coverage_status(status, judged_on_registry=indicator.judged_on_registry,
                                   from_records=computed.value is not None,
                                   registry_confirmed=year in snap.confirmed_years)
    points = [(y, v) for y, v in series if v is not None]
    projection = m.linear_projection(points, deadline) if year < deadline else None
    if computed.value is not None and reported is not None:
        source = "both"
    elif computed.value is not None:
        source = "computed"
    elif reported is not None:
        source = "reported"
    else:
        source = "none"
    low = target.low if target else None
    spread = indicator.is_reduction  # median and share of the per-establishment reductions
    if spread and isinstance(snap, Figures) and indicator.from_totals is not None:
        values, ids = snap.spread(indicator, year)
        computed = replace(computed, values=values, numerator_ids=ids)
    return IndicatorResult(
        code=code, label=indicator.label, unit=indicator.unit, plan_id=plan.pk, year=year, value=value,
        computed=computed.value, numerator=computed.numerator, denominator=computed.denominator, n=computed.n,
        median=m.median(computed.values) if spread else None,
        share_reaching_low=m.share_at_least(computed.values, low) if spread else None,
        target=target, status=status, source=source, reported=reported,
        numerator_ids=computed.numerator_ids, denominator_ids=computed.denominator_ids,
        progress=m.progress_toward(value, low), projection=projection,
        projection_year=deadline if projection is not None else None,
        gap=(low - value) if (low is not None and value is not None) else None,
        series=series, formula=indicator.formula,
        registered=snap.registered(year) if indicator.judged_on_registry else None,
        registry_confirmed=year in snap.confirmed_years,
        reported_beside=latest_reported(snap, code, year, beside=True),
    )


# --- public functions: a plan and a year in, dataclasses out ------------------------------------

def indicator(plan, year, code):
    """One indicator as of `year`, with the ids of the records behind it (`indicators.records`)."""
    result = evaluate(load_figures(plan), code, year)
    numerator_ids, denominator_ids = records.ids(plan, year, code)
    if not result.numerator_ids and result.computed is not None:
        result = replace(result, numerator_ids=numerator_ids)
    return replace(result, denominator_ids=result.denominator_ids or denominator_ids)


# Shortcuts for the shell and the tests: engine.cp_adoption(plan, 2018).
cp_adoption = partial(indicator, code="cp_adoption")
energy_intensity_reduction = partial(indicator, code="energy_intensity_reduction")
material_intensity_reduction = partial(indicator, code="material_intensity_reduction")
establishments_disseminated = partial(indicator, code="establishments_disseminated")
gov_staff_disseminated = partial(indicator, code="gov_staff_disseminated")
cp_staff_trained = partial(indicator, code="cp_staff_trained")
technical_staff_trained = partial(indicator, code="technical_staff_trained")
establishments_assisted = partial(indicator, code="establishments_assisted")


def assistance_per_year(snap, year):
    """((year, distinct establishments assisted that year), ...) from the plan's start year to `year`."""
    per_year = defaultdict(set)
    for est, period in snap.assistance:
        # A record counts in a year only when its whole range lies in that year: an exact year.
        y = period.exact
        if y is not None and snap.plan.start_year <= y <= year:
            per_year[y].add(est)
    return tuple((y, len(per_year.get(y, ()))) for y in range(snap.plan.start_year, year + 1))


def latest_data_year(snap, default):
    return max(snap.data_years) if snap.data_years else default


def _breakdown_counts(snap, year, name_key):
    """(((name_vi, name_en), adopters, potential), ...) over POT(Y), one row per pair of names.

    No language is chosen here: `_named` groups and sorts the rows by the name
    shown in the active language.
    """
    pot = snap.potential(year)
    adopt = snap.adopters(year)
    groups = defaultdict(lambda: [0, 0])
    vi, en = name_key + "_vi", name_key + "_en"
    for e in pot:
        counts = groups[(e[vi], e[en])]
        counts[1] += 1
        counts[0] += 1 if e["id"] in adopt else 0
    return tuple((names, a, p) for names, (a, p) in groups.items())


def _named(counts):
    """((name, adopters, potential), ...) sorted by the name in the active language (English when the
    row has one), "Not given" for none."""
    english = _english()
    groups = defaultdict(lambda: [0, 0])
    for (name_vi, name_en), adopters, potential in counts:
        name = name_en if english and name_en else name_vi
        key = name or str(_("Not given"))
        groups[key][0] += adopters
        groups[key][1] += potential
    return tuple((k, a, p) for k, (a, p) in sorted(groups.items()))


def _english():
    from django.utils.translation import get_language

    return (get_language() or "vi").startswith("en")


def _training_counts(snap, year):
    """((staff category code, female, male, unspecified), ...): people who attended anything by `year`."""
    counts = defaultdict(lambda: {"female": 0, "male": 0, "unspecified": 0})
    for p in snap.people:
        if p["first_any"] is not None and p["first_any"] <= year:
            counts[p["category"]][p["gender"]] += 1
    return tuple((c, v["female"], v["male"], v["unspecified"])
                 for c, v in ((c, counts[c]) for c in StaffCategory.values if c in counts))


def _training_labels(counts):
    return tuple((str(StaffCategory(c).label), f, mm, u) for c, f, mm, u in counts)


def _reduction_table(snap, year):
    energy = {e["id"]: r for e, r, *_ in reduction_rows(snap, year, "energy")}
    material = {e["id"]: r for e, r, *_ in reduction_rows(snap, year, "material")}
    ests = {e["id"]: e for e in snap.establishments}
    return tuple((ests[i]["code"], ests[i]["name"], energy[i], material.get(i))
                 for i in sorted(energy, key=lambda i: ests[i]["code"]))


def completeness(snap, year):
    pot = snap.potential(year)
    received = sum(1 for e in pot if year in snap.reports_by_est.get(e["id"], {}))
    return Completeness(received, len(pot))


@dataclass(frozen=True)
class DashboardNumbers:
    """A `Dashboard` before it is put into words: the same for every language.

    `dashboard_cache` keeps this, one per plan, year and state of the data, and
    `in_language` turns it into the `Dashboard` of the active language in
    microseconds, so a second language is not a second engine run.
    """

    plan_id: int
    year: int
    indicators: tuple  # IndicatorResult: label and formula are lazy, the rest numbers and data
    completeness: Completeness
    place_counts: tuple  # (((name_vi, name_en), adopters, potential), ...)
    sector_counts: tuple
    reductions: tuple
    training_counts: tuple  # ((staff category code, female, male, unspecified), ...)
    assistance_per_year: tuple
    reductions_total: int = 0
    reduction_bins: tuple = ()


def dashboard_numbers(plan, year=None, snap=None):
    """Every indicator of the dashboard as of `year` (default: the latest year with data), in no language.

    `snap` is where the figures come from: `load_figures(plan)` (the database computes them) by default, or the
    reference `load_snapshot(plan)` (Python computes them from the rows), which the tests compare with it.
    """
    snap = snap or load_figures(plan)
    if year is None:
        year = latest_data_year(snap, plan.start_year)
    with _gc_paused():
        return _dashboard_numbers(plan, year, snap)


def _dashboard_numbers(plan, year, snap):
    complete, places, sectors, reductions, training, assistance = snap.year_numbers(year)
    total, bins = len(reductions), ()
    if total > MAX_LISTED:  # one row per establishment would be too long a page: counted in bins instead
        bins = m.histogram([r[2] for r in reductions if r[2] is not None],
                           [r[3] for r in reductions if r[3] is not None])
        reductions = ()
    return DashboardNumbers(
        plan_id=plan.pk, year=year,
        indicators=tuple(evaluate(snap, i.code, year) for i in registry.on_dashboard()),
        completeness=complete, place_counts=places, sector_counts=sectors, reductions=reductions,
        training_counts=training, assistance_per_year=assistance, reductions_total=total, reduction_bins=bins,
    )


def in_language(numbers):
    """The `Dashboard` of `numbers` with its names in the active language."""
    return Dashboard(
        plan_id=numbers.plan_id, year=numbers.year, indicators=numbers.indicators,
        completeness=numbers.completeness,
        by_place=_named(numbers.place_counts), by_sector=_named(numbers.sector_counts),
        reductions=numbers.reductions, training=_training_labels(numbers.training_counts),
        assistance_per_year=numbers.assistance_per_year, reductions_total=numbers.reductions_total,
        reduction_bins=numbers.reduction_bins,
    )


def with_record_ids(plan, dash):
    """`dash` with the ids of the records behind each figure (`indicators.records`), where its figures came
    from the database's totals without them: what a publication stores. One or two queries per indicator."""
    results = []
    for r in dash.indicators:
        if not r.numerator_ids and not r.denominator_ids and registry.get(r.code).from_totals is not None:
            numerator_ids, denominator_ids = records.ids(plan, dash.year, r.code)
            r = replace(r, numerator_ids=numerator_ids if r.numerator is not None else (),
                        denominator_ids=denominator_ids)
        results.append(r)
    return replace(dash, indicators=tuple(results))


def dashboard(plan, year=None, snap=None):
    """Every indicator of the dashboard as of `year` (default: the latest year with data)."""
    return in_language(dashboard_numbers(plan, year, snap))


def adoption_rows(snap, year):
    """[(establishment row, ids of its counting measures)] over POT(Y), for the drill-down."""
    pot = snap.potential(year)
    adopt = snap.adopters(year)
    return [(e, adopt.get(e["id"], [])) for e in sorted(pot, key=lambda e: e["code"])]


def _float_or_none(value):
    return None if value is None else float(value)


def _reported_dict(reported):
    """The published figure shown with an indicator, for programs (`progress --format json`); None when none."""
    if reported is None:
        return None
    return {"value": reported.value, "unit": reported.unit, "year": reported.year,
            "document": reported.source_document}


def indicator_rows(dash, plan):
    """One flat dict per indicator: what the exports and the `progress` command print.

    Numerator and denominator belong to the value printed: the records' when the value is computed, the
    published figure's (often unknown) when the value is a reported one.
    """
    rows = []
    for r in dash.indicators:
        shown = r.reported if (r.computed is None and r.reported is not None) else r
        rows.append({
            "plan": plan.decision_number, "year": dash.year, "code": r.code, "indicator": str(r.label),
            "value": r.value, "unit": r.unit, "computed": r.computed, "numerator": shown.numerator,
            "denominator": shown.denominator, "n": r.n, "median": r.median, "share_reaching_low": r.share_reaching_low,
            "target_low": r.target.low if r.target else None, "target_high": r.target.high if r.target else None,
            "deadline": r.target.deadline_year if r.target else None, "status": r.status, "source": r.source,
            "reported_value": r.reported.value if r.reported else None,
            "reported_year": r.reported.year if r.reported else None,
            "reported_in": r.reported.source_document if r.reported else None,
            "projection": r.projection, "projection_year": r.projection_year, "formula": str(r.formula),
            "coverage": {"registered": r.registered, "confirmed": r.registry_confirmed},
            "reported": _reported_dict(r.reported or r.reported_beside),
        })
    return rows
