"""Reads for pages: querysets and aggregates, no writes, no HTTP."""
from django.db.models import Count, FilteredRelation, Q, prefetch_related_objects

from establishments import rules
from establishments.models import Establishment
from kontum_cp.listing import distinct_desc
from kontum_cp.params import id_or_none, year_or_none

from .metrics import Factor, ReportData, consumption_series, specific_consumption
from .models import (
    CATEGORY_UNITS,
    ActionPlan,
    AnnualReport,
    ReportedValue,
    ReportState,
    ResourceCategory,
    ResourceType,
)

PROVINCIAL_PLAN_NUMBER = "835/QĐ-UBND"


def default_plan():
    """The 2013 provincial plan if loaded, else the newest provincial plan, else any."""
    plans = ActionPlan.objects.all()
    return (
        plans.filter(decision_number=PROVINCIAL_PLAN_NUMBER).first()
        or plans.filter(level=ActionPlan.Level.PROVINCIAL).order_by("-start_year").first()
        or plans.first()
    )


def latest_reported_values(limit=10):
    """The most recent published figures, newest year first."""
    return list(ReportedValue.objects.select_related("place").order_by("-year", "indicator_code")[:limit])


def home_summary():
    """Context for the home page: the default plan and the latest reported figures.

    The targets with their current values come from the dashboard (`dashboard_cache.cached_dashboard`).
    """
    plan = default_plan()
    return {
        "plan": plan,
        "reported_values": latest_reported_values(),
        "other_plans": list(ActionPlan.objects.exclude(pk=plan.pk)) if plan else [],
    }


# --- Annual production reports -------------------------------------------------

def resource_factors():
    """{resource_type_id: metrics.Factor} in one query."""
    return {
        pk: Factor(category=category, factor=factor)
        for pk, category, factor in ResourceType.objects.values_list("pk", "category", "factor")
    }


def resource_type_choices():
    """[(id, "name (unit)")] for the resource select of a report line, in one query."""
    return [(rt.pk, str(rt)) for rt in ResourceType.objects.order_by("category", "code")]


def category_labels():
    """{category: "label (unit)"} of the resource categories, in their order (no query)."""
    return {c: f"{ResourceCategory(c).label} ({CATEGORY_UNITS[c]})" for c in CATEGORY_UNITS}


def report_data(report):
    """A report with prefetched (or loaded) lines as `metrics.ReportData`."""
    return ReportData(
        year=report.year, product_unit=report.product_unit, output=report.output,
        lines=tuple((line.resource_type_id, line.quantity) for line in report.lines.all()),
    )


def establishment_reports(establishment):
    """The establishment's reports, oldest first, with their lines (2 queries)."""
    return list(
        AnnualReport.objects.filter(establishment=establishment)
        .prefetch_related("lines__resource_type").order_by("year")
    )


def consumption_series_for(reports, baseline_year):
    """metrics.ConsumptionRow per report of the establishment (1 query for the factors)."""
    return consumption_series([report_data(r) for r in reports], resource_factors(), baseline_year)


def previous_report(establishment, year, exclude_pk=None):
    """The latest report of the establishment before `year`, with its lines, or None."""
    qs = AnnualReport.objects.filter(establishment=establishment, year__lt=year)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs.prefetch_related("lines").order_by("-year").first()


REPORT_ORDER_IN_YEAR = ("establishment__code",)  # the report list: newest year first, then these


def report_list(params):
    """Annual reports filtered by GET-style params (year, q, sector), newest first.

    Used by the reports page and reusable by an export: it only filters (?q= finds the establishments first,
    one query: `_establishment_search_q`).
    """
    qs = AnnualReport.objects.select_related("establishment", "establishment__sector", "establishment__place")
    year = year_or_none(params.get("year"))
    if year:
        qs = qs.filter(year=year)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(_establishment_search_q(q))
    sector = (params.get("sector") or "").strip()
    if sector:
        qs = qs.filter(establishment__sector__code=sector)
    state = (params.get("state") or "").strip()
    if state in ReportState.values:
        qs = qs.filter(state=state)
    return qs.order_by("-year", *REPORT_ORDER_IN_YEAR)


SEARCH_IDS_MAX = 1000  # at most this many establishments found by ?q= are passed to the report queries as ids


def _establishment_search_q(q):
    """The reports of the establishments whose code or name contains `q`.

    The establishments are found once (one query, a scan of their codes and names) and, when at most
    `SEARCH_IDS_MAX`, the reports are filtered by their ids, which the page's two queries (rows per year, the
    page) read from the reports' (establishment, year) index, instead of scanning every establishment's name
    again in each. More than that: the same filter as a join.
    """
    found = Q(code__icontains=q) | Q(name__icontains=q)
    ids = list(Establishment.objects.filter(found).order_by().values_list("pk", flat=True)[:SEARCH_IDS_MAX + 1])
    if len(ids) <= SEARCH_IDS_MAX:
        return Q(establishment_id__in=ids)
    return Q(establishment__code__icontains=q) | Q(establishment__name__icontains=q)


def approval_counts(year):
    """{"reports": the year's annual reports, "approved": those approved} (1 query)."""
    return AnnualReport.objects.filter(year=year).aggregate(
        reports=Count("pk"), approved=Count("pk", filter=Q(state=ReportState.APPROVED)))


def report_transitions(report):
    """The report's state changes, newest first: [{"state", "reason", "user", "when"}] (1 query)."""
    labels = dict(ReportState.choices)
    rows = (report.history.filter(history_change_reason__startswith="state: ")
            .select_related("history_user").order_by("-history_date", "-history_id"))
    return [{"state": labels.get(h.state, h.state), "code": h.state, "reason": h.state_reason,
             "user": h.history_user, "when": h.history_date} for h in rows]


def report_rows(reports):
    """[(report, [specific consumption per category in CATEGORIES order])] for a page (2 queries)."""
    reports = list(reports)
    prefetch_related_objects(reports, "lines")
    factors = resource_factors()
    return [
        (r, list(specific_consumption(
            [(ln.resource_type_id, ln.quantity) for ln in r.lines.all()], r.output, factors).values()))
        for r in reports
    ]


def report_years():
    """Years that have at least one report, newest first (one step of the year index per year)."""
    return distinct_desc(AnnualReport, "year")


MISSING_SHOWN = 200  # the completeness page lists this many establishments without a report; its CSV lists all


def missing_reports(year):
    """The active establishments with CP potential in `year` that have no report for it, by place and code
    (a queryset: the page shows its first rows, its CSV export all of them)."""
    # NOT IN (the year's reports): the database reads the year's reports once into a hash and sorts only the
    # establishments left, where NOT EXISTS let PostgreSQL sort every establishment first to find a few.
    reported = AnnualReport.objects.filter(year=year).values("establishment_id")
    return (Establishment.objects.filter(rules.potential_q(year)).exclude(pk__in=reported)
            .select_related("place", "sector").order_by("place__code", "code"))


def completeness(year, shown=None):
    """Active establishments with CP potential in `year` and whether each has a report.

    Returns {"expected": int, "reported": int, "approved": int (of the reported, those approved),
    "missing": [the first `shown` (default `MISSING_SHOWN`) establishments without a report
    (`missing_reports`)], "missing_count": int,
    "without_place": int (every establishment without a place: it lies in no territory, so no plan with a
    territory counts it)}; 3 queries whatever the number of establishments.
    """
    # One pass over POT(Y) (the index `establishment_potential_idx`) joined to the year's reports (one per
    # establishment and year, the index on (year, establishment, state)): both read from their index alone.
    counts = (Establishment.objects.filter(rules.potential_q(year))
              .annotate(report=FilteredRelation("reports", condition=Q(reports__year=year)))
              .aggregate(expected=Count("pk"), reported=Count("report__establishment"),
                         approved=Count("report__establishment", filter=Q(report__state=ReportState.APPROVED))))
    return {**counts, "missing": list(missing_reports(year)[:shown or MISSING_SHOWN]),
            "missing_count": counts["expected"] - counts["reported"],
            "without_place": Establishment.objects.filter(place__isnull=True).count()}



# --- progress dashboard (reads behind the drill-down pages) -------------------------------------

def plan_from_param(value):
    """A plan from a primary key or a decision number; None when nothing matches (or the text could not be
    a decision number: PostgreSQL refuses a NUL character in a query)."""
    if value in (None, ""):
        return None
    value = str(value).strip()
    if "\x00" in value:
        return None
    pk = id_or_none(value)
    if pk is not None:
        plan = ActionPlan.objects.filter(pk=pk).first()
        if plan:
            return plan
    return ActionPlan.objects.filter(decision_number=value).first()


def plan_choices():
    return list(ActionPlan.objects.order_by("-level", "-start_year", "decision_number"))


# SQLite accepts at most 32,766 parameters in one query; the drill-downs and the printable report pass
# lists of ids that reach tens of thousands at 100,000 establishments, so they are read in slices.
IN_SLICE = 10_000


def _in_slices(queryset, field, ids, sort_key):
    """Rows of `queryset` whose `field` is in `ids`: one query per 10,000 ids (one query in practice).

    With more than one slice the rows are put back in order with `sort_key`.
    """
    ids = list(ids)
    rows = []
    for start in range(0, len(ids), IN_SLICE):
        rows.extend(queryset.filter(**{f"{field}__in": ids[start:start + IN_SLICE]}))
    if len(ids) > IN_SLICE:
        rows.sort(key=sort_key)
    return rows


def measures_by_ids(ids):
    """{measure id: measure}, ordered by year and title, in one query (per 10,000 ids)."""
    from establishments.models import CPMeasure

    rows = _in_slices(CPMeasure.objects.order_by("year", "title"), "pk", ids,
                      lambda mm: (mm.year is not None, mm.year or 0, mm.title))
    return {mm.pk: mm for mm in rows}


def establishment_names(ids):
    """{establishment id: name} for a few ids, in one query (none when `ids` is empty)."""
    if not ids:
        return {}
    return dict(Establishment.objects.filter(pk__in=list(ids)).values_list("pk", "name"))


def people_by_ids(ids):
    from training.models import Person

    return _in_slices(Person.objects.select_related("establishment").order_by("name", "pk"), "pk", ids,
                      lambda p: (p.name, p.pk))


def assistance_for(establishment_ids, start_year, end_year, territory=None):
    """Assistance records from `start_year` to `end_year` of the given establishments (a list), or (None) a
    query of those of all establishments whose place lies in `territory`, a place or its id (all when None)."""
    from establishments.models import AssistanceRecord
    from establishments.places import establishments_within

    records = (AssistanceRecord.objects.filter(establishments_within(territory, prefix="establishment__"))
               .filter(rules.assisted_within_q(start_year, end_year))
               .select_related("establishment").order_by("year", "date_latest", "establishment__code", "kind"))
    if establishment_ids is None:
        return records
    return _in_slices(records, "establishment_id", establishment_ids,
                      lambda r: (r.year or 0, r.date_latest or 0, r.establishment.code, r.kind))


def implemented_measures(establishments, year):
    """Implemented measures (all categories) of the given establishments (ids, or a query of them) up to
    `year`, for the report."""
    from django.db.models import QuerySet

    from establishments.models import CPMeasure, MeasureStatus

    measures = (CPMeasure.objects.filter(rules.dated_by_q(year), status=MeasureStatus.IMPLEMENTED)
                .select_related("establishment").order_by("establishment__code", "year", "year_latest", "title"))
    if isinstance(establishments, QuerySet):
        return measures.filter(establishment__in=establishments.values("pk"))
    return _in_slices(measures, "establishment_id", establishments,
                      lambda mm: (mm.establishment.code, mm.year or 0, mm.year_latest or 0, mm.title))


def events_up_to(year, start_year):
    """Events held from the plan's start year to `year`, in the order of their dates (a query)."""
    from training.models import Event

    return Event.objects.filter(start_date__year__gte=start_year, start_date__year__lte=year).order_by(
        "start_date", "code")


def first_events_with_attendance(events, limit):
    """The first `limit` of `events` (a query), each with its attendance counts (`attendees`, `completed`): one
    query that counts the attendance of those events only, not of every event the query holds."""
    from django.db.models import Count, Q

    return (events.model.objects.filter(pk__in=events.values("pk")[:limit]).order_by(*events.query.order_by)
            .annotate(attendees=Count("attendances"),
                      completed=Count("attendances", filter=Q(attendances__completed=True))))
