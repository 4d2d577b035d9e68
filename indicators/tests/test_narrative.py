"""The printed report's paragraphs, written from an indicator's figures (no HTTP)."""
import pytest
from django.utils import translation

from indicators import engine, narrative

from . import dashboard_data as d

pytestmark = pytest.mark.django_db


def _result(plan, code, year=2018):
    with translation.override("en"):
        return engine.indicator(plan, year, code)


def _text(r, names=()):
    with translation.override("en"):
        return narrative.paragraph(r, names)


def test_achieved_percentage_says_value_of_how_many_and_names_them(db):
    # 1 of 4 establishments with CP potential applies CP: 25.0 % against a 15 % target.
    plan = d.plan(cp_adoption=15)
    d.registry_complete(2018)
    first = d.est()
    for _ in range(3):
        d.est()
    d.measure(first, 2016)
    text = _text(_result(plan, "cp_adoption"), ["Nhà máy A"])
    assert "25.0 % as of 2018 (1 of 4)" in text
    assert "They are: Nhà máy A." in text
    assert "The target (at least 15.0 % by 2020) is achieved." in text


def test_behind_says_the_gap_and_the_projection(db):
    # 3 of 10 government staff from 2016 on (headcount entered for 2016): 30 %; the line from 0 % (2013) to 100 % (2020) stands at 71.4 %.
    plan = d.plan(gov_staff_disseminated=100)
    workshop = d.event(2016)
    for _ in range(3):
        d.attend(d.person("gov_staff"), workshop)
    d.headcount(2016, "gov_staff", 10)
    r = _result(plan, "gov_staff_disseminated")
    text = _text(r)
    assert r.status == "behind"
    assert "30.0 % as of 2018 (3 of 10)" in text
    assert "is behind; 70.0 % remain to be reached." in text
    assert r.projection == pytest.approx(30.0)  # flat at 30 % in 2016, 2017 and 2018
    assert "At the pace of the past years the value would be 30.0 % in 2020." in text


def test_no_headcount_says_why_there_is_no_value(db):
    plan = d.plan(cp_staff_trained=50)
    text = _text(_result(plan, "cp_staff_trained"))
    assert "no value as of 2018: no staff headcount has been entered for 2018 or an earlier year." in text
    assert "target" not in text  # no status sentence without a value


def test_no_comparable_reports_says_why_there_is_no_reduction(db):
    plan = d.plan(energy_intensity_reduction=(5, 8, 2020))
    d.measure(d.est(), 2016)
    text = _text(_result(plan, "energy_intensity_reduction"))
    assert "no establishment applying CP has reports for its baseline year and a later year" in text


def test_reported_only_names_the_document(db):
    plan = d.plan()
    d.reported("establishments_disseminated", 2018, 70, document="Báo cáo 2018")
    text = _text(_result(plan, "establishments_disseminated"))
    assert "70.0 %, the figure published in “Báo cáo 2018” for 2018" in text


def test_names_are_left_out_when_there_are_many(db):
    plan = d.plan(cp_adoption=15)
    r = _result(plan, "cp_adoption")
    assert "They are" not in _text(r, [f"E{i}" for i in range(narrative.MAX_NAMED + 1)])


def test_paragraph_in_vietnamese_uses_vietnamese_numbers(db):
    plan = d.plan(cp_adoption=15)
    first = d.est()
    d.est()
    d.est()
    d.measure(first, 2016)
    with translation.override("vi"):
        r = engine.indicator(plan, 2018, "cp_adoption")
        text = narrative.paragraph(r)
    assert "33,3 %" in text and "(1/3)" in text
