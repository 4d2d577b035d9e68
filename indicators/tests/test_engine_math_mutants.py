"""Boundaries of indicators.engine_math (and indicators.metrics, at the end) that mutation testing
(scripts/mutation.py) found unguarded.

Pure functions on plain rows; every expected value is worked out by hand in the comment beside it
(DOMAIN.md, "How each indicator is computed").
"""
import dataclasses
from decimal import Decimal as D

import pytest

from establishments import rules
from indicators import engine, metrics
from indicators import engine_math as m

from . import dashboard_data as d


def measure(status="implemented", category="good_housekeeping", year=None, id=0, earliest=None, latest=None):
    """A measure row as engine.load_snapshot builds it, with its `period`."""
    return {"id": id, "status": status, "category": category, "year": year,
            "period": rules.measure_period(year, earliest, latest)}


def report(unit="t", output=100.0, **categories):
    """A report row as engine.load_snapshot builds it: {category: (total in common unit, lines)}."""
    return {"product_unit": unit, "output": output, "categories": categories}


# --- Baseline year: only measures that count for adoption set it ---------------------------------------

def test_baseline_year_ignores_measures_that_do_not_count():
    est = {"baseline_year": None}
    measures = [
        measure("planned", year=2011),                     # planned, however early: not counted
        measure("in_progress", year=2012),
        measure(category="end_of_pipe", year=2010),        # end-of-pipe: not counted
        measure(year=2015),                                # the earliest that counts -> baseline 2014
        measure(year=2017),
    ]
    assert m.baseline_year(est, measures) == 2014


def test_baseline_year_without_counting_measures_is_none():
    assert m.baseline_year({"baseline_year": None}, [measure("planned", year=2012)]) is None
    assert m.counts_for_adoption(measure("planned", year=2012)) is False
    assert m.counts_for_adoption(measure(year=None)) is False
    assert m.counts_for_adoption(measure(year=2012)) is True
    assert m.counts_for_adoption(measure(latest=2018)) is True       # "by 2018": counts from 2018
    assert m.counts_for_adoption(measure(earliest=2012)) is False    # "from 2012": in no year


def test_adopters_count_a_rough_measure_from_its_latest_year():
    pot = [{"id": 1}, {"id": 2}, {"id": 3}]
    measures = {1: [measure(earliest=2016, latest=2018, id=10)],   # 2016–2018: adopter from 2018
                2: [measure(latest=2017, id=20)],                  # by 2017: from 2017
                3: [measure(earliest=2015, id=30)]}                # from 2015: never
    assert m.adopters(pot, measures, 2017) == {2: [20]}
    assert m.adopters(pot, measures, 2018) == {1: [10], 2: [20]}
    assert m.adopters(pot, measures, 2030) == {1: [10], 2: [20]}
    # Baselines from the earliest possible year: 2016–2018 -> 2015; "by 2017" sets none.
    assert m.baseline_year({"baseline_year": None}, measures[1]) == 2015
    assert m.baseline_year({"baseline_year": None}, measures[2]) is None
    assert m.baseline_year({"baseline_year": None}, measures[3]) is None


# --- Intensity of a category the report has no line of -------------------------------------------------

def test_intensity_of_a_category_without_lines_is_none_not_zero():
    r = report(energy=(36.0, 2))
    assert m.intensity(r, "energy") == pytest.approx(0.36)  # 36 GJ / 100 t
    assert m.intensity(r, "material") is None                # no material line: not reported
    assert m.intensity(r, "water") is None


# --- Reduction: which report is compared with the baseline ---------------------------------------------

def test_reduction_never_compares_with_a_report_before_the_baseline():
    reports = {2012: report(energy=(50.0, 1)), 2014: report(energy=(40.0, 1))}
    # Baseline 2014; the only other report (2012) is older: there is no t with 2014 < t <= 2018.
    assert m.reduction(reports, 2014, 2018, "energy") == (None, None, None, None)


def test_reduction_picks_the_latest_report_after_the_baseline_up_to_the_year():
    reports = {2012: report(energy=(90.0, 1)), 2014: report(energy=(40.0, 1)),
               2016: report(energy=(36.0, 1)), 2017: report(energy=(30.0, 1)), 2019: report(energy=(10.0, 1))}
    value, t, base_i, cur_i = m.reduction(reports, 2014, 2018, "energy")
    # t = 2017 (2019 is after the year): (1 − 0.30 / 0.40) × 100 = 25 %
    assert t == 2017
    assert (base_i, cur_i) == (pytest.approx(0.4), pytest.approx(0.3))
    assert value == pytest.approx(25.0)


@pytest.mark.parametrize("base_unit, current_unit", [("kg", "t"), ("t", "kg"), ("m³", "t")])
def test_reduction_is_undefined_between_different_product_units(base_unit, current_unit):
    reports = {2014: report(base_unit, energy=(40.0, 1)), 2016: report(current_unit, energy=(30.0, 1))}
    assert m.reduction(reports, 2014, 2018, "energy") == (None, 2016, None, None)


def test_reduction_compares_units_by_value_not_by_object():
    # Two rows read from the database hold equal texts in different string objects.
    unit, base_unit = "m³", "".join(["m", "³"])
    assert base_unit == unit and base_unit is not unit
    reports = {2014: report(base_unit, energy=(40.0, 1)), 2016: report(unit, energy=(30.0, 1))}
    value, t, _base, _cur = m.reduction(reports, 2014, 2018, "energy")
    assert (t, value) == (2016, pytest.approx(25.0))


@pytest.mark.django_db
def test_energy_reduction_with_a_product_unit_read_from_the_database():
    # E1: measure 2015 -> baseline 2014. 2014: 100 m³ of product, 10,000 kWh = 36 GJ -> 0.36 GJ/m³;
    # 2017: 100 m³, 9,000 kWh = 32.4 GJ -> 0.324 GJ/m³: R = (1 − 0.324 / 0.36) × 100 = 10 %.
    p = d.plan(energy_intensity_reduction=(5, 8, 2020))
    e1 = d.est("E1"); d.measure(e1, 2015)
    d.report(e1, 2014, 100, unit="m³", electricity=10000)
    d.report(e1, 2017, 100, unit="m³", electricity=9000)
    r = engine.energy_intensity_reduction(p, 2018)
    assert r.n == 1
    assert r.value == pytest.approx(10.0)


# --- Share reaching the target's low bound: the bound itself reaches it --------------------------------

def test_share_at_least_counts_values_equal_to_the_bound():
    # 5.0 reaches a bound of 5; 4.99 does not: 2 of 3 = 66.67 %
    assert m.share_at_least([5.0, 4.99, 8.0], 5) == pytest.approx(200 / 3)
    assert m.share_at_least([], 5) is None
    assert m.share_at_least([5.0], None) is None


# --- Headcount for a year: the category's own latest headcount up to the year --------------------------

def test_headcount_for_takes_the_latest_year_of_the_category_whatever_the_order():
    headcounts = [
        (2014, "gov_staff", 10),
        (2016, "gov_staff", 20),   # the latest up to 2018
        (2015, "gov_staff", 15),
        (2019, "gov_staff", 40),   # after the year
        (2017, "other", 99),       # other categories, later than 2016, sorting after and before "gov_staff"
        (2018, "cp_staff", 77),
    ]
    assert m.headcount_for(headcounts, "gov_staff", 2018) == 20
    assert m.headcount_for(headcounts, "gov_staff", 2016) == 20   # the year itself
    assert m.headcount_for(headcounts, "gov_staff", 2015) == 15
    assert m.headcount_for(headcounts, "gov_staff", 2013) is None
    assert m.headcount_for(headcounts, "cp_staff", 2018) == 77
    assert m.headcount_for(headcounts, "technical_staff", 2018) is None


# --- Status: the exact path, the start value, a deadline without a path --------------------------------

def test_status_on_the_path_exactly_is_on_track():
    # L = 14, S = 2013, D = 2020, Y = 2017, v_S = 0: required = 14 × 4 / 7 = 8 (exact in floating point)
    assert m.status(8.0, 14, 2017, 2013, 2020, None) == m.ON_TRACK
    assert m.status(7.99, 14, 2017, 2013, 2020, None) == m.BEHIND


def test_status_without_a_start_value_uses_zero():
    # L = 15, S = 2013, D = 2020, Y = 2017, v_S = 0: required = 15 × 4 / 7 = 8.571
    # (with v_S = 1 it would be 9, with v_S = −1 8.143)
    assert m.status(8.8, 15, 2017, 2013, 2020, None) == m.ON_TRACK
    assert m.status(8.4, 15, 2017, 2013, 2020, None) == m.BEHIND
    assert m.status(8.8, 15, 2017, 2013, 2020, 0.0) == m.ON_TRACK


@pytest.mark.parametrize("deadline", [2013, 2010])
def test_status_with_a_deadline_not_after_the_start_only_checks_the_bound(deadline):
    # No path from S to D: below the bound is behind (and no division by D − S = 0).
    assert m.status(5, 15, 2014, 2013, deadline, None) == m.BEHIND
    assert m.status(15, 15, 2014, 2013, deadline, None) == m.ACHIEVED


# --- Progress toward the target -------------------------------------------------------------------------

@pytest.mark.parametrize("value, low, expected", [
    (6, 15, 40.0),        # 6 / 15 × 100
    (7.5, 15, 50.0),
    (15, 15, 100.0),
    (30, 15, 200.0),
    (0, 15, 0.0),
    (None, 15, None),
    (5, None, None),
    (5, 0, None),         # no bound to divide by
])
def test_progress_toward(value, low, expected):
    assert m.progress_toward(value, low) == (pytest.approx(expected) if expected is not None else None)


# --- Linear projection ----------------------------------------------------------------------------------

def test_projection_through_two_years_is_the_line_through_them():
    # 10 in 2016, 20 in 2017: +10 a year -> 50 in 2020
    assert m.linear_projection([(2016, 10.0), (2017, 20.0)], 2020) == pytest.approx(50.0)
    assert m.linear_projection([(2016, 10.0), (2016, 20.0)], 2020) is None  # one distinct year
    assert m.linear_projection([(2016, 10.0)], 2020) is None


def test_projection_with_a_fractional_mean_and_on_both_sides_of_it():
    # x = 2014, 2015, 2016; y = 1, 2, 4: mean x 2015, mean y 7/3; Sxx = 2; Sxy = (−1)(1 − 7/3) + (1)(4 − 7/3) = 3
    # slope 1.5 -> at 2017: 7/3 + 1.5 × 2 = 5.333…; at 2014.5: 7/3 − 0.75 = 1.583…
    points = [(2014, 1.0), (2015, 2.0), (2016, 4.0)]
    assert m.linear_projection(points, 2017) == pytest.approx(7 / 3 + 3)
    assert m.linear_projection(points, 2014.5) == pytest.approx(7 / 3 - 0.75)


# =====================================================================================================
# indicators.metrics (the establishment page's specific consumption). Kept in this file, with the
# other pure arithmetic of the indicators app; scripts/mutation.toml runs it against metrics.py too.
# =====================================================================================================

ELECTRICITY, WATER, UNKNOWN = 1, 5, 99
FACTORS = {ELECTRICITY: metrics.Factor("energy", D("0.0036")), WATER: metrics.Factor("water", D("1"))}


def test_metrics_dataclasses_are_frozen():
    factor = metrics.Factor("energy", D("1"))
    data = metrics.ReportData(2016, "t", D("1"))
    row = metrics.ConsumptionRow(year=2016, product_unit="t", output=D("1"), consumption={})
    for obj, name in ((factor, "factor"), (data, "output"), (row, "year")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, name, 0)
    assert row.is_baseline is False  # a row is not the baseline unless it says so


def test_specific_consumption_skips_unknown_types_and_missing_quantities_wherever_they_are():
    lines = [
        (UNKNOWN, D("500")),        # a type without a factor, first: skipped, the lines after it still count
        (WATER, None),              # a known type without quantity: skipped
        (ELECTRICITY, D("100000")),  # 100,000 kWh × 0.0036 = 360 GJ
        (UNKNOWN, None),
        (WATER, D("2000")),         # 2,000 m³
    ]
    sc = metrics.specific_consumption(lines, D("100"), FACTORS)
    assert sc == {"energy": D("3.6"), "material": None, "water": D("20")}  # per 100 t of product


def test_specific_consumption_of_a_report_with_only_skipped_lines_has_no_value():
    assert metrics.specific_consumption([(UNKNOWN, D("5")), (WATER, None)], D("100"), FACTORS) == {
        "energy": None, "material": None, "water": None}


def water_report(year, unit, output, water):
    return metrics.ReportData(year, unit, D(output), ((WATER, D(water)),))


def test_series_baseline_is_the_report_of_that_year_only():
    # Baseline 2014 has no report: no change against a baseline anywhere, and no row is the baseline.
    reports = [water_report(2013, "t", "100", "1000"), water_report(2015, "t", "100", "900"),
               water_report(2016, "t", "100", "800")]
    rows = metrics.consumption_series(reports, FACTORS, baseline_year=2014)
    assert [r.change_vs_baseline for r in rows] == [{}, {}, {}]
    assert [r.is_baseline for r in rows] == [False, False, False]
    # The previous report is still used: 2016 vs 2015 = 8 / 9 − 1 = −11.11 %
    assert round(rows[2].change_vs_previous["water"], 2) == D("-11.11")


def test_series_compares_with_the_baseline_only_after_it():
    # Reports 2013, 2015 (baseline, read from elsewhere as another int object), 2016.
    # 2013: 10 m³/t, 2015: 9, 2016: 8 -> 2016 vs baseline: 8 / 9 − 1 = −11.11 %; 2013 (before): none.
    baseline_year = int("2015")
    reports = [water_report(2013, "t", "100", "1000"), water_report(2015, "t", "100", "900"),
               water_report(2016, "t", "100", "800")]
    rows = metrics.consumption_series(reports, FACTORS, baseline_year=baseline_year)
    assert [r.is_baseline for r in rows] == [False, True, False]
    assert rows[0].change_vs_baseline == {}
    assert rows[1].change_vs_baseline == {}
    assert round(rows[2].change_vs_baseline["water"], 2) == D("-11.11")


def test_series_matches_product_units_by_value_and_exactly():
    # Units as texts read from the database: equal but distinct objects, and units that sort before
    # one another ("kg" < "t"), which must not be compared.
    kg = "".join(["k", "g"])
    reports = [
        water_report(2014, kg, "100", "1000"),     # baseline, 10 m³/kg-unit
        water_report(2015, "t", "100", "900"),     # another unit: no previous, no baseline comparison
        water_report(2016, "kg", "100", "800"),    # 8: vs 2014 (same unit, 2015 skipped) −20 %
    ]
    rows = metrics.consumption_series(reports, FACTORS, baseline_year=2014)
    assert rows[1].previous_year is None
    assert rows[1].change_vs_previous == {} and rows[1].change_vs_baseline == {}
    assert rows[2].previous_year == 2014
    assert rows[2].change_vs_previous["water"] == D("-20")
    assert rows[2].change_vs_baseline["water"] == D("-20")
