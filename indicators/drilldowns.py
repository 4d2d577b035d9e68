"""The drill-down pages' tables: the records behind a figure, one page at a time, searchable.

What a drill-down lists is declared with its indicator (`registry.Indicator.drill_down`);
`KINDS` gives, for each kind, its tables. At 10,000 establishments a table has
thousands of rows, so only the rows of one page (`PER_PAGE`) are read in full:

- lists that are a query of their own are paginated in the database: POT(Y)
  (`rules.potential_q`, the twin of the engine's `engine_math.potential`), A(Y)
  (with `rules.counts_by_q`) and the assistance records of the period;
- lists of the records a figure counts (the establishments reached, the people
  trained, the establishments assisted) are the queries of `indicators.records`,
  paginated in the database too; only an indicator registered without such a
  query lists the ids its own function gave (read narrow, sorted, and only the
  page's records in full).

Each table costs a few queries whatever the data size, and none of them loads
the engine's snapshot. The
search (``q``) keeps the rows whose establishment code or name, or person name
or organisation, contains the text.
"""
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q

from establishments import areas, rules
from establishments.models import AssistanceRecord, CPMeasure, Establishment
from establishments.places import establishments_within
from training.models import Person

from . import figures, records, registry, selectors

PER_PAGE = 100
CSV_CHUNK = 1000  # establishments per query of a drill-down's CSV download
MAX_SEARCH = 100  # characters of the search text that count


@dataclass(frozen=True)
class Table:
    """One table of a drill-down page: its current page, the rows of that page and the links to the others."""

    name: str  # its template: templates/indicators/dashboard/drill/<name>.html
    page: object  # django.core.paginator.Page: count, number, num_pages
    rows: list
    previous_url: str | None
    next_url: str | None
    searched: bool

    @property
    def template(self):
        return f"indicators/dashboard/drill/{self.name}.html"


def search_text(params):
    return (params.get("q") or "").strip()[:MAX_SEARCH]


class Counted:
    """A query whose number of rows is known already (from the engine's figures): the paginator asks it for
    `count()` and gets that number instead of a COUNT over hundreds of thousands of rows; pages are slices
    of the query as usual."""

    def __init__(self, query, count):
        self.query, self.known = query, count

    def count(self):
        return self.known

    def __getitem__(self, index):
        return self.query[index]

    def __len__(self):
        return self.known


def known_counts(indicator, result, dash):
    """{table name: its number of rows} that the figures give: POT(Y) (|POT(Y)| of a share of the registered
    establishments, or of adoption), A(Y) (adoption's numerator) and the records a figure counts (its
    numerator). Only for a whole table: a search or an area limits the rows, and is counted by the database."""
    known = {}
    adoption = dash.get("cp_adoption") if "cp_adoption" in registry.registry.codes() else None
    if adoption is not None and adoption.computed is not None:
        known["reduction"] = int(adoption.numerator)
    if result.registered is not None:  # a share of POT(Y): its tables of POT(Y) have |POT(Y)| rows
        known.update(adoption=result.registered, dissemination=result.registered, staff=result.registered)
    if result.numerator is not None and indicator.from_totals is not None and indicator.drill_down in (
            registry.PEOPLE, registry.TECHNICAL_STAFF, registry.ESTABLISHMENTS):
        known["establishments" if indicator.drill_down == registry.ESTABLISHMENTS else "people"] = int(
            result.numerator)
    return known


def tables(indicator, result, plan, year, params, user=None, dash=None):
    """The tables of `indicator`'s drill-down for `result` (its `IndicatorResult` as of `year`).

    `params` are the page's GET parameters (a QueryDict): ``q``, and the page
    number of each table (``page``, ``staff_page``); the links to other pages
    keep every other parameter (plan, year, language, search). The rows are those
    `user` may read (a manager limited to reading an area: its establishments and
    their records, `establishments.areas`); the figures stay the plan's.
    """
    search = search_text(params)
    whole = not search and (user is None or not areas.readable_q(user))
    known = known_counts(indicator, result, dash) if whole and dash is not None and dash.year == year else {}
    found = []
    for name, param, rows, hydrate in KINDS[indicator.drill_down](indicator, result, plan, year, search):
        rows = _readable(rows, user)
        if name in known and not isinstance(rows, list):
            rows = Counted(rows, known[name])
        found.append(_table(name, param, rows, hydrate, params, search))
    return found


def _readable(rows, user):
    """`rows` (a queryset, or the ordered ids of people) less what `user` may not read."""
    if user is None or not areas.readable_q(user):
        return rows  # no area to read in: everything
    if isinstance(rows, list):  # person ids, in order; people of no establishment (government staff) stay
        readable = Person.objects.filter(Q(establishment__isnull=True) | areas.readable_q(user, "establishment__"))
        kept = set()
        for start in range(0, len(rows), selectors.IN_SLICE):
            kept.update(readable.filter(pk__in=rows[start:start + selectors.IN_SLICE]).values_list("pk", flat=True))
        return [pk for pk in rows if pk in kept]
    if rows.model is Establishment:
        return rows.filter(areas.readable_q(user))
    if rows.model is Person:  # people of no establishment (government staff) stay
        return rows.filter(Q(establishment__isnull=True) | areas.readable_q(user, "establishment__"))
    return rows.filter(areas.readable_q(user, "establishment__"))


def _table(name, param, rows, hydrate, params, search):
    page = Paginator(rows, PER_PAGE).get_page(params.get(param))
    return Table(
        name=name, page=page, rows=hydrate(list(page.object_list)), searched=bool(search),
        previous_url=_page_url(params, param, page.previous_page_number()) if page.has_previous() else None,
        next_url=_page_url(params, param, page.next_page_number()) if page.has_next() else None,
    )


def _page_url(params, param, number):
    query = params.copy()
    query[param] = number
    return "?" + query.urlencode()


# --- reads --------------------------------------------------------------------------------------

def _searched(queryset, search, *fields):
    if not search:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": search})
    return queryset.filter(condition)


def _potential(plan, year, search):
    """POT(Y) of the plan's territory, by code, as a query."""
    return _searched(records.potential(plan, year), search, "code", "name").order_by("code")


def _outside(plan, year, search):
    """The registered establishments of the plan's territory not in POT(Y) (closed, set up later, no CP
    potential), by code."""
    return _searched(records.in_territory(plan).exclude(rules.potential_q(year)), search, "code",
                     "name").order_by("code")


def _with_reasons(year):
    """Rows of the `outside` table: (establishment, why it is not counted: `rules.establishment_reason`)."""
    def rows(establishments):
        return [(e, rules.establishment_reason(e.cp_potential, e.established_year, e.closed_year, year))
                for e in establishments]
    return rows


def _adopting(plan, year, search):
    """A(Y), by code, as a query: members of POT(Y) with a measure that counts by Y."""
    return _searched(records.adopters(plan, year), search, "code", "name").order_by("code")


def _ordered_ids(queryset, ids, order):
    """The primary keys of `queryset`'s rows among `ids`, sorted by the fields `order`.

    Read narrow (the sort fields and the key), one query per `selectors.IN_SLICE` ids.
    """
    ids = list(ids)
    rows = []
    for start in range(0, len(ids), selectors.IN_SLICE):
        rows.extend(queryset.filter(pk__in=ids[start:start + selectors.IN_SLICE]).values_list(*order, "pk"))
    rows.sort(key=lambda row: tuple("" if value is None else value for value in row))
    return [row[-1] for row in rows]


def _searched_people(people, search):
    return _searched(people, search, "name", "organisation", "establishment__code", "establishment__name")


def _counted(indicator, result, plan, year, search, model, order, fields):
    """(rows, rows of a page -> rows shown) of the records `indicator` counts: the query of
    `indicators.records` when it has one, else the ids its own function gave (`result.numerator_ids`)."""
    query = records.numerator(plan, year, indicator.code) if indicator.from_totals else None
    if query is not None and result.numerator is not None:
        return _searched(query, search, *fields).order_by(*order, "pk"), list
    if query is not None:
        return [], list  # nothing counted (no attendance recorded yet, no assistance in the period)
    ids = _ordered_ids(_searched(model.objects.all(), search, *fields), result.numerator_ids, order)
    return ids, lambda page: list(model.objects.filter(pk__in=page).order_by(*order, "pk"))


# --- one function per kind: [(table name, page parameter, rows, rows of a page -> rows shown)] ----------

def _adoption_tables(indicator, result, plan, year, search):
    def with_measures(establishments):
        """(establishment, applies CP, [(measure, counts, why not)]) with every measure of the establishment:
        each says whether it counts by `year` and why not (`rules.measure_reason`)."""
        measures = {}
        for measure in CPMeasure.objects.filter(establishment__in=establishments).order_by("year", "year_latest",
                                                                                          "id"):
            counts, reason = rules.measure_reason(measure.status, measure.category, measure.period, year)
            measures.setdefault(measure.establishment_id, []).append((measure, counts, reason))
        return [(e, any(c for _m, c, _r in measures.get(e.pk, ())), measures.get(e.pk, [])) for e in establishments]

    return [("adoption", "page", _potential(plan, year, search), with_measures),
            ("outside", "outside_page", _outside(plan, year, search), _with_reasons(year))]


def _with_reductions(indicator, year):
    def with_reports(establishments):
        """(establishment, R or None, baseline year, compared year, baseline use, current use, why not counted)
        per establishment of the page: the two reports each compares, from the database (`figures`)."""
        compared = figures.compared_reports([e.pk for e in establishments], year, indicator.resource_category)
        rows = []
        for e in establishments:
            base, t, base_unit, unit, base_i, cur_i = compared.get(e.pk, (None,) * 6)
            if base is None or t is None or base_unit is None or base_unit != unit:
                base_i = cur_i = None  # nothing to compare (engine_math.reduction says the same)
            reason = rules.reduction_reason(base, t, base_unit, unit, base_i, cur_i)
            rows.append((e, rules.reduction_percent(base_i, cur_i), base, t, base_i, cur_i, reason))
        return rows

    return with_reports


def _reduction_tables(indicator, result, plan, year, search):
    return [("reduction", "page", _adopting(plan, year, search), _with_reductions(indicator, year))]


def reduction_rows(indicator, plan, year, user=None):
    """Every row of `indicator`'s reduction drill-down as `_with_reductions` gives them (the establishments
    applying CP in `year`, by code, those `user` may read), `CSV_CHUNK` establishments at a time: its CSV."""
    ids = list(_readable(_adopting(plan, year, ""), user).values_list("pk", flat=True))
    with_reports = _with_reductions(indicator, year)
    for start in range(0, len(ids), CSV_CHUNK):
        yield from with_reports(list(Establishment.objects.filter(pk__in=ids[start:start + CSV_CHUNK])
                                     .order_by("code")))


def _dissemination_tables(indicator, result, plan, year, search):
    reached = records.reached(plan, year).filter(pk=OuterRef("pk"))
    rows = _potential(plan, year, search).annotate(reached=Exists(reached))
    return [("dissemination", "page", rows, lambda page: [(e, e.reached) for e in page]),
            ("outside", "outside_page", _outside(plan, year, search), _with_reasons(year))]


PERSON_SEARCH = ("name", "organisation", "establishment__code", "establishment__name")


def _people_tables(indicator, result, plan, year, search):
    rows, hydrate = _counted(indicator, result, plan, year, search, Person, ("name",), PERSON_SEARCH)
    if isinstance(rows, list):  # ids: read with their establishments
        return [("people", "page", rows, selectors.people_by_ids)]
    return [("people", "page", rows.select_related("establishment"), hydrate)]


def _technical_staff_tables(indicator, result, plan, year, search):
    return _people_tables(indicator, result, plan, year, search) + [
        ("staff", "staff_page", _potential(plan, year, search), list)]


def _assistance_tables(indicator, result, plan, year, search):
    # The records of the period are those of the establishments counted: each one counted has one. Records
    # dated only roughly that may lie in the period are listed too, saying why they are not counted.
    first = plan.start_year
    may_lie_within = (Q(year__isnull=True) & (Q(date_earliest__isnull=True) | Q(date_earliest__lte=year))
                      & (Q(date_latest__isnull=True) | Q(date_latest__gte=first)))
    records = (AssistanceRecord.objects
               .filter(establishments_within(plan.territory_id, prefix="establishment__"))
               .filter(rules.assisted_within_q(first, year) | may_lie_within)
               .select_related("establishment")
               .order_by("year", "date_latest", "date_earliest", "establishment__code", "kind", "pk"))

    def with_reasons(page):
        return [(a, *rules.assistance_reason(a.period, first, year)) for a in page]

    return [("assistance", "page", _searched(records, search, "establishment__code", "establishment__name"),
             with_reasons)]


def _establishments_tables(indicator, result, plan, year, search):
    rows, hydrate = _counted(indicator, result, plan, year, search, Establishment, ("code",), ("code", "name"))
    return [("establishments", "page", rows, hydrate)]


KINDS = {
    registry.ADOPTION: _adoption_tables,
    registry.REDUCTION: _reduction_tables,
    registry.DISSEMINATION: _dissemination_tables,
    registry.PEOPLE: _people_tables,
    registry.TECHNICAL_STAFF: _technical_staff_tables,
    registry.ASSISTANCE: _assistance_tables,
    registry.ESTABLISHMENTS: _establishments_tables,
}
