"""Boundaries of establishments.rules that mutation testing (scripts/mutation.py) found unguarded.

Each test names the mistake it catches. Expected values are worked out by hand from DOMAIN.md.
"""
from decimal import Decimal

import pytest

from establishments import rules
from establishments.models import CPMeasure, Establishment, MeasureCategory, MeasureStatus

Y = 2018
COUNTING_CATEGORIES = [c for c in MeasureCategory.values if c != "end_of_pipe"]


# --- Measures that count for adoption: every category but end-of-pipe, only the status "implemented" ---

@pytest.mark.parametrize("category", COUNTING_CATEGORIES)
def test_every_category_but_end_of_pipe_counts(category):
    # `category > "end_of_pipe"` would hold for most codes but not for "by_product", which sorts before it.
    assert rules.counts_for_adoption("implemented", category) is True
    assert rules.counts_by("implemented", category, rules.measure_period(2016, None, None), Y) is True


@pytest.mark.parametrize("status", ["", "abandoned", "Implemented", "implemented "])
def test_only_the_exact_status_implemented_counts(status):
    # An equality, not an order: a status sorting before "implemented" ("", "abandoned") does not count.
    assert rules.counts_for_adoption(status, "good_housekeeping") is False


@pytest.mark.django_db
def test_counting_filter_agrees_with_the_function_for_every_category_and_status():
    e = Establishment.objects.create(code="CAT-1", name="Every category")
    expected = set()
    for category in MeasureCategory.values:
        for status in MeasureStatus.values:
            title = f"{category}/{status}"
            CPMeasure.objects.create(establishment=e, title=title, category=category, status=status, year=2016)
            if rules.counts_for_adoption(status, category):
                expected.add(title)
    assert expected == {f"{c}/implemented" for c in COUNTING_CATEGORIES}
    assert set(CPMeasure.objects.filter(rules.counting_q()).values_list("title", flat=True)) == expected
    assert set(CPMeasure.objects.filter(rules.counts_by_q(Y)).values_list("title", flat=True)) == expected


# --- Intensity: any output above zero divides, including outputs of one unit or less -----------------

@pytest.mark.parametrize("total, output, expected", [
    (10.0, 1.0, 10.0),                                # exactly one unit of product
    (10.0, 0.5, 20.0),                                # less than one unit: still a value
    (Decimal("3"), Decimal("0.25"), Decimal("12")),
])
def test_intensity_of_outputs_of_one_unit_or_less(total, output, expected):
    assert rules.intensity(total, 1, output) == expected


# --- Closing year: the filter with both years unknown ------------------------------------------------

@pytest.mark.django_db
def test_closing_year_filter_keeps_an_establishment_with_both_years_unknown():
    # Both unknown: nothing to check, valid. (An exclusive "or" of the two "unknown" tests would drop it.)
    Establishment.objects.create(code="N-1", name="Both unknown")
    Establishment.objects.create(code="N-2", name="Only set-up year", established_year=2010)
    Establishment.objects.create(code="N-3", name="Only closing year", closed_year=2012, status="closed")
    assert rules.closing_year_valid(None, None) is True
    found = set(Establishment.objects.filter(rules.closing_year_valid_q()).values_list("code", flat=True))
    assert found == {"N-1", "N-2", "N-3"}
