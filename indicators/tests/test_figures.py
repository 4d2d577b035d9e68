"""The engine's figures computed in the database (`indicators.figures`) equal the reference implementation in
Python (`engine.load_snapshot` and the ``*_figure`` functions) on the official data plus synthetic
establishments (the golden files' data), for both plans and every year, on SQLite and PostgreSQL (CI runs both)."""
import math

import pytest

from indicators import engine
from indicators.models import ActionPlan

from .test_progress_golden import demo_data  # noqa: F401 - the golden files' data: official + 40 synthetic

NUMBERS = ("value", "computed", "numerator", "denominator", "n", "median", "share_reaching_low", "progress",
           "projection", "gap", "registered")
SAME = ("status", "source", "target", "reported", "reported_beside", "registry_confirmed", "projection_year")


def close(a, b):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def differences(reference, database):
    found = []
    for ref, got in zip(reference.indicators, database.indicators, strict=True):
        for name in NUMBERS:
            if not close(getattr(ref, name), getattr(got, name)):
                found.append((ref.code, name, getattr(ref, name), getattr(got, name)))
        for name in SAME:
            if getattr(ref, name) != getattr(got, name):
                found.append((ref.code, name, getattr(ref, name), getattr(got, name)))
        series = [(y, v) for y, v in ref.series], [(y, v) for y, v in got.series]
        if [y for y, _ in series[0]] != [y for y, _ in series[1]] or not all(
                close(a, b) for (_, a), (_, b) in zip(*series)):
            found.append((ref.code, "series", ref.series, got.series))
    for name in ("completeness", "place_counts", "sector_counts", "training_counts", "assistance_per_year"):
        ref, got = getattr(reference, name), getattr(database, name)
        if name.endswith("_counts") and name != "training_counts":
            ref, got = sorted(ref), sorted(got)
        if ref != got:
            found.append((name, ref, got))
    ref_rows, got_rows = reference.reductions, database.reductions
    if len(ref_rows) != len(got_rows) or not all(
            a[:2] == b[:2] and close(a[2], b[2]) and close(a[3], b[3]) for a, b in zip(ref_rows, got_rows)):
        found.append(("reductions", ref_rows[:5], got_rows[:5]))
    return found


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_data")
def test_database_figures_equal_the_reference_for_every_plan_and_year():
    plans = list(ActionPlan.objects.order_by("decision_number"))
    assert len(plans) == 2
    compared = 0
    for plan in plans:
        snap, figures = engine.load_snapshot(plan), engine.load_figures(plan)
        for year in range(2008, 2023):
            reference = engine.dashboard_numbers(plan, year, snap=snap)
            database = engine.dashboard_numbers(plan, year, snap=figures)
            assert differences(reference, database) == [], (plan, year)
            compared += len(reference.indicators)
        assert engine.latest_data_year(snap, 0) == engine.latest_data_year(figures, 0)
    assert compared == 2 * 15 * 8


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_data")
def test_a_year_asked_for_alone_gives_the_same_details_as_with_the_series():
    # `Figures.detail` of a year whose series came earlier reads that year's reductions on their own, summing
    # only the two reports each compares: the same rows as those read with the series.
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    alone = engine.load_figures(plan)
    alone.totals(2016)  # the series up to the last year, with the adopters' rows of 2016 only
    for year in (2014, 2017, 2018):
        expected = engine.load_figures(plan).detail(year)  # a new series: its rows come with it
        assert year not in alone.reduction_rows
        got = alone.detail(year)
        assert len(got.reduction_table) == len(expected.reduction_table) > 0
        for a, b in zip(expected.reduction_table, got.reduction_table):
            assert a[:2] == b[:2] and all(close(x, y) for x, y in zip(a[2:], b[2:]))
