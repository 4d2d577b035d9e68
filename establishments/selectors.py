"""Reads for the establishment pages: querysets, no writes, no HTTP.

List selectors take GET-style params (a QueryDict or dict) and return a
filtered, ordered queryset, so an export can reuse exactly the same filter.
"""
from django.db.models import Min, Prefetch, Q
from django.utils import timezone

from indicators.models import AnnualReport, ResourceLine, ResourceType
from indicators.selectors import consumption_series_for, establishment_reports
from kontum_cp.listing import ordering
from kontum_cp.params import year_or_none
from training.models import Attendance, Person

from . import rules
from .models import (
    AssistanceKind,
    AssistanceRecord,
    CPMeasure,
    Establishment,
    MeasureCategory,
    MeasureStatus,
    Place,
    Sector,
)



def adoption_q(year):
    """Measures that make their establishment apply CP as of `year` (`rules.counts_by_q`), so the list,
    the detail page and the dashboard agree."""
    return rules.counts_by_q(year, prefix="measures__")


ESTABLISHMENT_SORTS = {
    "code": ("code",),
    "name": ("name", "code"),
    "place": ("place__code", "code"),
    "sector": ("sector__name_vi", "code"),
    "applying": ("applying_since", "code"),
    "status": ("status", "code"),
}
HISTORY_LIMIT = 40


def establishment_list(params):
    """Establishments filtered by q, place, sector, cp_potential, applying, status; sorted by `sort`.

    Each row carries `applying_since`: the year of its first implemented CP
    measure that counts for adoption by this year (None: not applying CP).
    """
    qs = Establishment.objects.select_related("place", "sector").annotate(
        applying_since=Min("measures__year", filter=adoption_q(timezone.localdate().year))
    )
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if params.get("place"):
        qs = qs.filter(place__code=params["place"])
    if params.get("sector"):
        qs = qs.filter(sector__code=params["sector"])
    if params.get("cp_potential") in ("yes", "no"):
        qs = qs.filter(cp_potential=params["cp_potential"] == "yes")
    if params.get("applying") == "yes":
        qs = qs.filter(applying_since__isnull=False)
    elif params.get("applying") == "no":
        qs = qs.filter(applying_since__isnull=True)
    if params.get("status") in Establishment.Status.values:
        qs = qs.filter(status=params["status"])
    return qs.order_by(*ordering(params.get("sort"), ESTABLISHMENT_SORTS, ESTABLISHMENT_SORTS["code"]))


def sector_list():
    return list(Sector.objects.order_by("name_vi"))


def filter_options():
    """Places and sectors for the filter selects (2 queries)."""
    return {"places": list(Place.objects.order_by("code")), "sectors": sector_list()}


def establishment_by_code(code):
    return Establishment.objects.select_related("place", "sector").get(code=code)


def baseline_year_of(establishment):
    """The establishment's baseline year (its own, else the year before its first adoption measure)."""
    years = establishment.measures.filter(rules.counting_q()).values_list("year", flat=True)
    return rules.baseline_year(establishment.baseline_year, list(years))


def establishment_detail(establishment):
    """Everything the establishment page shows, in a fixed number of queries."""
    measures = list(establishment.measures.order_by("year", "title"))
    adoption_years = [m.year for m in measures if m.counts_for_adoption and m.year]
    this_year = timezone.localdate().year
    reports = establishment_reports(establishment)
    # DOMAIN: the baseline comes from the first adoption measure whatever its year; applying CP
    # counts measures up to this year only, as the dashboard's adopters do.
    baseline = rules.baseline_year(establishment.baseline_year, adoption_years)
    people = list(
        Person.objects.filter(establishment=establishment).order_by("name").prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("event").order_by("-event__start_date"))
        )
    )
    return {
        "measures": measures,
        "applying_since": min((y for y in adoption_years if y <= this_year), default=None),
        "baseline_year": baseline,
        "baseline_is_own": bool(establishment.baseline_year),
        "reports": reports,
        "series": consumption_series_for(reports, baseline),
        "assistance": list(establishment.assistance.select_related("support_group").order_by("-year", "-date")),
        "people": people,
        "history": establishment_history(establishment, reports),
    }


def _changed_fields(model, older, newer):
    names = []
    for f in model._meta.fields:
        if f.name in ("id", "version", "updated_at") or f.name.startswith("history_"):
            continue
        if getattr(older, f.attname, None) != getattr(newer, f.attname, None):
            names.append(str(f.verbose_name))
    return names


def _history_entries(model, records, label_of):
    """History rows of one model → dicts with what changed (compared in Python, no extra query)."""
    by_object = {}
    for rec in records:
        by_object.setdefault(rec.id, []).append(rec)
    entries = []
    for recs in by_object.values():
        recs.sort(key=lambda r: (r.history_date, r.history_id))
        for i, rec in enumerate(recs):
            changed = _changed_fields(model, recs[i - 1], rec) if i and rec.history_type == "~" else []
            entries.append({
                "date": rec.history_date, "user": rec.history_user, "type": rec.history_type,
                "object": label_of(rec), "model": model._meta.verbose_name, "changed": changed,
            })
    return entries


def _line_history(reports):
    """History of the resource lines of `reports`, labelled "year: resource" (2 queries)."""
    years = {r.pk: r.year for r in reports}
    if not years:
        return []
    names = {rt.pk: rt.name for rt in ResourceType.objects.all()}
    records = ResourceLine.history.filter(report_id__in=years).select_related("history_user")
    return _history_entries(
        ResourceLine, list(records),
        lambda r: f"{years.get(r.report_id, '')}: {names.get(r.resource_type_id, '')}",
    )


def establishment_history(establishment, reports=(), limit=HISTORY_LIMIT):
    """Recent changes of the establishment, its measures, reports (with their resource lines)
    and assistance, newest first. One query per model, whatever the number of changes.
    """
    e_hist = Establishment.history.filter(id=establishment.pk).select_related("history_user")
    m_hist = CPMeasure.history.filter(establishment_id=establishment.pk).select_related("history_user")
    r_hist = AnnualReport.history.filter(establishment_id=establishment.pk).select_related("history_user")
    a_hist = AssistanceRecord.history.filter(establishment_id=establishment.pk).select_related("history_user")
    entries = (
        _history_entries(Establishment, list(e_hist), lambda r: r.code)
        + _history_entries(CPMeasure, list(m_hist), lambda r: r.title)
        + _history_entries(AnnualReport, list(r_hist), lambda r: str(r.year))
        + _history_entries(AssistanceRecord, list(a_hist), lambda r: f"{r.year} {r.get_kind_display()}")
        + _line_history(reports)
    )
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


def measure_list(params):
    """CP measures filtered by category, status, year and q (title, establishment code or name)."""
    qs = CPMeasure.objects.select_related("establishment")
    if params.get("category") in MeasureCategory.values:
        qs = qs.filter(category=params["category"])
    if params.get("status") in MeasureStatus.values:
        qs = qs.filter(status=params["status"])
    year = year_or_none(params.get("year"))
    if year:
        qs = qs.filter(year=year)
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(establishment__code__icontains=q)
                       | Q(establishment__name__icontains=q))
    return qs.order_by("-year", "establishment__code", "title")


def measure_years():
    return list(CPMeasure.objects.filter(year__isnull=False).order_by("-year").values_list("year", flat=True)
                .distinct())


def assistance_list(params):
    """Assistance records filtered by year, kind and q (establishment code or name), newest first."""
    qs = AssistanceRecord.objects.select_related("establishment", "support_group")
    year = year_or_none(params.get("year"))
    if year:
        qs = qs.filter(year=year)
    if params.get("kind") in AssistanceKind.values:
        qs = qs.filter(kind=params["kind"])
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(establishment__code__icontains=q) | Q(establishment__name__icontains=q)
                       | Q(description__icontains=q))
    return qs.order_by("-year", "-date", "establishment__code", "pk")


def assistance_years():
    return list(AssistanceRecord.objects.order_by("-year").values_list("year", flat=True).distinct())
