"""Long id lists are read in slices (SQLite refuses more than 32,766 parameters in one query)."""
import pytest

from establishments.models import CPMeasure, Establishment, MeasureCategory, MeasureStatus
from indicators import selectors

pytestmark = pytest.mark.django_db


def _measures(n):
    est = Establishment.objects.create(code="SL-1", name="Slices", cp_potential=True)
    CPMeasure.objects.bulk_create(
        CPMeasure(establishment=est, title=f"M{i:03d}", category=MeasureCategory.GOOD_HOUSEKEEPING,
                  status=MeasureStatus.IMPLEMENTED, year=2010 + i % 5)
        for i in range(n)
    )
    return est


def test_more_ids_than_a_slice_are_all_found_in_order(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(selectors, "IN_SLICE", 4)
    est = _measures(10)
    ids = list(CPMeasure.objects.values_list("pk", flat=True)) + [10**9]  # an unknown id is simply absent
    with django_assert_num_queries(3):  # 11 ids in slices of 4
        found = selectors.measures_by_ids(ids)
    assert len(found) == 10
    expected = list(CPMeasure.objects.order_by("year", "title").values_list("pk", flat=True))
    assert list(found) == expected
    with django_assert_num_queries(1):  # one establishment id: one slice
        report = selectors.implemented_measures([est.pk], 2012)
    # years 2010, 2011, 2012 of i % 5: i = 0,1,2,5,6,7
    assert [mm.title for mm in report] == ["M000", "M005", "M001", "M006", "M002", "M007"]


def test_no_ids_run_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert selectors.measures_by_ids([]) == {}
        assert selectors.people_by_ids([]) == []
