"""Specific consumption of annual production reports: pure arithmetic.

No ORM here: selectors turn database rows into the plain values and frozen
dataclasses below, and these functions compute from them. Every function can
be tested with hand-computed numbers.

Specific consumption (suất tiêu hao) of one report for a resource category
(energy, material, water) is the sum over the report's lines of that category
of quantity × the resource type's factor to the category's common unit
(GJ, t, m³), divided by the report's output:

    specific_consumption[c] = Σ (quantity × factor) over lines of category c ÷ output

A category without any line has no value (None), never 0: "not reported" is
not "nothing used".
"""
from dataclasses import dataclass, field
from decimal import Decimal

from establishments import rules

CATEGORIES = ("energy", "material", "water")
# A change of specific consumption larger than this (in percent, either way)
# against the previous report is asked about before it is saved.
LARGE_CHANGE_PERCENT = Decimal("50")


@dataclass(frozen=True)
class Factor:
    """How one resource type converts to its category's common unit."""

    category: str
    factor: Decimal


@dataclass(frozen=True)
class ReportData:
    """One annual report as plain values: lines are (resource_type_id, quantity)."""

    year: int
    product_unit: str
    output: Decimal
    lines: tuple = ()


@dataclass(frozen=True)
class ConsumptionRow:
    """One report's specific consumption with its changes (percent, None = no value)."""

    year: int
    product_unit: str
    output: Decimal
    consumption: dict
    previous_year: int | None = None
    change_vs_previous: dict = field(default_factory=dict)
    change_vs_baseline: dict = field(default_factory=dict)
    is_baseline: bool = False

    @property
    def cells(self):
        """[(value, change vs previous, change vs baseline)] in CATEGORIES order (for tables)."""
        return [
            (self.consumption.get(c), self.change_vs_previous.get(c), self.change_vs_baseline.get(c))
            for c in CATEGORIES
        ]


def specific_consumption(lines, output, factors):
    """{category: Decimal or None} for one report.

    `lines` is an iterable of (resource_type_id, quantity); `factors` maps a
    resource_type_id to a `Factor`. A line whose type has no factor is ignored.
    Output zero, negative or missing gives no value for every category.
    """
    totals, counts = {}, {}
    for type_id, quantity in lines:
        f = factors.get(type_id)
        if f is None or quantity is None:
            continue
        totals[f.category] = totals.get(f.category, Decimal(0)) + Decimal(quantity) * f.factor
        counts[f.category] = counts.get(f.category, 0) + 1
    output = Decimal(output) if output is not None else None
    return {c: rules.intensity(totals.get(c, Decimal(0)), counts.get(c, 0), output) for c in CATEGORIES}


def percent_change(current, reference):
    """(current ÷ reference − 1) × 100; None where either is missing or reference is 0."""
    if current is None or reference is None or reference == 0:
        return None
    return (Decimal(current) / Decimal(reference) - 1) * 100


def changes(current, reference):
    """Percent change per category between two specific-consumption dicts."""
    return {c: percent_change(current.get(c), reference.get(c)) for c in CATEGORIES}


def consumption_series(reports, factors, baseline_year=None):
    """ConsumptionRow per report, oldest first.

    The change against the previous report uses the latest earlier report with
    the same product unit; the change against the baseline uses the report of
    the baseline year (same product unit) and is given only for later years.
    """
    ordered = sorted(reports, key=lambda r: r.year)
    computed = [(r, specific_consumption(r.lines, r.output, factors)) for r in ordered]
    baseline = next(((r, sc) for r, sc in computed if r.year == baseline_year), None)
    rows = []
    for i, (report, sc) in enumerate(computed):
        previous = next(
            ((r, psc) for r, psc in reversed(computed[:i]) if r.product_unit == report.product_unit), None
        )
        vs_previous = changes(sc, previous[1]) if previous else {}
        vs_baseline = {}
        if baseline and report.year > baseline[0].year and baseline[0].product_unit == report.product_unit:
            vs_baseline = changes(sc, baseline[1])
        rows.append(ConsumptionRow(
            year=report.year, product_unit=report.product_unit, output=report.output, consumption=sc,
            previous_year=previous[0].year if previous else None,
            change_vs_previous=vs_previous, change_vs_baseline=vs_baseline,
            is_baseline=report.year == baseline_year,
        ))
    return rows


def large_changes(new, previous, threshold=LARGE_CHANGE_PERCENT):
    """[(category, percent change)] where |change| > threshold, in CATEGORIES order."""
    found = []
    for category, change in changes(new, previous).items():
        if change is not None and abs(change) > threshold:
            found.append((category, change))
    return found
