"""Migration 0009: a database with reported values attached to plans keeps every value, now about the plan's
territory (plan 835: Kon Tum province, 62)."""
import datetime

import pytest

from kontum_cp.testing import migrate_to

BEFORE = [("indicators", "0008_target_note")]
AFTER = [("indicators", "0009_reported_value_place")]



@pytest.mark.django_db(transaction=True)
def test_each_reported_value_moves_to_its_plans_territory(reference_data):
    old = migrate_to(BEFORE)
    Place = old.get_model("establishments", "Place")
    ActionPlan = old.get_model("indicators", "ActionPlan")
    ReportedValue = old.get_model("indicators", "ReportedValue")
    kon_tum = Place.objects.filter(code="62").order_by("-pk").first()
    plan = ActionPlan.objects.create(decision_number="835/QĐ-UBND", title="Plan", issuer="UBND", start_year=2013,
                                     end_year=2020, territory=kon_tum, date_issued=datetime.date(2013, 10, 24))
    bare = ActionPlan.objects.create(decision_number="X/1", title="No territory", issuer="UBND", start_year=2013,
                                     end_year=2020)
    ReportedValue.objects.create(indicator_code="establishments_disseminated", plan=plan, year=2018, value=70,
                                 unit="%", source_document="Report 2018")
    ReportedValue.objects.create(indicator_code="establishments_assisted", plan=bare, year=2017, value=10,
                                 unit="enterprises", source_document="Report 2018")
    ReportedValue.objects.create(indicator_code="cp_adoption", plan=None, year=2018, value=7, unit="enterprises",
                                 source_document="Report 2018")
    try:
        new = migrate_to(AFTER)
        rows = set(new.get_model("indicators", "ReportedValue").objects.values_list("indicator_code", "place__code",
                                                                                     "value"))
        assert rows == {("establishments_disseminated", "62", 70), ("establishments_assisted", None, 10),
                        ("cp_adoption", None, 7)}
    finally:
        migrate_to()
