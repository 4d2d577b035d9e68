"""Reads for the establishment pages: querysets, no writes, no HTTP.

List selectors take GET-style params (a QueryDict or dict) and return a
filtered, ordered queryset, so an export can reuse exactly the same filter.
"""
from django.db import connections
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from kontum_cp import listing
from kontum_cp.listing import distinct_desc, ordering, sorts
from kontum_cp.models import ClosedYear
from kontum_cp.periods import show_years
from kontum_cp.params import year_or_none

from . import rules
from .places import establishments_within
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



ESTABLISHMENT_SORTS = sorts("code", code="code", name="name", place="place__code", sector="sector__name_vi",
                            applying="applying_since", status="status")
HISTORY_LIMIT = 40


NO_PLACE = "none"  # ?place=none: the establishments without a place


def place_q(value, prefix=""):
    """The filter of ?place=<value> (`prefix` for a related model, e.g. "establishment__"): the
    establishments whose place lies inside that place by lineage (establishments.places: a former
    province also finds its former districts and the communes that succeeded them); "none": those
    without a place; a place that does not exist: nothing. None when no place is asked for."""
    value = (value or "").strip()
    if not value:
        return None
    if value == NO_PLACE:
        return Q(**{f"{prefix}place__isnull": True})
    place = Place.objects.filter(pk=int(value)).first() if value.isascii() and value.isdigit() and len(value) < 12 else None
    if place is None:
        return Q(pk__in=[])
    return establishments_within(place, prefix)


def without_place_count():
    """How many establishments have no place (they lie in no territory); one query."""
    return Establishment.objects.filter(place__isnull=True).count()


def establishment_list(params):
    """Establishments filtered by q, place (by lineage), sector, cp_potential, applying, status; sorted by `sort`.

    Each row carries `applying_since`: the latest possible year of its first implemented CP
    measure that counts for adoption by this year (None: not applying CP); `applying_exactly`: the
    first such exact year (it differs from `applying_since` when the first is dated only roughly);
    `undated_measures`: the id of an implemented measure that counts in no year (no latest year), else None.
    """
    this_year = timezone.localdate().year
    # Subqueries, not a GROUP BY over the measures: the database computes them for the rows of the page only,
    # and the page's COUNT(*) leaves them out (a grouped join would be counted whole).
    counting = CPMeasure.objects.filter(rules.counts_by_q(this_year), establishment=OuterRef("pk"))
    latest = Coalesce("year", "year_latest")
    qs = Establishment.objects.select_related("place", "sector").annotate(
        applying_since=Subquery(counting.annotate(latest=latest).order_by("latest").values("latest")[:1]),
        applying_exactly=Subquery(counting.filter(year__isnull=False).order_by("year").values("year")[:1]),
        # A LIMIT subquery rather than EXISTS, which PostgreSQL would turn into a scan of every measure.
        undated_measures=Subquery(CPMeasure.objects.filter(
            rules.counting_q(), year__isnull=True, year_latest__isnull=True, establishment=OuterRef("pk"))
            .values("pk")[:1]),
    )
    q = (params.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if (by_place := place_q(params.get("place"))) is not None:
        qs = qs.filter(by_place)
    if params.get("sector"):
        qs = qs.filter(sector__code=params["sector"])
    if params.get("cp_potential") in ("yes", "no"):
        qs = qs.filter(cp_potential=params["cp_potential"] == "yes")
    if params.get("applying") == "yes":
        qs = qs.filter(Exists(counting))
    elif params.get("applying") == "no":
        qs = qs.filter(~Exists(counting))
    if params.get("status") in Establishment.Status.values:
        qs = qs.filter(status=params["status"])
    return qs.order_by(*ordering(params.get("sort"), ESTABLISHMENT_SORTS, ESTABLISHMENT_SORTS["code"]))


def establishment_page(establishments, params):
    """The page of the establishment list asked for by ?page=, read ids first (`IdsFirstPaginator`); sorted
    by "applying CP since", its ids come from `ids_by_applying`."""
    return listing.page_sorted(establishments, params, "applying", ids_by_applying)


def ids_by_applying(establishments, start, stop, *, descending):
    """The ids of rows `start` to `stop` of `establishments` in the order of `order_by("applying_since",
    "code")` (or "-applying_since"): the establishments not applying CP (NULL) where the database puts NULLs,
    as that order_by does. One query.

    Sorting by the list's `applying_since` subquery computes it for every establishment listed (26,946 of
    100,007 applying: 200-900 ms); here the measures that count are grouped by establishment once, read from
    the partial index `cpmeasure_counting_idx`, and joined to the establishments listed.
    """
    since = (CPMeasure.objects.filter(rules.counts_by_q(timezone.localdate().year))
             .values("establishment_id").annotate(since=Min(Coalesce("year", "year_latest"))).order_by())
    listed_sql, listed_params = establishments.order_by().values_list("pk", "code").query.sql_with_params()
    since_sql, since_params = since.query.sql_with_params()
    sql = (f'SELECT e."pk" FROM ({listed_sql}) e LEFT JOIN ({since_sql}) s ON s."establishment_id" = e."pk" '
           f'ORDER BY s."since" {"DESC" if descending else "ASC"}, e."code" LIMIT %s OFFSET %s')
    with connections[establishments.db].cursor() as cursor:
        cursor.execute(sql, (*listed_params, *since_params, stop - start, start))
        return [row[0] for row in cursor.fetchall()]


def sector_list():
    return list(Sector.objects.order_by("name_vi"))


def place_options():
    """Every place with its parent, for the place menus (one query)."""
    return list(Place.objects.select_related("parent"))


def filter_options():
    """Places and sectors for the filter selects (2 queries)."""
    return {"places": place_options(), "sectors": sector_list()}


def establishment_by_code(code):
    return Establishment.objects.select_related("place", "sector").get(code=code)


def baseline_year_of(establishment):
    """The establishment's baseline year (its own, else the year before the earliest possible year of its
    adoption measures)."""
    rows = establishment.measures.filter(rules.counting_q()).values_list("year", "year_earliest", "year_latest")
    return rules.baseline_year(establishment.baseline_year, [rules.measure_period(*row) for row in rows])


def applying(measures, year):
    """Whether the establishment applies CP as of `year` and since when, from its measures:
    `applying_since` (the first latest possible year of a measure that counts by `year`, `rules.counts_by`),
    `applying_period` (that measure's year as known, when only roughly: "by 2018") and `undated_measures`
    (implemented measures that count for adoption but have no latest year: they count in no year)."""
    counting = [m for m in measures if m.counts_for_adoption]
    dated = sorted((m for m in counting if rules.counts_by(m.status, m.category, m.period, year)),
                   key=lambda m: (m.period.latest, m.period.exact is None))
    first = dated[0] if dated else None
    return {
        "applying_since": first.period.latest if first else None,
        "applying_period": first.period if first and first.period.exact is None else None,
        "undated_measures": sum(1 for m in counting if m.period.latest is None),
    }


def establishment_detail(establishment):
    """Everything the establishment page shows, in a fixed number of queries.

    The establishment's own facts first, then each registered section's data (`sections.py`:
    annual reports, CP measures, assistance, trained staff) and the history of them all.
    """
    measures = list(establishment.measures.order_by("year", "year_latest", "title"))
    this_year = timezone.localdate().year
    page = {
        "measures": measures,
        **applying(measures, this_year),
        # DOMAIN: the baseline comes from the earliest possible year of the adoption measures whatever
        # their year; applying CP counts measures up to this year only, as the dashboard's adopters do.
        "baseline_year": rules.baseline_year(
            establishment.baseline_year, [m.period for m in measures if m.counts_for_adoption]),
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
            AssistanceRecord,
            lambda r: f"{show_years(rules.assistance_period(r.year, r.date_earliest, r.date_latest))} "
                      f"{r.get_kind_display()}", establishment_id=establishment.pk),
    ),
)


MEASURE_ORDER_IN_YEAR = ("establishment__code", "title")  # the measures list: newest year first, then these


def measure_list(params):
    """CP measures filtered by category, status, year, place (of the establishment, by lineage) and q
    (title, establishment code or name)."""
    qs = CPMeasure.objects.select_related("establishment")
    if (by_place := place_q(params.get("place"), "establishment__")) is not None:
        qs = qs.filter(by_place)
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
    return qs.order_by("-year", *MEASURE_ORDER_IN_YEAR)


def measure_years():
    return distinct_desc(CPMeasure, "year")


def assistance_list(params):
    """Assistance records filtered by year, kind, place (of the establishment, by lineage) and q
    (establishment code or name), newest first."""
    qs = AssistanceRecord.objects.select_related("establishment", "support_group")
    if (by_place := place_q(params.get("place"), "establishment__")) is not None:
        qs = qs.filter(by_place)
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
    return distinct_desc(AssistanceRecord, "year")


def closed_years():
    """{"closed": [ClosedYear closed now], "closing_history": [its history rows, newest first]} (2 queries)."""

    return {
        "closed": list(ClosedYear.objects.filter(closed=True).select_related("changed_by").order_by("-year")),
        "closing_history": list(ClosedYear.history.select_related("history_user")
                                .order_by("-history_date", "-history_id")[:200]),
    }
