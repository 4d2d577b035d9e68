"""establishments.rules at every boundary of DOMAIN.md: equal years, open ends, zero, missing.

Each rule is checked as a function and, on the same rows in the database, as its queryset filter:
the two must agree, so the dashboard, the lists and the pages cannot drift apart.
"""
from decimal import Decimal

import pytest

from establishments import rules
from django.utils import translation

from establishments.models import AssistanceRecord, CPMeasure, Establishment

Y = 2018


# --- Active in a year ------------------------------------------------------------------------------

ACTIVE_CASES = [
    # established, closed, active in 2018?
    (None, None, True),      # both unknown: established, never closed
    (2018, None, True),      # established in the year itself
    (2019, None, False),     # established after the year
    (2017, None, True),
    (None, 2018, False),     # closed in the year: not active in it
    (None, 2019, True),      # closed the year after
    (None, 2017, False),
    (2018, 2018, False),     # set up and closed in the same year
    (2010, 2019, True),
]


@pytest.mark.parametrize("established, closed, expected", ACTIVE_CASES)
def test_is_active(established, closed, expected):
    assert rules.is_active(established, closed, Y) is expected


@pytest.mark.django_db
def test_active_filter_agrees_with_the_function():
    for i, (established, closed, _expected) in enumerate(ACTIVE_CASES):
        Establishment.objects.create(code=f"A-{i}", name=f"A {i}", established_year=established, closed_year=closed,
                                     status="closed" if closed else "active")
    found = set(Establishment.objects.filter(rules.active_q(Y)).values_list("code", flat=True))
    assert found == {f"A-{i}" for i, case in enumerate(ACTIVE_CASES) if case[2]}


# --- POT(Y) ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("potential, established, closed, expected", [
    (True, None, None, True),
    (False, None, None, False),   # active but without CP potential
    (True, 2019, None, False),    # potential but not yet set up
    (True, None, 2018, False),    # potential but closed in the year
    (True, 2018, 2019, True),
])
def test_has_potential(potential, established, closed, expected):
    assert rules.has_potential(potential, established, closed, Y) is expected


@pytest.mark.django_db
def test_potential_filter_agrees_with_the_function():
    cases = [(True, None, None), (False, None, None), (True, 2019, None), (True, None, 2018), (True, 2018, 2019)]
    for i, (potential, established, closed) in enumerate(cases):
        Establishment.objects.create(code=f"P-{i}", name=f"P {i}", cp_potential=potential, established_year=established,
                                     closed_year=closed, status="closed" if closed else "active")
    found = set(Establishment.objects.filter(rules.potential_q(Y)).values_list("code", flat=True))
    assert found == {f"P-{i}" for i, c in enumerate(cases) if rules.has_potential(*c, Y)} == {"P-0", "P-4"}


# --- Measures that count for adoption --------------------------------------------------------------

COUNTING_CASES = [
    # status, category, measure year (exact) or (earliest, latest), counts by 2018?
    ("implemented", "good_housekeeping", 2018, True),    # the year itself counts
    ("implemented", "good_housekeeping", 2017, True),
    ("implemented", "good_housekeeping", 2019, False),   # later than the as-of year
    ("implemented", "good_housekeeping", None, False),   # no year: counts in no year
    ("implemented", "end_of_pipe", 2015, False),         # end-of-pipe never counts
    ("in_progress", "technology_change", 2015, False),
    ("planned", "technology_change", 2015, False),
    # Years known only roughly: a measure counts from its latest possible year.
    ("implemented", "good_housekeeping", (2016, 2018), True),    # latest possible year = the as-of year
    ("implemented", "good_housekeeping", (2016, 2019), False),   # it may have happened only in 2019
    ("implemented", "good_housekeeping", (None, 2018), True),    # "by 2018"
    ("implemented", "good_housekeeping", (None, 2019), False),   # "by 2019"
    ("implemented", "good_housekeeping", (2010, None), False),   # "from 2010": no upper bound, never
    ("implemented", "end_of_pipe", (None, 2015), False),
    ("planned", "good_housekeeping", (2014, 2015), False),
]


def period(year):
    """The `YearRange` of a case's year: an int is exact, a pair a range, None unknown."""
    if isinstance(year, tuple):
        return rules.measure_period(None, *year)
    return rules.measure_period(year, None, None)


def fields(year):
    """The model fields of a case's year."""
    if isinstance(year, tuple):
        return {"year": None, "year_earliest": year[0], "year_latest": year[1]}
    return {"year": year}


@pytest.mark.parametrize("status, category, year, expected", COUNTING_CASES)
def test_counts_by(status, category, year, expected):
    assert rules.counts_by(status, category, period(year), Y) is expected


@pytest.mark.parametrize("status, category, year, expected", COUNTING_CASES)
def test_the_reason_says_what_counts_by_does(status, category, year, expected):
    counts, reason = rules.measure_reason(status, category, period(year), Y)
    assert counts is expected
    assert (reason == "") is expected


def test_the_reasons_in_words():
    with translation.override("en"):
        assert rules.measure_reason("implemented", "good_housekeeping", period(None), Y) == (
            False, "implemented, year unknown: not counted")
        assert rules.measure_reason("implemented", "end_of_pipe", period(2017), Y) == (
            False, "end-of-pipe treatment: shown, not counted")
        assert rules.measure_reason("implemented", "by_product", period((2016, 2019)), Y) == (
            False, "implemented 2016–2019: counted from 2019")
        assert rules.measure_reason("implemented", "by_product", period((2012, None)), Y) == (
            False, "implemented from 2012, no latest year: not counted")
        assert rules.establishment_reason(True, None, 2016, Y) == "closed in 2016"
        assert rules.establishment_reason(True, None, 2019, Y) == ""


def test_counts_for_adoption_ignores_the_year():
    assert rules.counts_for_adoption("implemented", "good_housekeeping")
    assert not rules.counts_for_adoption("implemented", "end_of_pipe")
    assert not rules.counts_for_adoption("planned", "good_housekeeping")


@pytest.mark.django_db
def test_counting_filters_agree_with_the_functions():
    e = Establishment.objects.create(code="M-1", name="M 1")
    for i, (status, category, year, _expected) in enumerate(COUNTING_CASES):
        CPMeasure.objects.create(establishment=e, title=f"m{i}", status=status, category=category, **fields(year))
    by = set(CPMeasure.objects.filter(rules.counts_by_q(Y)).values_list("title", flat=True))
    assert by == {f"m{i}" for i, case in enumerate(COUNTING_CASES) if case[3]} == {"m0", "m1", "m7", "m9"}
    counting = set(CPMeasure.objects.filter(rules.counting_q()).values_list("title", flat=True))
    assert counting == {"m0", "m1", "m2", "m3", "m7", "m8", "m9", "m10", "m11"}
    # Counting in some year: a latest possible year is known.
    assert set(CPMeasure.objects.filter(rules.ever_counts_q()).values_list("title", flat=True)) == {
        "m0", "m1", "m2", "m7", "m8", "m9", "m10"}
    # Through the relation, as the establishment list asks it.
    assert Establishment.objects.filter(rules.counts_by_q(Y, prefix="measures__")).distinct().count() == 1
    assert not Establishment.objects.filter(rules.counts_by_q(2016, prefix="measures__")).exists()


# --- Baseline year: from the earliest possible year ------------------------------------------------

@pytest.mark.parametrize("own, years, expected", [
    (2012, [2016], 2012),              # the establishment's own baseline wins
    (2016, [2016], 2016),              # even when equal to a measure's year
    (None, [2017, None, 2015], 2014),  # the year before the earliest counting measure; unknown skipped
    (None, [2016], 2015),
    (None, [None], None),              # no year known: no baseline
    (None, [], None),
    (None, [(2016, 2018)], 2015),      # a range: the year before its earliest possible year
    (None, [(2016, 2018), 2017], 2015),
    (None, [(2014, 2018), 2013], 2012),
    (None, [(None, 2018)], None),      # "by 2018" has no earliest year: it sets no baseline
    (None, [(None, 2012), 2017], 2016),  # ... and the others still do
    (None, [(2010, None), 2017], 2016),  # "from 2010" counts in no year: it sets none either
    (2011, [(None, 2018)], 2011),
])
def test_baseline_year(own, years, expected):
    assert rules.baseline_year(own, [period(y) for y in years]) == expected


# --- Assistance in a window: only when the whole range lies in it -------------------------------------

ASSISTANCE_CASES = [
    # year (exact) or (earliest, latest); in the window 2013..2018?
    (2013, True), (2018, True), (2012, False), (2019, False),
    ((2013, 2018), True),     # both ends on the window's bounds
    ((2016, 2018), True),
    ((2012, 2014), False),    # may lie before the window
    ((2017, 2019), False),    # may lie after it
    ((None, 2018), False),    # "by 2018": it may be before 2013
    ((2014, None), False),    # "from 2014": it may be after 2018
]


def assistance(year):
    if isinstance(year, tuple):
        return {"year": None, "date_earliest": year[0], "date_latest": year[1]}
    return {"year": year}


@pytest.mark.parametrize("year, expected", ASSISTANCE_CASES)
def test_assisted_within(year, expected):
    a = assistance(year)
    p = rules.assistance_period(a["year"], a.get("date_earliest"), a.get("date_latest"))
    assert rules.assisted_within(p, 2013, Y) is expected
    assert rules.assistance_reason(p, 2013, Y)[0] is expected


@pytest.mark.django_db
def test_assistance_filter_agrees_with_the_function():
    e = Establishment.objects.create(code="AS-1", name="AS 1")
    for i, (year, _expected) in enumerate(ASSISTANCE_CASES):
        AssistanceRecord.objects.create(establishment=e, kind="survey", description=f"a{i}", **assistance(year))
    found = set(AssistanceRecord.objects.filter(rules.assisted_within_q(2013, Y)).values_list("description", flat=True))
    assert found == {f"a{i}" for i, case in enumerate(ASSISTANCE_CASES) if case[1]} == {"a0", "a1", "a4", "a5"}


def test_assistance_reason_in_words():
    with translation.override("en"):
        assert rules.assistance_reason(rules.assistance_period(None, None, 2018), 2013, 2018) == (
            False, "dated by 2018: not known to lie within 2013–2018, not counted")
        assert rules.assistance_reason(rules.assistance_period(None, 2017, 2019), 2013, 2018) == (
            False, "dated 2017–2019: outside 2013–2018, not counted")


# --- Why a reduction is not defined ---------------------------------------------------------------

@pytest.mark.parametrize("base, t, base_unit, unit, base_i, cur_i, expected", [
    (None, None, None, None, None, None, "no baseline year: not counted"),
    (2015, None, None, None, None, None, "no report after the baseline year 2015: not counted"),
    (2015, 2018, None, "t", None, 2.0, "no report for the baseline year 2015: not counted"),
    (2015, 2018, "t", "kg", None, None, "report unit differs from the baseline's: not counted"),
    (2015, 2018, "t", "t", None, 2.0, "no output or no line of this kind in a report: not counted"),
    (2015, 2018, "t", "t", 0.0, 2.0, "baseline use is zero: not counted"),
    (2015, 2018, "t", "t", 2.5, 2.0, ""),   # defined: (1 − 2 ÷ 2.5) × 100 = 20 %
])
def test_reduction_reason(base, t, base_unit, unit, base_i, cur_i, expected):
    with translation.override("en"):
        assert rules.reduction_reason(base, t, base_unit, unit, base_i, cur_i) == expected
    assert (expected == "") is (rules.reduction_percent(base_i, cur_i) is not None and base_unit == unit)


# --- Intensity and reduction -----------------------------------------------------------------------

@pytest.mark.parametrize("total, lines, output, expected", [
    (1000.0, 1, 100.0, 10.0),
    (0.0, 1, 100.0, 0.0),        # a line with zero use: nothing used, a value of 0
    (1000.0, 0, 100.0, None),    # no line of the category: not reported, no value
    (1000.0, 1, 0.0, None),      # zero output
    (1000.0, 1, -5.0, None),     # negative output
    (1000.0, 1, None, None),     # missing output
    (Decimal("15"), 2, Decimal("4"), Decimal("3.75")),
])
def test_intensity(total, lines, output, expected):
    assert rules.intensity(total, lines, output) == expected


@pytest.mark.parametrize("base, current, expected", [
    (10.0, 9.0, pytest.approx(10.0)),
    (10.0, 10.0, 0.0),          # no change
    (10.0, 12.0, pytest.approx(-20.0)),  # use went up: a negative reduction
    (10.0, 0.0, 100.0),
    (0.0, 5.0, None),           # zero baseline: undefined, never a division by zero
    (-1.0, 5.0, None),
    (None, 5.0, None),
    (10.0, None, None),
])
def test_reduction_percent(base, current, expected):
    assert rules.reduction_percent(base, current) == expected


# --- Closing year ----------------------------------------------------------------------------------

@pytest.mark.parametrize("established, closed, expected", [
    (2015, 2015, True),     # closed the year it was set up
    (2015, 2016, True),
    (2015, 2014, False),
    (None, 2014, True),     # unknown founding year: nothing to check
    (2015, None, True),
])
def test_closing_year_valid(established, closed, expected):
    assert rules.closing_year_valid(established, closed) is expected


@pytest.mark.django_db
def test_the_database_refuses_what_the_closing_year_rule_refuses():
    """The check constraint is `closing_year_valid_q`: valid rows are stored, an invalid one is refused."""
    from django.db import IntegrityError, transaction

    cases = [(2015, 2015), (2015, 2016), (None, 2014), (2015, None)]
    for i, (established, closed) in enumerate(cases):
        Establishment.objects.create(code=f"C-{i}", name=f"C {i}", established_year=established, closed_year=closed,
                                     status="closed" if closed else "active")
    assert Establishment.objects.filter(rules.closing_year_valid_q()).count() == len(cases)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Establishment.objects.create(code="C-bad", name="C bad", established_year=2015, closed_year=2014,
                                     status="closed")
