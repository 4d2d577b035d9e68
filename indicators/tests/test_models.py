"""Validation rules of plans, targets, annual reports, resource lines, reported values."""
from decimal import Decimal

import pytest

from establishments.models import Establishment
from indicators.models import ActionPlan, AnnualReport, ReportedValue, ResourceLine, ResourceType, Target
from kontum_cp.testing import NEGATIVE, NEGATIVE_VI, YEAR, YEAR_VI, assert_refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def plant():
    return Establishment.objects.create(code="T-0100", name="Plant")


@pytest.fixture
def plan():
    return ActionPlan.objects.create(title="Plan", issuer="UBND", decision_number="1/QĐ", start_year=2013,
                                     end_year=2020)


def report(plant, **kwargs):
    values = dict(establishment=plant, year=2015, product="Tinh bột sắn", product_unit="t", output=Decimal("100"))
    values.update(kwargs)
    return AnnualReport(**values)


@pytest.mark.parametrize("output", ["0", "-1", "-0.001"])
def test_output_of_zero_or_less_is_refused(plant, output):
    assert_refused(report(plant, output=Decimal(output)), "output", "The output must be greater than zero.",
                   "Sản lượng phải lớn hơn 0.")


def test_a_small_positive_output_is_allowed(plant):
    report(plant, output=Decimal("0.001")).full_clean()


@pytest.mark.parametrize("year", [1989, 2101])
def test_report_year_outside_range_is_refused(plant, year):
    assert_refused(report(plant, year=year), "year", YEAR, YEAR_VI)


def test_second_report_for_the_same_establishment_and_year_is_refused(plant):
    report(plant).save()
    assert_refused(report(plant, output=Decimal("5")), None,
                   "This establishment already has a report for this year.",
                   "Cơ sở này đã có báo cáo cho năm này.")
    # Another year, or another establishment in the same year, is fine.
    report(plant, year=2016).full_clean()
    other = Establishment.objects.create(code="T-0200", name="Other")
    report(other).full_clean()


def test_negative_resource_quantity_is_refused(plant):
    saved = report(plant)
    saved.save()
    line = ResourceLine(report=saved, resource_type=ResourceType.objects.get(code="water"), quantity=Decimal("-1"))
    assert_refused(line, "quantity", NEGATIVE, NEGATIVE_VI)


def test_second_line_of_a_resource_in_one_report_is_refused(plant):
    saved = report(plant)
    saved.save()
    water = ResourceType.objects.get(code="water")
    ResourceLine.objects.create(report=saved, resource_type=water, quantity=Decimal("10"))
    assert_refused(ResourceLine(report=saved, resource_type=water, quantity=Decimal("3")), None,
                   "This resource already has a line in this report.")


def test_target_low_above_high_is_refused(plan):
    target = Target(plan=plan, indicator_code="energy_intensity_reduction", low=Decimal("8"), high=Decimal("5"),
                    deadline_year=2020)
    assert_refused(target, None, "The low bound cannot be greater than the high bound.",
                   "Mức tối thiểu không thể lớn hơn mức tối đa.")


def test_target_with_equal_bounds_or_no_high_bound_is_allowed(plan):
    equal = Target(plan=plan, indicator_code="cp_adoption", low=Decimal("15"), high=Decimal("15"), deadline_year=2020)
    equal.full_clean()
    Target(plan=plan, indicator_code="cp_staff_trained", low=Decimal("50"), deadline_year=2020).full_clean()


@pytest.mark.parametrize("year", [1989, 2101])
def test_target_deadline_outside_range_is_refused(plan, year):
    target = Target(plan=plan, indicator_code="cp_adoption", low=Decimal("15"), deadline_year=year)
    assert_refused(target, "deadline_year", YEAR, YEAR_VI)


@pytest.mark.parametrize("field", ["start_year", "end_year"])
def test_plan_years_outside_range_are_refused(field):
    values = dict(title="P", issuer="I", decision_number="2/QĐ", start_year=2013, end_year=2020)
    values[field] = 2101 if field == "end_year" else 1989
    assert_refused(ActionPlan(**values), field, YEAR, YEAR_VI)


def test_plan_ending_before_it_starts_is_refused():
    plan = ActionPlan(title="P", issuer="I", decision_number="3/QĐ", start_year=2020, end_year=2013)
    assert_refused(plan, None, "The end year cannot be before the start year.",
                   "Năm kết thúc không thể trước năm bắt đầu.")


def test_negative_reported_value_and_year_outside_range_are_refused():
    values = dict(indicator_code="cp_adoption", year=2018, value=Decimal("-1"), source_document="Report")
    assert_refused(ReportedValue(**values), "value", NEGATIVE, NEGATIVE_VI)
    values.update(value=Decimal("5"), year=2101)
    assert_refused(ReportedValue(**values), "year", YEAR, YEAR_VI)


def test_negative_resource_factor_is_refused():
    rtype = ResourceType(code="peat", name_vi="Than bùn", category="energy", unit="t", factor=Decimal("-1"))
    assert_refused(rtype, "factor", NEGATIVE, NEGATIVE_VI)
