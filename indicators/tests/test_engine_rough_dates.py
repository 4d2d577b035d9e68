"""The engine on years known only roughly, worked by hand (DOMAIN.md, "Dates known only roughly"): a measure
counts from its latest possible year, the baseline is the year before its earliest possible year, an
assistance record counts only when its whole range lies in the window."""
import pytest

from indicators import engine
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_range_counts_from_its_latest_year_and_sets_the_baseline_from_its_earliest():
    plan = f.plan()
    ranged = f.establishment(code="RG-1")
    f.measure(ranged, None, year_earliest=2016, year_latest=2018)     # adopter from 2018; baseline 2015
    f.report(ranged, 2015, 100, electricity=100000)                   # 360 GJ / 100 t = 3.6
    f.report(ranged, 2018, 100, electricity=80000)                    # 288 GJ / 100 t = 2.88 -> R = 20 %
    by = f.establishment(code="RG-2")
    f.measure(by, None, year_latest=2017)                             # adopter from 2017; no baseline
    f.report(by, 2015, 100, electricity=100000)
    f.report(by, 2018, 100, electricity=50000)
    f.establishment(code="RG-3")                                      # no measure
    from_ = f.establishment(code="RG-4")
    f.measure(from_, None, year_earliest=2014)                        # "from 2014": never an adopter

    a2016 = engine.cp_adoption(plan, 2016)
    assert (a2016.numerator, a2016.denominator) == (0, 4)
    a2017 = engine.cp_adoption(plan, 2017)
    assert (a2017.numerator, a2017.denominator) == (1, 4)             # "by 2017" only
    a2018 = engine.cp_adoption(plan, 2018)
    assert (a2018.numerator, a2018.denominator) == (2, 4)             # 2 of 4 = 50 %
    assert a2018.value == pytest.approx(50.0)

    r = engine.energy_intensity_reduction(plan, 2018)
    assert r.n == 1 and r.value == pytest.approx(20.0)                # RG-1 only: RG-2 has no baseline
    assert engine.energy_intensity_reduction(plan, 2017).value is None  # RG-2 adopts, but has no baseline


def test_assistance_counts_only_when_its_whole_range_lies_in_the_window():
    plan = f.plan()                                                    # 2013–2020
    one, two, three, four = (f.establishment(code=f"AS-{i}") for i in range(1, 5))
    f.assistance(one, year=None, date_earliest=2014, date_latest=2016)  # inside 2013..2016
    f.assistance(two, year=None, date_latest=2016)                      # "by 2016": may be before 2013
    f.assistance(three, year=None, date_earliest=2012, date_latest=2014)  # may be before 2013
    f.assistance(four, year=2015)
    r2016 = engine.establishments_assisted(plan, 2016)
    assert set(r2016.numerator_ids) == {one.pk, four.pk} and r2016.value == 2
    r2015 = engine.establishments_assisted(plan, 2015)
    assert set(r2015.numerator_ids) == {four.pk}                       # 2014–2016 may end in 2016
    dash = engine.dashboard(plan, 2016)
    assert dict(dash.assistance_per_year)[2015] == 1                   # a range is in no single year
    assert sum(n for _y, n in dash.assistance_per_year) == 1
