"""The indicator engine, one small hand-worked dataset per indicator (DOMAIN.md formulas)."""
import pytest
from django.utils import translation
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators import engine
from indicators import engine_math as m

from . import dashboard_data as d

pytestmark = pytest.mark.django_db


# --- cp_adoption -----------------------------------------------------------------------------

def adoption_data():
    p = d.plan(cp_adoption=15)
    e1 = d.est("E1"); d.measure(e1, 2015)                                  # adopter
    e2 = d.est("E2"); d.measure(e2, 2015, category="end_of_pipe")          # end-of-pipe only: not an adopter
    e3 = d.est("E3"); d.measure(e3, None)                                  # measure without a year: no year
    e4 = d.est("E4"); d.measure(e4, 2015, status="planned")                # only planned
    e5 = d.est("E5", closed=2016); d.measure(e5, 2014)                     # closed before 2018: not in POT
    e6 = d.est("E6", established=2019); d.measure(e6, 2019)                # established after 2018
    e7 = d.est("E7", potential=False); d.measure(e7, 2015)                 # no CP potential
    e8 = d.est("E8"); d.measure(e8, 2019)                                  # adopts only after 2018
    return p, (e1, e2, e3, e4, e5, e6, e7, e8)


def test_cp_adoption_counts_implemented_non_end_of_pipe_measures_of_active_potential_establishments():
    p, (e1, e2, e3, e4, e5, e6, e7, e8) = adoption_data()
    d.registry_complete(2018)  # confirmed complete: the share is judged against its target
    r = engine.cp_adoption(p, 2018)
    # POT(2018) = E1, E2, E3, E4, E8 (E5 closed 2016, E6 set up 2019, E7 no potential) = 5
    # A(2018) = E1 only -> 1 / 5 × 100 = 20 %
    assert (r.numerator, r.denominator) == (1, 5)
    assert r.value == pytest.approx(20.0)
    assert r.numerator_ids == (e1.pk,)
    assert set(r.denominator_ids) == {e1.pk, e2.pk, e3.pk, e4.pk, e8.pk}
    assert r.status == m.ACHIEVED  # 20 >= 15
    assert r.source == "computed"


def test_cp_adoption_closed_establishment_counts_before_its_closing_year():
    p, (e1, *_rest) = adoption_data()
    r = engine.cp_adoption(p, 2015)
    # POT(2015) = E1, E2, E3, E4, E5 (closes 2016), E8 = 6; A = E1, E5 -> 2 / 6 = 33.33 %
    assert (r.numerator, r.denominator) == (2, 6)
    assert r.value == pytest.approx(100 * 2 / 6)


def test_cp_adoption_without_establishments_is_no_data_not_zero():
    p = d.plan(cp_adoption=15)
    r = engine.cp_adoption(p, 2018)
    assert r.value is None and r.denominator == 0
    assert r.status == m.NO_DATA
    assert r.source == "none"


def test_status_uses_the_value_at_the_plan_start():
    # Target 50 % by 2020, plan starts 2013. 8 establishments; E1 adopts in 2013 -> v_S = 1/8 = 12.5 %.
    # As of 2017 the path requires 12.5 + (50 − 12.5) × (2017 − 2013) ÷ (2020 − 2013) = 33.93 %.
    p = d.plan(cp_adoption=50)
    d.registry_complete(2017)
    ests = [d.est() for _ in range(8)]
    d.measure(ests[0], 2013)
    d.measure(ests[1], 2016)
    r = engine.cp_adoption(p, 2017)
    assert r.value == pytest.approx(25.0)  # 2/8
    assert r.status == m.BEHIND            # 25 < 33.93
    d.measure(ests[2], 2017)
    r = engine.cp_adoption(p, 2017)
    assert r.value == pytest.approx(37.5)  # 3/8
    assert r.status == m.ON_TRACK          # 33.93 <= 37.5 < 50


def test_status_reads_the_start_value_in_the_start_year_itself():
    # 10 establishments; E1 adopts in 2013, the plan's start year: v_S = 10 %. As of 2017 the path
    # requires 10 + (50 − 10) × 4 ÷ 7 = 32.86 %; 3/10 = 30 % is behind. Read a year early (2012,
    # v_S = 0) the path would be 28.57 % and 30 % on track.
    p = d.plan(cp_adoption=50)
    d.registry_complete(2017)
    ests = [d.est() for _ in range(10)]
    for e, year in zip(ests, (2013, 2015, 2016)):
        d.measure(e, year)
    r = engine.cp_adoption(p, 2017)
    assert r.value == pytest.approx(30.0)
    assert r.status == m.BEHIND


def test_a_year_before_the_plan_start_is_not_started_whatever_the_value():
    # Plan starts 2013 (target >= 50 % by 2020). 4 establishments; E1 adopts in 2011, so as of 2012 the value
    # is 1/4 = 25 %, as of 2013 too. 2012 = S − 1 -> not started (DOMAIN.md: "Y before S -> not started");
    # 2013 = S -> the path requires v_S = 25 %, and 25 % >= 25 % -> on track.
    p = d.plan(cp_adoption=50)
    d.registry_complete(2012, 2013)  # even with the registry confirmed, 2012 is before the plan
    ests = [d.est() for _ in range(4)]
    d.measure(ests[0], 2011)
    before = engine.cp_adoption(p, 2012)
    assert before.value == pytest.approx(25.0)
    assert before.status == m.NOT_STARTED
    assert engine.cp_adoption(p, 2013).status == m.ON_TRACK


@pytest.mark.parametrize("value", [None, 0.0, 10.0, 50.0, 99.0])
def test_status_before_the_start_year_is_not_started(value):
    assert m.status(value, 15, 2012, 2013, 2020, None) == m.NOT_STARTED   # Y = S − 1
    assert m.status(value, 15, 2013, 2013, 2020, None) != m.NOT_STARTED   # Y = S


# --- reductions --------------------------------------------------------------------------------

def reduction_data():
    p = d.plan(energy_intensity_reduction=(5, 8, 2020), material_intensity_reduction=(5, 8, 2020))
    # E1: first measure 2015 -> baseline 2014.
    #   2014: 100 t, 10,000 kWh = 36 GJ -> 0.36 GJ/t; cassava 420 t -> 4.2 t/t
    #   2016: 100 t,  9,500 kWh = 34.2 GJ -> 0.342 GJ/t (R = 5 %)
    #   2017: 200 t, 18,000 kWh = 64.8 GJ -> 0.324 GJ/t (R = 10 %); cassava 820 t -> 4.1 t/t (R = 2.381 %)
    e1 = d.est("E1"); d.measure(e1, 2015)
    d.report(e1, 2014, 100, electricity=10000, cassava_roots=420)
    d.report(e1, 2016, 100, electricity=9500)
    d.report(e1, 2017, 200, electricity=18000, cassava_roots=820)
    # E2: own baseline year 2013. 2013: 100 t, 10 t coal = 267 GJ -> 2.67; 2018: 100 t, 9.7 t coal -> 2.5899
    #   R = (1 − 2.5899 / 2.67) × 100 = 3 %. No material lines: no material reduction.
    e2 = d.est("E2", baseline=2013); d.measure(e2, 2014)
    d.report(e2, 2013, 100, coal=10)
    d.report(e2, 2018, 100, coal="9.7")
    # E3: adopter (2016, baseline 2015) without a 2015 report: undefined.
    e3 = d.est("E3"); d.measure(e3, 2016)
    d.report(e3, 2017, 100, electricity=1000)
    # E4: adopter, product unit changed between baseline (t) and 2017 (m³): undefined.
    e4 = d.est("E4"); d.measure(e4, 2016)
    d.report(e4, 2015, 100, unit="t", electricity=2000)
    d.report(e4, 2017, 100, unit="m³", electricity=1000)
    # E5: end-of-pipe only, halves its energy use: not an adopter, so not counted.
    e5 = d.est("E5", baseline=2014); d.measure(e5, 2015, category="end_of_pipe")
    d.report(e5, 2014, 100, electricity=2000)
    d.report(e5, 2017, 100, electricity=1000)
    return p, (e1, e2, e3, e4, e5)


def test_energy_intensity_reduction_is_the_mean_over_adopters_with_a_defined_reduction():
    p, (e1, e2, e3, e4, e5) = reduction_data()
    r = engine.energy_intensity_reduction(p, 2018)
    # E1: 10 %, E2: 3 %; E3 no baseline report, E4 unit changed, E5 not an adopter.
    # mean = (10 + 3) / 2 = 6.5; n = 2; median 6.5; share >= 5: 1 of 2 = 50 %
    assert r.value == pytest.approx(6.5)
    assert r.n == 2
    assert r.median == pytest.approx(6.5)
    assert r.share_reaching_low == pytest.approx(50.0)
    assert set(r.numerator_ids) == {e1.pk, e2.pk}
    assert set(r.denominator_ids) == {e1.pk, e2.pk, e3.pk, e4.pk}
    assert r.target.low == 5 and r.target.high == 8
    assert r.status == m.ACHIEVED  # 6.5 >= 5


def test_reduction_uses_the_latest_report_up_to_the_year():
    p, (e1, *_rest) = reduction_data()
    r = engine.energy_intensity_reduction(p, 2016)
    # As of 2016 only E1 has a report after its baseline (2016: R = 5 %); E2's next report is 2018.
    assert r.value == pytest.approx(5.0)
    assert r.n == 1


def test_material_intensity_reduction_needs_material_lines_in_both_reports():
    p, (e1, *_rest) = reduction_data()
    r = engine.material_intensity_reduction(p, 2018)
    # Only E1 has material lines: (1 − 4.1 / 4.2) × 100 = 2.381 %
    assert r.value == pytest.approx((1 - 4.1 / 4.2) * 100)
    assert r.n == 1
    assert r.numerator_ids == (e1.pk,)
    assert r.share_reaching_low == pytest.approx(0.0)


def test_reduction_without_adopters_is_no_data():
    p = d.plan(energy_intensity_reduction=(5, 8, 2020))
    e = d.est(); d.report(e, 2014, 100, electricity=100); d.report(e, 2017, 100, electricity=50)
    r = engine.energy_intensity_reduction(p, 2018)
    assert r.value is None and r.n == 0 and r.median is None
    assert r.status == m.NO_DATA


# --- dissemination and training -----------------------------------------------------------------

def test_establishments_disseminated_counts_potential_establishments_with_anybody_at_an_event():
    p = d.plan()
    e1, e2, e3, _e4 = d.est("E1"), d.est("E2"), d.est("E3"), d.est("E4")  # E4: nobody at an event
    e5 = d.est("E5", closed=2016)
    e6 = d.est("E6", potential=False)
    p1 = d.person("manager", e1)
    d.attend(p1, d.event(2015)); d.attend(p1, d.event(2016))  # attends twice: E1 counts once
    d.attend(d.person("technical_staff", e2), d.event(2019, "training_course"))  # after 2018
    d.attend(d.person("technical_staff", e3), d.event(2017, "training_course"), completed=False)  # any attendance
    d.attend(d.person("manager", e5), d.event(2015))  # closed 2016
    d.attend(d.person("manager", e6), d.event(2015))  # no CP potential
    r = engine.establishments_disseminated(p, 2018)
    # POT(2018) = E1..E4 = 4; reached = E1, E3 -> 2 / 4 = 50 %
    assert (r.numerator, r.denominator) == (2, 4)
    assert r.value == pytest.approx(50.0)
    assert set(r.numerator_ids) == {e1.pk, e3.pk}
    assert r.status is None  # no target in this plan


def test_gov_staff_disseminated_uses_the_latest_headcount_up_to_the_year():
    p = d.plan(gov_staff_disseminated=100)
    d.headcount(2016, "gov_staff", 20)
    d.headcount(2019, "gov_staff", 40)
    g1, g2, g3 = d.person("gov_staff"), d.person("gov_staff"), d.person("gov_staff")
    d.attend(g1, d.event(2015)); d.attend(g1, d.event(2017, "training_course"))  # twice, counts once
    d.attend(g2, d.event(2018))
    d.attend(g3, d.event(2019))  # after 2018
    d.attend(d.person("cp_staff"), d.event(2015))  # another category
    r = engine.gov_staff_disseminated(p, 2018)
    # 2 persons ÷ headcount of 2016 (20) × 100 = 10 %
    assert (r.numerator, r.denominator) == (2, 20)
    assert r.value == pytest.approx(10.0)
    assert set(r.numerator_ids) == {g1.pk, g2.pk}


def test_staff_indicator_with_zero_or_missing_headcount_has_no_value():
    p = d.plan(gov_staff_disseminated=100)
    d.attend(d.person("gov_staff"), d.event(2015))
    assert engine.gov_staff_disseminated(p, 2018).value is None  # no headcount at all
    d.headcount(2017, "gov_staff", 0)
    r = engine.gov_staff_disseminated(p, 2018)
    assert r.value is None and r.denominator == 0 and r.status == m.NO_DATA


def test_cp_staff_trained_counts_completed_training_courses_only():
    p = d.plan(cp_staff_trained=50)
    d.headcount(2018, "cp_staff", 8)
    c1, c2, c3, c4 = (d.person("cp_staff") for _ in range(4))
    d.attend(c1, d.event(2016, "training_course")); d.attend(c1, d.event(2017, "training_course"))
    d.attend(c2, d.event(2016, "training_course"), completed=False)
    d.attend(c3, d.event(2016, "workshop"))
    d.attend(c4, d.event(2019, "training_course"))
    r = engine.cp_staff_trained(p, 2018)
    # Only C1 (twice, counted once): 1 / 8 = 12.5 %
    assert (r.numerator, r.denominator) == (1, 8)
    assert r.value == pytest.approx(12.5)
    assert r.numerator_ids == (c1.pk,)


def test_technical_staff_trained_divides_by_technical_staff_of_potential_establishments():
    p = d.plan(technical_staff_trained=25)
    d.registry_complete(2018)
    e1 = d.est("E1", technical=10)
    d.est("E2", technical=None)  # unknown counts as 0
    e3 = d.est("E3", technical=6)
    e5 = d.est("E5", closed=2016, technical=4)
    course17, course18 = d.event(2017, "training_course"), d.event(2018, "training_course")
    t1, t2 = d.person("technical_staff", e1), d.person("technical_staff", e1)
    d.attend(t1, course17); d.attend(t2, course18)
    d.attend(d.person("technical_staff", e3), course17, completed=False)
    d.attend(d.person("technical_staff", e5), d.event(2015, "training_course"))
    r = engine.technical_staff_trained(p, 2018)
    # 2 trained (T1, T2) ÷ (10 + 0 + 6) = 12.5 %
    assert (r.numerator, r.denominator) == (2, 16)
    assert r.value == pytest.approx(12.5)
    assert set(r.numerator_ids) == {t1.pk, t2.pk}
    assert r.status == m.BEHIND  # required 25 × 5/7 = 17.86 > 12.5


def test_technical_staff_trained_with_zero_staff_has_no_value():
    p = d.plan(technical_staff_trained=25)
    e1 = d.est("E1")
    d.attend(d.person("technical_staff", e1), d.event(2017, "training_course"))
    r = engine.technical_staff_trained(p, 2018)
    assert r.value is None and r.denominator == 0


def test_no_attendance_recorded_at_all_is_no_data():
    p = d.plan()
    d.est("E1")
    r = engine.establishments_disseminated(p, 2018)
    assert r.value is None and r.source == "none"


# --- assistance ----------------------------------------------------------------------------------

def test_establishments_assisted_counts_distinct_establishments_in_the_plan_window():
    p = d.plan(start=2013)
    e1, e2, e3 = d.est("E1"), d.est("E2", potential=False), d.est("E3")
    d.assist(e1, 2012)  # before the plan
    d.assist(e1, 2015); d.assist(e1, 2016, "cp_plan")  # twice: once
    d.assist(e2, 2017)  # potential does not matter
    d.assist(e3, 2019)  # after 2018
    e4, e5 = d.est("E4"), d.est("E5")
    d.assist(e4, 2013)  # in the plan's start year: counts
    d.assist(e5, 2018)  # in the as-of year itself: counts
    r = engine.establishments_assisted(p, 2018)
    assert r.value == 4 and r.unit == "establishments"
    assert set(r.numerator_ids) == {e1.pk, e2.pk, e4.pk, e5.pk}
    dash = engine.dashboard(p, 2018)
    assert dict(dash.assistance_per_year) == {2013: 1, 2014: 0, 2015: 1, 2016: 1, 2017: 1, 2018: 1}


# --- reported values -------------------------------------------------------------------------------

def test_reported_value_is_shown_where_records_give_none():
    p = d.plan()
    d.est("E1")
    d.reported("establishments_disseminated", 2018, 70)
    d.reported("establishments_disseminated", 2019, 80)  # later: not as of 2018
    r = engine.establishments_disseminated(p, 2018)
    assert r.value == pytest.approx(70.0) and r.computed is None
    assert r.source == "reported"
    assert r.reported.year == 2018 and r.reported.source_document == "Report 2018"


def test_computed_value_leads_when_both_exist_for_the_same_year():
    p = d.plan()
    e1, _e2 = d.est("E1"), d.est("E2")
    d.attend(d.person("manager", e1), d.event(2018))
    d.reported("establishments_disseminated", 2018, 70)
    r = engine.establishments_disseminated(p, 2018)
    # computed 1 / 2 = 50 % leads; the reported 70 % is kept beside it
    assert r.value == pytest.approx(50.0)
    assert r.source == "both"
    assert r.reported.value == pytest.approx(70.0)


def test_official_2018_dashboard_shows_the_reported_figures(official_data):
    from indicators.selectors import default_plan

    dash = engine.dashboard(default_plan(), 2018)
    dissem = dash.get("establishments_disseminated")
    assert dissem.value == pytest.approx(70.0) and dissem.source == "reported"
    assert "2009–2018" in dissem.reported.source_document
    assisted = dash.get("establishments_assisted")
    assert assisted.reported.value == pytest.approx(10.0)
    assert (assisted.reported.period_start_year, assisted.reported.year) == (2015, 2017)


# --- targets, trend, queries -------------------------------------------------------------------

def test_target_with_the_smallest_deadline_not_before_the_year_applies():
    p = d.plan(start=2009, end=2020)
    from indicators.models import Target

    Target.objects.create(plan=p, indicator_code="cp_adoption", low=25, deadline_year=2015)
    Target.objects.create(plan=p, indicator_code="cp_adoption", low=50, deadline_year=2020)
    assert engine.cp_adoption(p, 2014).target.low == 25
    assert engine.cp_adoption(p, 2015).target.low == 25
    assert engine.cp_adoption(p, 2016).target.low == 50
    assert engine.cp_adoption(p, 2022).target.low == 50  # past every deadline: the latest


def test_projection_follows_the_least_squares_trend():
    p = d.plan(cp_adoption=50)
    ests = [d.est() for _ in range(10)]
    d.measure(ests[0], 2016); d.measure(ests[1], 2017); d.measure(ests[2], 2018)
    r = engine.cp_adoption(p, 2018)
    # Yearly values 2009–2015: 0 %, 2016: 10, 2017: 20, 2018: 30 -> a line through 10 points;
    # the expected value is worked out independently with the normal equations.
    xs = list(range(2009, 2019))
    ys = [0] * 7 + [10, 20, 30]
    mx, my = sum(xs) / 10, sum(ys) / 10
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    assert r.projection == pytest.approx(my + slope * (2020 - mx))
    assert r.projection_year == 2020
    assert r.gap == pytest.approx(20.0)  # 50 − 30


def _build(n, number):
    p = d.plan(number, cp_adoption=15, energy_intensity_reduction=(5, 8, 2020), gov_staff_disseminated=100)
    d.reported("establishments_assisted", 2017, 10, unit="enterprises")
    for i in range(n):
        e = d.est(technical=3)
        d.measure(e, 2015)
        d.report(e, 2014, 100, electricity=1000 + i)
        d.report(e, 2017, 100, electricity=900 + i, cassava_roots=400)
        pe = d.person("technical_staff", e)
        d.attend(pe, d.event(2016, "training_course"))
        d.attend(d.person("gov_staff"), d.event(2017))
        d.assist(e, 2016)
    return p


def test_engine_runs_the_same_number_of_queries_whatever_the_data_size(django_assert_num_queries):
    d.headcount(2016, "gov_staff", 50)
    small = _build(1, "S/1")
    with CaptureQueriesContext(connection) as ctx:
        engine.dashboard(small, 2018)
    count = len(ctx.captured_queries)
    # the territory's places (2), targets, reported values, headcounts, the years whose registry is confirmed
    # complete, the years with data; the series (establishments and people, reductions with each adopter's of
    # the year, assistance); the year's details (breakdowns, assistance per year)
    assert count == 10
    large = _build(25, "L/1")
    with django_assert_num_queries(count):
        dash = engine.dashboard(large, 2018)
    assert dash.get("cp_adoption").denominator == 26  # both plans' establishments share the province


# --- pure maths ---------------------------------------------------------------------------------

def test_histogram_counts_both_series_in_the_same_bins_of_two_and_a_half_points():
    # Bins from the one holding the least value (or 0) to the one holding the largest (or 0); a value on a
    # boundary lies in the bin it starts; empty bins inside the range stay.
    assert m.histogram([], []) == ()
    assert m.histogram([10.0], []) == ((0.0, 2.5, 0, 0), (2.5, 5.0, 0, 0), (5.0, 7.5, 0, 0), (7.5, 10.0, 0, 0),
                                       (10.0, 12.5, 1, 0))
    assert m.histogram([-1.0, 0.0], [2.4, 2.5]) == ((-2.5, 0.0, 1, 0), (0.0, 2.5, 1, 1), (2.5, 5.0, 0, 1))
    assert m.histogram([], [0.0]) == ((0.0, 2.5, 0, 1),)


@pytest.mark.parametrize("value, expected", [(15, m.ACHIEVED), (10, m.ON_TRACK), (8, m.BEHIND), (None, m.NO_DATA)])
def test_status_rule(value, expected):
    # L = 15, S = 2013, D = 2020, Y = 2017, v_S = 0: required = 15 × 4 / 7 = 8.57
    assert m.status(value, 15, 2017, 2013, 2020, None) == expected


def test_status_rule_with_a_start_value():
    # v_S = 5: required = 5 + (15 − 5) × 4 / 7 = 10.71 -> 10 is behind, 11 on track
    assert m.status(10, 15, 2017, 2013, 2020, 5) == m.BEHIND
    assert m.status(11, 15, 2017, 2013, 2020, 5) == m.ON_TRACK


def test_percentage_with_zero_denominator_does_not_raise():
    assert m.percentage(3, 0) is None
    assert m.percentage(0, None) is None
    assert m.percentage(1, 4) == 25.0


# --- registry coverage (DOMAIN.md: "Registry coverage") -------------------------------------------

def test_a_share_of_pot_in_a_year_not_confirmed_complete_is_not_assessable():
    # The adoption data: 1 adopter of 5 in POT(2018) = 20 % against >= 15 %: achieved once 2018 is confirmed.
    p, _ests = adoption_data()
    r = engine.cp_adoption(p, 2018)
    assert r.value == pytest.approx(20.0) and r.source == "computed"
    assert r.status == m.NOT_ASSESSABLE  # no coverage row at all: not confirmed
    assert (r.registered, r.registry_confirmed) == (5, False)
    with translation.override("en"):
        assert str(r.coverage_reason) == "the registry of 2018 is not confirmed complete"
    d.factories.registry_coverage(2018, complete=False, note="7 enterprises only")
    assert engine.cp_adoption(p, 2018).status == m.NOT_ASSESSABLE  # recorded as not complete
    d.registry_complete(2017)
    assert engine.cp_adoption(p, 2018).status == m.NOT_ASSESSABLE  # another year confirmed: not this one
    d.registry_complete(2018)
    confirmed = engine.cp_adoption(p, 2018)
    assert (confirmed.status, confirmed.registered, confirmed.registry_confirmed) == (m.ACHIEVED, 5, True)
    assert confirmed.coverage_reason == ""


def test_the_three_shares_of_pot_only_and_never_achieved_or_behind_unconfirmed():
    # Adoption 1/2 = 50 % (target 15: would be achieved), dissemination 1/2 = 50 % (target 90: would be
    # behind), technical staff 1/10 = 10 % (target 25: would be behind); government staff 1/2 = 50 % against
    # a headcount, not POT(Y): judged as before (target 100 %, path 100 × 5/7 = 71.4 %: behind).
    p = d.plan(cp_adoption=15, establishments_disseminated=90, technical_staff_trained=25,
               gov_staff_disseminated=100)
    e1, _e2 = d.est("E1", technical=10), d.est("E2")
    d.measure(e1, 2016)
    d.attend(d.person("technical_staff", e1), d.event(2017, "training_course"))
    d.attend(d.person("gov_staff"), d.event(2017))
    d.headcount(2018, "gov_staff", 2)
    statuses = {r.code: r.status for r in engine.dashboard(p, 2018).indicators}
    assert statuses["cp_adoption"] == statuses["establishments_disseminated"] == m.NOT_ASSESSABLE
    assert statuses["technical_staff_trained"] == m.NOT_ASSESSABLE
    assert statuses["gov_staff_disseminated"] == m.BEHIND
    d.registry_complete(2018)
    statuses = {r.code: r.status for r in engine.dashboard(p, 2018).indicators}
    assert (statuses["cp_adoption"], statuses["establishments_disseminated"],
            statuses["technical_staff_trained"]) == (m.ACHIEVED, m.BEHIND, m.BEHIND)


def test_a_reported_value_is_judged_normally_in_a_year_not_confirmed():
    # No attendance recorded: no computed dissemination; the published 70 % leads, >= 50 % by 2015: achieved.
    p = d.plan(establishments_disseminated=(50, None, 2015))
    d.est("E1")
    d.reported("establishments_disseminated", 2018, 70)
    r = engine.establishments_disseminated(p, 2018)
    assert (r.value, r.source, r.status) == (70.0, "reported", m.ACHIEVED)
    assert r.registry_confirmed is False and r.registered == 1


def test_no_value_and_before_the_start_keep_their_status_unconfirmed():
    p = d.plan(cp_adoption=15)
    assert engine.cp_adoption(p, 2018).status == m.NO_DATA  # empty registry: no value, no data
    e = d.est("E1")
    d.measure(e, 2011)
    assert engine.cp_adoption(p, 2012).status == m.NOT_STARTED  # 100 %, but before the plan: not started wins


@pytest.mark.parametrize("status", [m.ACHIEVED, m.ON_TRACK, m.BEHIND])
def test_coverage_status_turns_a_judgement_into_not_assessable_only_when_every_condition_holds(status):
    rule = m.coverage_status
    assert rule(status, judged_on_registry=True, from_records=True, registry_confirmed=False) == m.NOT_ASSESSABLE
    assert rule(status, judged_on_registry=True, from_records=True, registry_confirmed=True) == status
    assert rule(status, judged_on_registry=True, from_records=False, registry_confirmed=False) == status  # reported
    assert rule(status, judged_on_registry=False, from_records=True, registry_confirmed=False) == status  # headcount


@pytest.mark.parametrize("status", [m.NO_DATA, m.NOT_STARTED, None])
def test_coverage_status_leaves_no_data_not_started_and_no_target_alone(status):
    assert m.coverage_status(status, judged_on_registry=True, from_records=True, registry_confirmed=False) == status


def test_the_status_codes_are_exactly_six():
    assert m.STATUSES == ("achieved", "on_track", "behind", "no_data", "not_assessable", "not_started")


def test_only_the_three_shares_of_pot_are_judged_on_the_registry():
    from indicators.registry import COVERAGE_TABLES, POT, registry

    judged = {i.code for i in registry if i.judged_on_registry}
    assert judged == {"cp_adoption", "establishments_disseminated", "technical_staff_trained"}
    assert judged == {i.code for i in registry if i.denominator == POT}
    assert all(set(COVERAGE_TABLES) <= set(i.reads) for i in registry if i.judged_on_registry)
