"""The engine's database half: per-year totals of every indicator computed in SQL, a fixed number of queries.

`indicators.engine` asks for the few numbers each figure needs (how many establishments are in POT(Y), how
many of them adopt CP, the mean reduction and how many reductions it averages, ...) for every year of the
dashboard at once, and does only status, projection and formatting in Python. The rules are those of
`establishments.rules` (DOMAIN.md), written once more here as SQL; `indicators.engine.load_snapshot` and the
``*_figure`` functions are the reference implementation in Python that the tests compare this module with on
hand-made data (indicators/tests/test_figures.py).

Five queries give the series (`load_series`, whatever the number of years or records), four the details of
the dashboard's own year (`load_year`), one the years with data (`data_years`). Each query is plain SQL that
runs on SQLite and PostgreSQL alike: common table expressions, ``CASE``, ``GROUP BY`` and one window function
(``LEAD``); only the year of a date is said differently (`_year`). The years are a ``VALUES`` list.

How each rule reads in SQL (the names of the common table expressions):

- ``pot_est``: the plan's establishments with CP potential (its territory's places inlined as integers);
  POT(Y) is ``pot_est`` joined to the year Y where ``born`` ≤ Y (or unknown) and ``closed`` > Y (or none).
- ``adopt``: per establishment, the first year a measure counts for adoption (its latest possible year,
  ``COALESCE(year, year_latest)``, of an implemented measure that is not end-of-pipe) and the earliest possible
  year of those measures (``COALESCE(year, year_earliest)``), which gives the baseline year.
- ``reach``: per establishment, the year of the first event one of its people attended.
- ``people``: per person, the year of the first event attended and of the first completed training course.
- reductions: each report after the baseline is "the latest report t ≤ Y" for the years from its own to the
  year before the next report (``LEAD``); the baseline report is joined by year; R is computed as
  `establishments.rules.reduction_percent` does, in double precision.
- assistance: a record lies in the window from the plan's start to Y when its earliest possible year is ≥ the
  start and its latest ≤ Y; an establishment counts from the least such latest year.
"""
from dataclasses import dataclass, field

from django.db import connection

from establishments import rules
from training.models import EventKind


@dataclass(frozen=True)
class YearTotals:
    """What the records give for one year: counts and sums behind every built-in indicator."""

    year: int
    potential: int = 0  # |POT(Y)|
    adopters: int = 0  # |A(Y)|
    reached: int = 0  # members of POT(Y) with a person at an event started by Y
    technical_staff: int = 0  # Σ technical_staff over POT(Y), unknown as 0
    attended: int = 0  # people with any attendance at an event started by Y
    people_any: dict = field(default_factory=dict)  # {staff category: people who attended anything by Y}
    people_trained: dict = field(default_factory=dict)  # {category: people with a completed course by Y}
    trained_in_pot: dict = field(default_factory=dict)  # {category: the same, of an establishment in POT(Y)}
    assisted: int = 0  # establishments with an assistance record lying within start..Y
    reductions: dict = field(default_factory=dict)  # {resource category: (mean R, n)}
    training_counts: tuple = ()  # ((staff category, female, male, unspecified), ...): attended anything by Y


@dataclass(frozen=True)
class YearDetail:
    """What the dashboard shows for its own year beside the figures."""

    year: int
    reports_received: int
    potential: int
    place_counts: tuple  # (((name_vi, name_en), adopters, potential), ...)
    sector_counts: tuple
    assistance_per_year: tuple  # ((year, establishments assisted that exact year), ...) from the plan's start
    reduction_values: dict  # {resource category: ((establishment id, R), ...) by id}, the defined ones
    reduction_table: tuple  # ((code, name, energy R or None, material R or None), ...) over A(Y) with a report


def _year(column):
    """The year of a date column, as an integer."""
    if connection.vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)"
    return f"CAST(substr({column}, 1, 4) AS INTEGER)"


def _ints(values):
    return ", ".join(str(int(v)) for v in values)


def _years(years):
    return "years(y) AS (VALUES " + ", ".join(f"({int(y)})" for y in years) + ")"


def scope_of(places):
    """The SQL condition that an establishment ``e`` lies in a territory, given the ids of its places by lineage
    (`establishments.places.within_ids`), inlined as integers; '' for None (a plan without a territory)."""
    if places is None:
        return ""
    return f"e.place_id IN ({_ints(sorted(places))})" if places else "1 = 0"


def _active(alias, year, born="born", closed="closed"):
    """`rules.is_active` in SQL: established by `year` (or unknown), not closed in or before it."""
    return (f"({alias}.{born} IS NULL OR {alias}.{born} <= {year}) "
            f"AND ({alias}.{closed} IS NULL OR {alias}.{closed} > {year})")


def _pot_ctes(scope, reach=False):
    """pot_est, adopt (and with `reach`, reach): the establishments with CP potential and what each needs;
    reach reads the `people` expression, which must come first."""
    where = "e.cp_potential = %s" + (f" AND {scope}" if scope else "")
    return f"""
pot_est AS (
    SELECT e.id, e.code, e.name, e.established_year AS born, e.closed_year AS closed,
           COALESCE(e.technical_staff, 0) AS staff, e.baseline_year AS own_base, e.place_id, e.sector_id
    FROM establishments_establishment e WHERE {where}),
adopt AS (
    SELECT m.establishment_id AS id, MIN(COALESCE(m.year, m.year_latest)) AS adopt_year,
           MIN(CASE WHEN COALESCE(m.year, m.year_latest) IS NOT NULL THEN COALESCE(m.year, m.year_earliest) END)
               AS first_year
    FROM establishments_cpmeasure m JOIN pot_est f ON f.id = m.establishment_id
    WHERE m.status = %s AND m.category <> %s
    GROUP BY m.establishment_id)""" + (""",
reach AS (
    SELECT pp.est AS id, MIN(pp.first_any) AS reach_year FROM people pp JOIN pot_est f ON f.id = pp.est
    GROUP BY pp.est)""" if reach else "")


def _pot_params():
    return [True, rules.IMPLEMENTED, rules.END_OF_PIPE]


def _people_cte(scope):
    """people: one row per person with an attendance, the year of their first event and first completed course."""
    where = (f"WHERE p.establishment_id IS NULL OR p.establishment_id IN "
             f"(SELECT e.id FROM establishments_establishment e WHERE {scope})") if scope else ""
    return f"""
people AS (
    SELECT p.id, p.category, p.gender, p.establishment_id AS est,
           {_year("MIN(ev.start_date)")} AS first_any,
           {_year("MIN(CASE WHEN a.completed = %s AND ev.kind = %s THEN ev.start_date END)")} AS first_trained
    FROM training_attendance a JOIN training_person p ON p.id = a.person_id
    JOIN training_event ev ON ev.id = a.event_id {where}
    GROUP BY p.id, p.category, p.gender, p.establishment_id)"""


def _people_params():
    return [True, EventKind.TRAINING_COURSE]


def _reduction_ctes(categories, year=None):
    """cand, rep, sums, intens, later, red: the reductions R of every adopter for every year of `years`.

    With `year` (the only year of `years`), only the two reports that year's R compares are summed: the
    baseline's and the latest after it up to the year (found through the (establishment, year) index).
    """
    needed = "r.year >= c.base" if year is None else (
        f"(r.year = c.base OR r.year = (SELECT MAX(r2.year) FROM indicators_annualreport r2 "
        f"WHERE r2.establishment_id = c.id AND r2.year > c.base AND r2.year <= {int(year)}))")
    sums = ",\n           ".join(
        f"CAST(SUM(CASE WHEN t.category = '{c}' THEN l.quantity * t.factor END) AS DOUBLE PRECISION) AS {c}_total, "
        f"SUM(CASE WHEN t.category = '{c}' THEN 1 ELSE 0 END) AS {c}_lines" for c in categories)
    intensities = ",\n           ".join(
        f"CASE WHEN s.{c}_lines > 0 AND r.output > 0 THEN s.{c}_total / r.output END AS {c}_i" for c in categories)
    reductions = ",\n           ".join(
        f"CASE WHEN b.product_unit = l.product_unit AND b.{c}_i > 0 AND l.{c}_i IS NOT NULL "
        f"THEN (1 - l.{c}_i / b.{c}_i) * 100 END AS {c}_r" for c in categories)
    return f"""
cand AS (
    SELECT f.id, f.code, f.name, f.born, f.closed, ad.adopt_year, COALESCE(f.own_base, ad.first_year - 1) AS base
    FROM pot_est f JOIN adopt ad ON ad.id = f.id WHERE ad.adopt_year IS NOT NULL),
rep AS (
    SELECT r.id, r.establishment_id AS est, r.year, CAST(r.output AS DOUBLE PRECISION) AS output, r.product_unit
    FROM indicators_annualreport r JOIN cand c ON c.id = r.establishment_id WHERE {needed}),
sums AS (
    SELECT l.report_id,
           {sums}
    FROM indicators_resourceline l JOIN rep ON rep.id = l.report_id
    JOIN indicators_resourcetype t ON t.id = l.resource_type_id
    WHERE t.category IN ({", ".join(f"'{c}'" for c in categories)})
    GROUP BY l.report_id),
intens AS (
    SELECT r.id, r.est, r.year, r.product_unit,
           {intensities}
    FROM rep r LEFT JOIN sums s ON s.report_id = r.id),
later AS (
    SELECT i.*, LEAD(i.year) OVER (PARTITION BY i.est ORDER BY i.year) AS next_year
    FROM intens i JOIN cand c ON c.id = i.est WHERE i.year > c.base),
red AS (
    SELECT y.y, c.id AS est,
           {reductions}
    FROM years y JOIN cand c ON c.adopt_year <= y.y AND {_active("c", "y.y")}
    JOIN later l ON l.est = c.id AND l.year <= y.y AND (l.next_year IS NULL OR l.next_year > y.y)
    LEFT JOIN intens b ON b.est = c.id AND b.year = c.base)"""


def compared_reports(ids, year, category):
    """{establishment id: (baseline year, compared year t, baseline report's product unit, t's product unit,
    baseline intensity, current intensity)} of the adopters `ids` (a drill-down page's) as of `year`: what
    `establishments.rules.reduction_percent` and `reduction_reason` need, in one query summing only the two
    reports each compares. A missing report gives None for its year's unit and intensity."""
    if not ids:
        return {}
    scope = f"e.id IN ({_ints(ids)})"
    rows = _fetch(f"""WITH {_years([year])},{_pot_ctes(scope)},{_reduction_ctes([category], year)}
SELECT c.id, c.base, l.year, b.product_unit, l.product_unit, b.{category}_i, l.{category}_i
FROM cand c
LEFT JOIN later l ON l.est = c.id AND l.year <= {int(year)} AND (l.next_year IS NULL OR l.next_year > {int(year)})
LEFT JOIN intens b ON b.est = c.id AND b.year = c.base""", _pot_params())
    return {row[0]: row[1:] for row in rows}


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def load_series(plan, years, categories, scope, detail_year=None):
    """({year: `YearTotals`} for `years` of `plan`, reductions of `categories`; the rows of `reduction_rows` for
    `detail_year`, in the same query as the means): four queries. `scope` is `scope_of(plan)`."""
    years = sorted(set(years))
    totals = {y: {"year": y, "people_any": {}, "people_trained": {}, "trained_in_pot": {}, "reductions": {}}
              for y in years}
    # 1. POT(Y), A(Y), establishments reached, technical staff; people per staff category and gender: who
    # attended, who completed a course, of an establishment in POT(Y). One statement: `people` is read once.
    in_pot = _active("e", "y.y", "established_year", "closed_year")
    rows = _fetch(f"""WITH {_years(years)},{_people_cte(scope)},{_pot_ctes(scope, reach=True)}
SELECT 0, y.y, NULL, NULL, COUNT(f.id), SUM(CASE WHEN ad.adopt_year <= y.y THEN 1 ELSE 0 END),
       SUM(CASE WHEN r.reach_year <= y.y THEN 1 ELSE 0 END), SUM(f.staff)
FROM years y LEFT JOIN pot_est f ON {_active("f", "y.y")}
LEFT JOIN adopt ad ON ad.id = f.id LEFT JOIN reach r ON r.id = f.id
GROUP BY y.y
UNION ALL
SELECT 1, y.y, pp.category, pp.gender, COUNT(pp.id), SUM(CASE WHEN pp.first_trained <= y.y THEN 1 ELSE 0 END),
       SUM(CASE WHEN pp.first_trained <= y.y AND e.cp_potential = %s AND {in_pot} THEN 1 ELSE 0 END), NULL
FROM years y JOIN people pp ON pp.first_any <= y.y
LEFT JOIN establishments_establishment e ON e.id = pp.est
GROUP BY y.y, pp.category, pp.gender""", _people_params() + _pot_params() + [True])
    genders = {}
    for kind, y, category, gender, a, b, c, d in rows:
        t = totals[y]
        if kind == 0:
            t.update(potential=a, adopters=b or 0, reached=c or 0, technical_staff=d or 0)
            continue
        for name, n in (("people_any", a), ("people_trained", b or 0), ("trained_in_pot", c or 0)):
            t[name][category] = t[name].get(category, 0) + n
        t["attended"] = t.get("attended", 0) + a
        genders.setdefault(y, []).append((category, gender, a))
    for y, found in genders.items():
        totals[y]["training_counts"] = _training_counts(found)
    # 3. Reductions: mean and count of the defined R per year and category; and each adopter's of `detail_year`.
    detail = None
    if categories:
        columns = ", ".join(f"AVG({c}_r), COUNT({c}_r)" for c in categories)
        each = ", ".join(f"red.{c}_r, NULL" for c in categories)
        rows = _fetch(f"""WITH {_years(years)},{_pot_ctes(scope)},{_reduction_ctes(categories)}
SELECT 0, y, NULL, NULL, NULL, {columns} FROM red GROUP BY y
UNION ALL
SELECT 1, y.y, c.id, c.code, c.name, {each}
FROM years y JOIN cand c ON y.y = %s AND c.adopt_year <= y.y AND {_active("c", "y.y")}
LEFT JOIN red ON red.est = c.id AND red.y = y.y""", _pot_params() + [detail_year])
        for kind, y, est, code, name, *values in rows:
            if kind == 0:
                totals[y]["reductions"] = {c: (values[2 * i], values[2 * i + 1]) for i, c in enumerate(categories)}
        if detail_year is not None:
            detail = sorted(((est, code, name, *values[::2]) for kind, _y, est, code, name, *values in rows if kind),
                            key=lambda row: row[0])
    # 4. Establishments assisted within the plan's start year .. Y.
    rows = _fetch(f"""WITH {_years(years)},
rec AS (
    SELECT a.establishment_id AS est, MIN(COALESCE(a.year, a.date_latest)) AS first_year
    FROM establishments_assistancerecord a JOIN establishments_establishment e ON e.id = a.establishment_id
    WHERE COALESCE(a.year, a.date_earliest) >= %s AND COALESCE(a.year, a.date_latest) IS NOT NULL
    {"AND " + scope if scope else ""}
    GROUP BY a.establishment_id)
SELECT y.y, COUNT(rec.est) FROM years y JOIN rec ON rec.first_year <= y.y GROUP BY y.y""", [plan.start_year])
    for y, assisted in rows:
        totals[y]["assisted"] = assisted
    return {y: YearTotals(**t) for y, t in totals.items()}, detail


def load_year(plan, year, categories, scope, reductions=None):
    """`YearDetail` of `plan` for the dashboard's own `year`: three queries, two when `reductions` (each
    adopter's row, `load_series`'s second result) came with the series."""
    # 1. POT(Y) by place and sector: adopters and reports received (completeness).
    rows = _fetch(f"""WITH {_pot_ctes(scope)}
SELECT pl.name_vi, pl.name_en, s.name_vi, s.name_en, COUNT(f.id),
       SUM(CASE WHEN ad.adopt_year <= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN EXISTS (SELECT 1 FROM indicators_annualreport r WHERE r.establishment_id = f.id AND r.year = %s)
           THEN 1 ELSE 0 END)
FROM pot_est f LEFT JOIN adopt ad ON ad.id = f.id
LEFT JOIN establishments_place pl ON pl.id = f.place_id LEFT JOIN establishments_sector s ON s.id = f.sector_id
WHERE {_active("f", int(year))}
GROUP BY pl.name_vi, pl.name_en, s.name_vi, s.name_en""", _pot_params() + [year, year])
    places, sectors = {}, {}
    for place_vi, place_en, sector_vi, sector_en, pot, adopters, _received in rows:
        for groups, names in ((places, (place_vi, place_en)), (sectors, (sector_vi, sector_en))):
            counts = groups.setdefault(names, [0, 0])
            counts[0] += adopters or 0
            counts[1] += pot
    # 2. Establishments assisted per exact year, from the plan's start to Y.
    assisted = dict(_fetch(f"""SELECT a.year, COUNT(DISTINCT a.establishment_id)
FROM establishments_assistancerecord a JOIN establishments_establishment e ON e.id = a.establishment_id
WHERE a.year >= %s AND a.year <= %s {"AND " + scope if scope else ""} GROUP BY a.year""", [plan.start_year, year]))
    # 3. Each adopter in A(Y) with its reductions (None where undefined).
    if reductions is None and categories:
        columns = ", ".join(f"red.{c}_r" for c in categories)
        reductions = _fetch(f"""WITH {_years([year])},{_pot_ctes(scope)},{_reduction_ctes(categories, year)}
SELECT c.id, c.code, c.name, {columns}
FROM years y JOIN cand c ON c.adopt_year <= y.y AND {_active("c", "y.y")}
LEFT JOIN red ON red.est = c.id AND red.y = y.y ORDER BY c.id""", _pot_params())
    reductions = reductions or []
    return YearDetail(
        year=year, reports_received=sum(r[6] or 0 for r in rows), potential=sum(r[4] for r in rows),
        place_counts=tuple((names, a, p) for names, (a, p) in places.items()),
        sector_counts=tuple((names, a, p) for names, (a, p) in sectors.items()),
        assistance_per_year=tuple((y, assisted.get(y, 0)) for y in range(plan.start_year, year + 1)),
        reduction_values={c: tuple((row[0], row[3 + i]) for row in reductions if row[3 + i] is not None)
                          for i, c in enumerate(categories)},
        reduction_table=tuple((row[1], row[2], *row[3:5]) for row in sorted(reductions, key=lambda r: r[1])),
    )


def _training_counts(rows):
    from training.models import StaffCategory

    counts = {}
    for category, gender, n in rows:
        counts.setdefault(category, {"female": 0, "male": 0, "unspecified": 0})[gender] = n
    return tuple((c, counts[c]["female"], counts[c]["male"], counts[c]["unspecified"])
                 for c in StaffCategory.values if c in counts)


def data_years(plan, scope):
    """The years the plan's records give data for (reports, measures, first attendances, assistance,
    headcounts): one query. The reported values' years are added by the engine, which reads them anyway."""
    of_scope = f"JOIN establishments_establishment e ON e.id = x.establishment_id {'WHERE ' + scope if scope else ''}"
    people = (f"WHERE p.establishment_id IS NULL OR p.establishment_id IN "
              f"(SELECT e.id FROM establishments_establishment e WHERE {scope})") if scope else ""
    # The years of a million reports, read through the year index (annualreport_year_idx): the next year after
    # each one found (a recursive query), kept when a report of that year lies in the territory (a subquery
    # with LIMIT, run per year, rather than EXISTS, which PostgreSQL would turn into a join of every report).
    in_scope = f"AND {scope}" if scope else ""
    rows = _fetch(f"""WITH RECURSIVE report_years(y) AS (
    SELECT MIN(year) FROM indicators_annualreport
    UNION ALL
    SELECT (SELECT MIN(r.year) FROM indicators_annualreport r WHERE r.year > report_years.y)
    FROM report_years WHERE report_years.y IS NOT NULL)
SELECT DISTINCT y FROM (
    SELECT ry.y FROM report_years ry WHERE ry.y IS NOT NULL AND (
        SELECT 1 FROM indicators_annualreport x JOIN establishments_establishment e ON e.id = x.establishment_id
        WHERE x.year = ry.y {in_scope} LIMIT 1) IS NOT NULL
    UNION SELECT COALESCE(x.year, x.year_latest, x.year_earliest) FROM establishments_cpmeasure x {of_scope}
    UNION SELECT COALESCE(x.year, x.date_latest, x.date_earliest) FROM establishments_assistancerecord x {of_scope}
    UNION SELECT {_year("MIN(ev.start_date)")} FROM training_attendance a
        JOIN training_person p ON p.id = a.person_id JOIN training_event ev ON ev.id = a.event_id {people}
        GROUP BY p.id
    UNION SELECT year FROM training_staffheadcount) d WHERE y IS NOT NULL""", [])
    return {y for (y,) in rows}
