"""The indicator registry: one declaration per indicator, read by every place that shows one.

`test_an_indicator_is_added_with_nothing_but_its_declaration` is the example of
docs/architecture.md ("Adding an indicator"): a declaration and its function,
registered for the test only, and the indicator is on the dashboard, has a
drill-down, a row in the CSV export and in `progress`, a chart, and its tables
in the caches' fingerprint.
"""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from establishments.models import SupportGroup
from indicators import charts, engine
from indicators import engine_math as m
from indicators.models import ReportedValue, Target
from indicators.registry import ESTABLISHMENTS, Indicator, registry

from . import dashboard_data as d

pytestmark = pytest.mark.django_db

BUILT_IN = ["cp_adoption", "energy_intensity_reduction", "material_intensity_reduction",
            "establishments_disseminated", "gov_staff_disseminated", "cp_staff_trained", "technical_staff_trained",
            "establishments_assisted"]


# --- the example: a new indicator, declared in a test ------------------------------------------------

def reporting_figure(snap, year):
    """Establishments of POT(Y) that sent their annual report for Y ÷ |POT(Y)| × 100."""
    pot = snap.potential(year)
    sent = sorted(e["id"] for e in pot if year in snap.reports_by_est.get(e["id"], {}))
    return engine.Computed(m.percentage(len(sent), len(pot)), len(sent), len(pot), numerator_ids=tuple(sent),
                           denominator_ids=tuple(e["id"] for e in pot))


REPORTING = Indicator(
    code="establishments_reporting", label="Establishments that sent their annual report",
    formula="establishments in POT(Y) with an annual report for Y ÷ POT(Y) × 100",
    compute=reporting_figure, drill_down=ESTABLISHMENTS,
    reads=("establishments.Establishment", "indicators.AnnualReport"),
)


@pytest.fixture
def reporting():
    """REPORTING registered for one test; two of four establishments with CP potential reported for 2018."""
    plan = d.plan("REG/1", cp_adoption=15)
    sent, late, *_others = [d.est(f"REG-{i}") for i in range(4)]
    d.report(sent, 2018, 100, electricity=10)
    d.report(late, 2018, 50, electricity=5)
    d.measure(sent, 2016)
    with registry.temporarily(REPORTING):
        yield plan, sent, late


def _get(client, name, plan, *args, **params):
    response = client.get(reverse(f"indicators:{name}", args=args), {"plan": plan.pk, "year": 2018, **params})
    assert response.status_code == 200
    return response


def test_an_indicator_is_added_with_nothing_but_its_declaration(manager_client, reporting):
    plan, sent, late = reporting
    # the dashboard page: a card with its value (2 of 4 = 50 %), after the built-in ones
    page = _get(manager_client, "dashboard", plan)
    html = page.content.decode()
    assert [r.code for r in page.context["dash"].indicators] == BUILT_IN + ["establishments_reporting"]
    assert 'id="ind-establishments_reporting"' in html and "Establishments that sent their annual report" in html
    assert reverse("indicators:indicator_detail", args=["establishments_reporting"]) in html
    # its drill-down lists the establishments counted, each linking to its page
    drill = _get(manager_client, "indicator_detail", plan, "establishments_reporting").content.decode()
    assert "50,0 %" in drill
    for e in (sent, late):
        assert f'href="{e.get_absolute_url()}"' in drill
    assert "REG-2" not in drill
    # its chart
    chart = _get(manager_client, "dashboard_chart", plan, "indicator-establishments_reporting")
    assert b"<svg" in chart.content
    # the CSV export and `progress`
    export = _get(manager_client, "dashboard_export", plan, "csv").content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(export)) if r["code"] == "establishments_reporting")
    assert row["Công thức"] == REPORTING.formula and float(row["Giá trị (đầy đủ)"]) == 50.0
    out = io.StringIO()
    call_command("progress", "--plan", str(plan.pk), "--year", "2018", "--format", "json", stdout=out)
    item = json.loads(out.getvalue())["indicators"][-1]
    assert (item["code"], item["value"], item["numerator"], item["denominator"]) == \
        ("establishments_reporting", 50.0, 2, 4)


def test_a_declared_table_is_in_the_fingerprint(manager_client):
    """An indicator's tables are watched by the caches: a change to one of them gives a new fingerprint."""
    groups = Indicator(code="support_groups", label="Support groups", compute=lambda snap, year: engine.Computed(None),
                       reads=("establishments.SupportGroup",))
    assert SupportGroup not in charts.watched_models()
    with registry.temporarily(groups):
        assert SupportGroup in charts.watched_models()
        before = charts.data_fingerprint()
        SupportGroup.objects.create(name="Tổ hỗ trợ SXSH")
        assert charts.data_fingerprint() != before
    assert SupportGroup not in charts.watched_models()


def test_registering_an_indicator_gives_new_cache_keys(reporting):
    with_it = charts.data_fingerprint()
    registry.unregister(REPORTING.code)
    try:
        assert charts.data_fingerprint() != with_it  # a cached dashboard without it is not served
    finally:
        registry.register(REPORTING)


def test_targets_and_reported_values_accept_a_registered_code_without_a_migration(reporting):
    plan, _sent, _late = reporting
    Target(plan=plan, indicator_code="establishments_reporting", low=80, deadline_year=2020).full_clean()
    field = ReportedValue._meta.get_field("indicator_code")
    assert ("establishments_reporting", REPORTING.label) in list(field.choices)
    call_command("makemigrations", "indicators", "--check", "--dry-run", verbosity=0)  # exits 1 on a change


# --- the built-in declarations ----------------------------------------------------------------------

def test_the_dashboard_shows_the_built_in_indicators_in_order():
    assert list(registry.codes()) == BUILT_IN
    assert engine.INDICATORS == BUILT_IN


def test_model_choices_are_the_registry_with_the_national_targets():
    choices = list(Target._meta.get_field("indicator_code").choices)
    assert choices == registry.choices()
    assert [code for code, _label in choices] == BUILT_IN + ["doit_cp_capacity", "cp_unit_enterprises"]
    assert registry.find("doit_cp_capacity") is None  # a target only: no figure, no drill-down
    assert registry.find("nonsense") is None


def test_a_code_is_declared_once():
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Indicator(code="cp_adoption", label="again"))
    assert list(registry.codes()) == BUILT_IN


def test_the_fingerprint_watches_every_table_the_dashboard_reads():
    """The tables the caches watch (once the list of `charts.WATCHED_MODELS`), now from the declarations."""
    labels = {model._meta.label for model in charts.watched_models()}
    assert labels == {
        "establishments.Establishment", "establishments.CPMeasure", "indicators.AnnualReport",
        "indicators.ResourceLine", "indicators.ResourceType", "establishments.AssistanceRecord", "training.Event",
        "training.Person", "training.Attendance", "training.StaffHeadcount", "indicators.Target",
        "indicators.ReportedValue", "indicators.ActionPlan", "establishments.Place", "establishments.Sector",
        "establishments.PlaceSuccession",  # a plan's territory holds the places that succeeded its own
        "establishments.RegistryCoverage",  # read by the shares of POT(Y): cp_adoption and two more
    }


@pytest.mark.django_db
def test_the_fingerprint_moves_with_saves_deletes_and_rows_written_without_history(django_assert_num_queries):
    from establishments.models import Establishment
    from tests import factories

    e = factories.establishment()
    with django_assert_num_queries(1):
        before = charts.data_fingerprint()
    e.name = "Renamed"
    e.save()                                               # a history row
    after_save = charts.data_fingerprint()
    Establishment.objects.bulk_create([Establishment(code="BULK-1", name="Bulk")])  # no history row
    after_bulk = charts.data_fingerprint()
    Establishment.objects.get(code="BULK-1").delete()      # a history row of the deletion
    after_delete = charts.data_fingerprint()
    assert len({before, after_save, after_bulk, after_delete}) == 4
    assert charts.data_fingerprint() == after_delete       # nothing changed: the same key


def test_each_drill_down_kind_and_resource_category_is_known():
    from indicators import drilldowns

    for indicator in registry.on_dashboard():
        assert indicator.drill_down in drilldowns.KINDS, indicator.code
    assert registry.resource_categories() == ("energy", "material")
