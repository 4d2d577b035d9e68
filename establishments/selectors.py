"""Reads for the establishment pages: querysets, no writes, no HTTP.

List selectors take GET-style params (a QueryDict or dict) and return a
filtered, ordered queryset, so an export can reuse exactly the same filter.
"""
from django.db.models import Min, Q
from django.utils import timezone

from kontum_cp.listing import ordering, sorts
from kontum_cp.models import ClosedYear
from kontum_cp.params import year_or_none

from . import rules
from .sections import Section, sections
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


ESTABLISHMENT_SORTS = sorts("code", code="code", name="name", place="place__code", sector="sector__name_vi",
                            applying="applying_since", status="status")
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
    """Everything the establishment page shows, in a fixed number of queries.

    The establishment's own facts first, then each registered section's data (`sections.py`:
    annual reports, CP measures, assistance, trained staff) and the history of them all.
    """
    measures = list(establishment.measures.order_by("year", "title"))
    adoption_years = [m.year for m in measures if m.counts_for_adoption and m.year]
    this_year = timezone.localdate().year
    page = {
        "measures": measures,
        "applying_since": min((y for y in adoption_years if y <= this_year), default=None),
        # DOMAIN: the baseline comes from the first adoption measure whatever its year; applying CP
        # counts measures up to this year only, as the dashboard's adopters do.
        "baseline_year": rules.baseline_year(establishment.baseline_year, adoption_years),
        "baseline_is_own": bool(establishment.baseline_year),
    }
    loaded = []
    for section in sections():
        data = section.load(establishment, page)
        page.update(data)
        loaded.append((section, data))
    page["sections"] = [section for section, _data in loaded]
    page["history"] = establishment_history(establishment, loaded)
    return page


def _changed_fields(model, older, newer):
    names = []
    for f in model._meta.fields:
        if f.name in ("id", "version", "updated_at") or f.name.startswith("history_"):
            continue
        if getattr(older, f.attname, None) != getattr(newer, f.attname, None):
            names.append(str(f.verbose_name))
    return names


def history_entries(model, records, label_of):
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


def records_history(model, label_of, **filters):
    """`history_entries` of the history rows of `model` matching `filters` (one query)."""
    return history_entries(model, list(model.history.filter(**filters).select_related("history_user")), label_of)


def establishment_history(establishment, loaded=(), limit=HISTORY_LIMIT):
    """Recent changes of the establishment and of the records its page sections show, newest first.

    `loaded`: [(section, its data)]; each section with a history adds its own, one query per model,
    whatever the number of changes.
    """
    entries = records_history(Establishment, lambda r: r.code, id=establishment.pk)
    for section, data in loaded:
        if section.history is not None:
            entries += section.history(establishment, data)
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


def establishment_assistance(establishment):
    return list(establishment.assistance.select_related("support_group").order_by("-year", "-date"))


# The establishment's own sections of its page (registered by EstablishmentsConfig.ready).
OWN_SECTIONS = (
    Section(
        "measures", 20, "establishments/_measures_section.html",
        load=lambda establishment, page: {},  # the measures are the page's own data (baseline, applying CP)
        history=lambda establishment, data: records_history(
            CPMeasure, lambda r: r.title, establishment_id=establishment.pk),
    ),
    Section(
        "assistance", 30, "establishments/_assistance_section.html",
        load=lambda establishment, page: {"assistance": establishment_assistance(establishment)},
        history=lambda establishment, data: records_history(
            AssistanceRecord, lambda r: f"{r.year} {r.get_kind_display()}", establishment_id=establishment.pk),
    ),
)


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


def closed_years():
    """{"closed": [ClosedYear closed now], "closing_history": [its history rows, newest first]} (2 queries)."""

    return {
        "closed": list(ClosedYear.objects.filter(closed=True).select_related("changed_by").order_by("-year")),
        "closing_history": list(ClosedYear.history.select_related("history_user")
                                .order_by("-history_date", "-history_id")[:200]),
    }
