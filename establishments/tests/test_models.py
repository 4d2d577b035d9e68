"""Validation rules of establishments, CP measures and assistance records.

Each rule is checked twice: full_clean() gives the user-facing message (what
forms, the admin and imports show) and the database refuses a raw save.
"""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from establishments.models import AssistanceRecord, CPMeasure, Establishment
from kontum_cp.testing import assert_refused

pytestmark = pytest.mark.django_db

YEAR = "The year must be between 1990 and 2100."
YEAR_VI = "Năm phải nằm trong khoảng 1990–2100."
NEGATIVE = "The value cannot be negative."
NEGATIVE_VI = "Giá trị không được âm."


def establishment(**kwargs):
    values = dict(code="T-0001", name="Test establishment")
    values.update(kwargs)
    return Establishment(**values)


@pytest.fixture
def plant():
    return Establishment.objects.create(code="T-0100", name="Plant")


def test_a_valid_establishment_passes():
    est = establishment(established_year=2005, status="closed", closed_year=2015, employees=0, technical_staff=0)
    est.full_clean()
    est.save()
    assert Establishment.objects.get(code="T-0001").closed_year == 2015


def test_closed_without_closing_year_is_refused():
    assert_refused(
        establishment(status="closed"), "closed_year",
        "A closed establishment needs its closing year.",
        "Cơ sở đã ngừng hoạt động cần có năm ngừng hoạt động.",
    )


def test_active_with_closing_year_is_refused():
    assert_refused(
        establishment(status="active", closed_year=2016), "closed_year",
        "An active establishment cannot have a closing year.",
        "Cơ sở đang hoạt động không thể có năm ngừng hoạt động.",
    )


def test_closing_year_before_established_year_is_refused():
    assert_refused(
        establishment(status="closed", established_year=2010, closed_year=2009), None,
        "The closing year cannot be before the year the establishment was set up.",
        "Năm ngừng hoạt động không thể trước năm thành lập cơ sở.",
    )


def test_closing_in_the_year_it_was_set_up_is_allowed():
    establishment(status="closed", established_year=2010, closed_year=2010).full_clean()


@pytest.mark.parametrize("field", ["established_year", "closed_year", "baseline_year"])
@pytest.mark.parametrize("year", [1989, 2101])
def test_establishment_years_outside_1990_2100_are_refused(field, year):
    values = {field: year}
    if field == "closed_year":
        values["status"] = "closed"
    assert_refused(establishment(**values), field, YEAR, YEAR_VI)


@pytest.mark.parametrize("year", [1990, 2100])
def test_years_at_the_bounds_are_allowed(year):
    establishment(established_year=year, baseline_year=year).full_clean()


@pytest.mark.parametrize("field", ["employees", "technical_staff"])
def test_negative_staff_numbers_are_refused(field):
    assert_refused(establishment(**{field: -1}), field, NEGATIVE, NEGATIVE_VI)


def test_duplicate_establishment_code_is_refused(plant):
    assert_refused(establishment(code=plant.code), "code", "An establishment with this code already exists.",
                   "Đã có cơ sở với mã này.")


@pytest.mark.parametrize(
    "field", ["investment_vnd", "expected_savings_vnd", "achieved_savings_vnd", "wastewater_capacity_m3_day"]
)
def test_negative_measure_amounts_are_refused(plant, field):
    measure = CPMeasure(establishment=plant, title="Biến tần", category="equipment_modification", **{field: -5})
    assert_refused(measure, field, NEGATIVE, NEGATIVE_VI)


@pytest.mark.parametrize("year", [1989, 2101])
def test_measure_year_outside_range_is_refused(plant, year):
    measure = CPMeasure(establishment=plant, title="Biến tần", category="equipment_modification", year=year)
    assert_refused(measure, "year", YEAR, YEAR_VI)


def test_second_measure_with_the_same_title_is_refused(plant):
    CPMeasure.objects.create(establishment=plant, title="Biến tần", category="equipment_modification")
    again = CPMeasure(establishment=plant, title="Biến tần", category="good_housekeeping")
    assert_refused(again, None, "This establishment already has a measure with this title.",
                   "Cơ sở này đã có giải pháp với tên này.")


def test_negative_assistance_amount_is_refused(plant):
    record = AssistanceRecord(establishment=plant, year=2017, kind="survey", amount_vnd=-1)
    assert_refused(record, "amount_vnd", NEGATIVE, NEGATIVE_VI)


@pytest.mark.parametrize("year", [1989, 2101])
def test_assistance_year_outside_range_is_refused(plant, year):
    assert_refused(AssistanceRecord(establishment=plant, year=year, kind="survey"), "year", YEAR, YEAR_VI)


def test_assistance_year_comes_from_its_date(plant):
    record = AssistanceRecord(establishment=plant, year=2017, kind="survey", date=datetime.date(2016, 5, 2))
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            record.full_clean()
        assert caught.value.message_dict == {"year": ["The year must be the year of the date."]}
    record.year = None
    record.full_clean()
    assert record.year == 2016
