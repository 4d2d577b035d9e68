"""Large changes of specific consumption in an import of annual reports.

The annual report form asks before it saves a report whose specific consumption
changes by more than ``indicators.metrics.LARGE_CHANGE_PERCENT`` against the
previous report. An import asks the same on its preview, for every comparison
the file changes: a report it creates or changes against the report before it,
and the report after it against the new figures. The previous report may be in
the portal or in the same file. Reads only (a fixed handful of queries); the
arithmetic is ``indicators.metrics``'s, the pairing of a report with the one
before it (same product unit) is ``consumption_series``'s.
"""
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from establishments.models import Establishment
from indicators.metrics import CATEGORIES, ReportData, consumption_series, large_changes
from indicators.models import CATEGORY_UNITS, AnnualReport, ResourceCategory, ResourceLine
from indicators.selectors import resource_factors
from kontum_cp.templatetags.portal import num, pct

IN_CHUNK = 900  # below SQLite's oldest limit of 999 parameters per query


@dataclass(frozen=True)
class FileReport:
    """An annual report that the file creates or changes, as it will be after the import."""

    row: int  # the first row of the report in the file
    establishment_id: int
    year: int
    product_unit: str
    output: Decimal | None
    lines: dict  # resource type id -> quantity, as given in the file


@dataclass(frozen=True)
class LargeChange:
    """One category of one report whose specific consumption changes by more than the limit."""

    row: int | None  # first row of the report in the file; None for a later report already in the portal
    establishment_code: str
    establishment_name: str
    year: int
    previous_year: int
    category: str  # energy, material or water
    unit: str  # per unit of product, e.g. "GJ/t"
    previous_value: Decimal
    value: Decimal
    change: Decimal  # percent

    @property
    def message(self):
        """The warning in the active language, with its numbers in the language's format."""
        values = {
            "establishment": f"{self.establishment_code} {self.establishment_name}", "year": str(self.year),
            "category": str(ResourceCategory(self.category).label).lower(), "unit": self.unit,
            "value": num(self.value, _decimals(self.value, self.previous_value)),
            "previous": num(self.previous_value, _decimals(self.value, self.previous_value)),
            "previous_year": str(self.previous_year), "change": pct(abs(self.change)),
        }
        if self.change > 0:
            return _("%(establishment)s, %(year)s: specific consumption of %(category)s %(value)s %(unit)s "
                     "against %(previous)s %(unit)s in %(previous_year)s (up %(change)s).") % values
        return _("%(establishment)s, %(year)s: specific consumption of %(category)s %(value)s %(unit)s "
                 "against %(previous)s %(unit)s in %(previous_year)s (down %(change)s).") % values


def _decimals(*values):
    """Three decimals, more for small values, so that two values that differ never print the same."""
    smallest = min(abs(v) for v in values)
    decimals = 3
    while decimals < 8 and smallest and smallest < Decimal(10) ** (1 - decimals):
        decimals += 1
    return decimals


def _chunks(values):
    values = sorted(values)
    return [values[i:i + IN_CHUNK] for i in range(0, len(values), IN_CHUNK)]


def _reports_in_portal(est_ids):
    """{(establishment id, year): ReportData} of every report of the establishments (2 queries per 900)."""
    heads, lines = {}, defaultdict(dict)
    for chunk in _chunks(est_ids):
        for pk, est_id, year, unit, output in AnnualReport.objects.filter(establishment_id__in=chunk).values_list(
                "pk", "establishment_id", "year", "product_unit", "output"):
            heads[pk] = (est_id, year, unit, output)
        for report_id, type_id, quantity in ResourceLine.objects.filter(
                report__establishment_id__in=chunk).values_list("report_id", "resource_type_id", "quantity"):
            lines[report_id][type_id] = quantity
    return {(est_id, year): (unit, output, lines[pk]) for pk, (est_id, year, unit, output) in heads.items()}


def _reports_after_import(file_reports):
    """{establishment id: [ReportData]}: the portal's reports with the file's changes applied."""
    after = _reports_in_portal({f.establishment_id for f in file_reports})
    for f in file_reports:
        _unit, _output, kept = after.get((f.establishment_id, f.year), ("", None, {}))
        # Lines in the portal and absent from the file are kept (docs/import-formats.md).
        after[(f.establishment_id, f.year)] = (f.product_unit, f.output, {**kept, **f.lines})
    series = defaultdict(list)
    for (est_id, year), (unit, output, lines) in after.items():
        series[est_id].append(ReportData(year=year, product_unit=unit, output=output, lines=tuple(lines.items())))
    return series


def _found(reports, changed_years, factors):
    """[(ConsumptionRow, the previous ConsumptionRow, category, change)] over the comparisons that the
    file changes: one of the two reports is created or changed by it."""
    rows = consumption_series(reports, factors)
    by_year = {r.year: r for r in rows}
    found = []
    for row in rows:
        if row.previous_year is None or not {row.year, row.previous_year} & changed_years:
            continue
        previous = by_year[row.previous_year]
        found += [(row, previous, category, change)
                  for category, change in large_changes(row.consumption, previous.consumption)]
    return found


def _establishment_names(est_ids):
    names = {}
    for chunk in _chunks(est_ids):
        names.update({pk: (code, name) for pk, code, name in
                      Establishment.objects.filter(pk__in=chunk).values_list("pk", "code", "name")})
    return names


def large_changes_in(file_reports):
    """[LargeChange] for the reports a file creates or changes, by establishment code, year and category.

    `file_reports` (FileReport) may come one at a time, the reports of an establishment one after the other:
    they are compared IN_CHUNK establishments at a time, so that a large file is never held whole here.
    """
    out, factors = [], None
    for chunk in _by_establishments(file_reports):
        factors = factors or resource_factors()
        out += _large_changes(chunk, factors)
    return sorted(out, key=lambda c: (c.establishment_code, c.year, CATEGORIES.index(c.category)))


def _by_establishments(file_reports):
    """Lists of the file reports of at most IN_CHUNK establishments each."""
    chunk, ids, done = [], set(), set()
    for f in file_reports:
        if f.establishment_id not in ids:
            if f.establishment_id in done:
                raise ValueError("the reports of an establishment must come one after the other")
            if len(ids) == IN_CHUNK:
                yield chunk
                done |= ids
                chunk, ids = [], set()
            ids.add(f.establishment_id)
        chunk.append(f)
    if chunk:
        yield chunk


def _large_changes(file_reports, factors):
    changed = defaultdict(set)
    for f in file_reports:
        changed[f.establishment_id].add(f.year)
    found = [(est_id, *item) for est_id, reports in _reports_after_import(file_reports).items()
             if est_id in changed for item in _found(reports, changed[est_id], factors)]
    names = _establishment_names({est_id for est_id, *_rest in found}) if found else {}
    rows = {(f.establishment_id, f.year): f.row for f in file_reports}
    return [
        LargeChange(row=rows.get((est_id, row.year)), establishment_code=names[est_id][0],
                    establishment_name=names[est_id][1], year=row.year, previous_year=previous.year,
                    category=category, unit=f"{CATEGORY_UNITS[category]}/{row.product_unit}",
                    previous_value=previous.consumption[category], value=row.consumption[category], change=change)
        for est_id, row, previous, category, change in found
    ]
