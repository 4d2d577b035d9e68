"""An existing database migrates to places with a history and the rough dates (establishments 0008, 0009),
plans with a territory and the target notes (indicators 0007, 0008) without losing anything: rows written with the models of the schema before are all there afterwards,
unchanged, with the new fields empty."""
import datetime
from decimal import Decimal

import pytest

from kontum_cp.testing import migrate_to

BEFORE = [("establishments", "0007_registry_coverage"), ("indicators", "0006_indicator_choices_from_registry")]



@pytest.mark.django_db(transaction=True)
def test_rows_of_the_schema_before_migrate_without_loss(reference_data):
    old = migrate_to(BEFORE)  # the models as they were, by "app.Model"
    Establishment, CPMeasure, AssistanceRecord, ActionPlan, Target = (old.get_model(label) for label in (
        "establishments.Establishment", "establishments.CPMeasure", "establishments.AssistanceRecord",
        "indicators.ActionPlan", "indicators.Target"))
    est = Establishment.objects.create(code="MG-1", name="Nhà máy", cp_potential=True)
    CPMeasure.objects.create(establishment=est, title="Exact", category="by_product", status="implemented",
                             year=2016, investment_vnd=1500000000)
    CPMeasure.objects.create(establishment=est, title="Undated", category="good_housekeeping", status="planned")
    AssistanceRecord.objects.create(establishment=est, year=2017, kind="cp_plan", description="Kế hoạch")
    AssistanceRecord.objects.create(establishment=est, year=2016, date=datetime.date(2016, 6, 15), kind="survey")
    plan = ActionPlan.objects.create(decision_number="MG/1", title="Plan", issuer="UBND", start_year=2013,
                                     end_year=2020)
    Target.objects.create(plan=plan, indicator_code="cp_adoption", low=Decimal("15"), deadline_year=2020)

    new = migrate_to()

    measures = new.get_model("establishments", "CPMeasure").objects.order_by("title")
    assert list(measures.values_list("title", "year", "year_earliest", "year_latest", "investment_vnd")) == [
        ("Exact", 2016, None, None, 1500000000), ("Undated", None, None, None, None)]
    records = new.get_model("establishments", "AssistanceRecord").objects.order_by("year")
    assert list(records.values_list("kind", "year", "date", "date_earliest", "date_latest", "description")) == [
        ("survey", 2016, datetime.date(2016, 6, 15), None, None, ""),
        ("cp_plan", 2017, None, None, None, "Kế hoạch")]
    target = new.get_model("indicators", "Target").objects.get()
    assert (target.low, target.deadline_year, target.note, target.note_en) == (Decimal("15"), 2020, "", "")
    assert new.get_model("establishments", "Establishment").objects.get().code == "MG-1"
