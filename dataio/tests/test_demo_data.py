"""generate_demo_data: labelled, realistic, reproducible, and harmless to official records."""
import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from dataio.bulk_rows import RowWriter, keys_and_indexes_rebuilt_at_end
from establishments.models import AssistanceRecord, CPMeasure, Establishment, SupportGroup
from indicators.models import ActionPlan, AnnualReport, ReportedValue, ResourceLine, Target
from tests import factories
from training.models import Attendance, Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db

MARK = "(dữ liệu mẫu)"


def generate(**options):
    out = io.StringIO()
    call_command("generate_demo_data", stdout=out, **options)
    return out.getvalue()


def snapshot():
    """Every row as plain values, without database ids or timestamps."""
    def rows(queryset, *fields):
        return sorted(tuple(str(v) for v in row) for row in queryset.values_list(*fields))

    return {
        "establishments": rows(
            Establishment.objects, "code", "name", "legal_form", "parent_organisation", "place__code",
            "sector__code", "address", "main_products", "employees", "technical_staff", "cp_potential",
            "cp_potential_assessed_on", "baseline_year", "established_year", "status", "closed_year", "notes",
        ),
        "reports": rows(AnnualReport.objects, "establishment__code", "year", "product", "product_unit", "output"),
        "lines": rows(ResourceLine.objects, "report__establishment__code", "report__year", "resource_type__code",
                      "quantity"),
        "measures": rows(CPMeasure.objects, "establishment__code", "title", "category", "status", "year",
                         "investment_vnd", "expected_savings_vnd", "achieved_savings_vnd",
                         "wastewater_capacity_m3_day"),
        "assistance": rows(AssistanceRecord.objects, "establishment__code", "year", "date", "kind",
                           "support_group__name", "amount_vnd", "outcome"),
        "events": rows(Event.objects, "code", "title", "kind", "start_date", "end_date", "audience_reached"),
        "people": rows(Person.objects, "name", "category", "organisation", "establishment__code", "gender"),
        "attendance": rows(Attendance.objects, "event__code", "person__name", "person__organisation",
                           "person__establishment__code", "completed"),
        "headcounts": rows(StaffHeadcount.objects, "year", "category", "headcount", "note"),
    }


class _Rollback(Exception):
    pass


def snapshot_of_fresh_run(**options):
    """Generate into the current state, take a snapshot, and roll everything back."""
    try:
        with transaction.atomic():
            generate(**options)
            taken = snapshot()
            raise _Rollback
    except _Rollback:
        pass
    assert not Establishment.objects.filter(code__startswith="DEMO-").exists()
    return taken


def test_same_seed_gives_identical_rows_and_another_seed_different_ones():
    first = snapshot_of_fresh_run(establishments=40, seed=7)
    again = snapshot_of_fresh_run(establishments=40, seed=7)
    other = snapshot_of_fresh_run(establishments=40, seed=8)
    assert len(first["establishments"]) == 40
    assert len(first["lines"]) > 40 * 4
    assert first == again
    for table in ("establishments", "reports", "lines", "measures", "people"):
        assert first[table] != other[table], table


def test_rows_do_not_depend_on_the_batch_size():
    assert snapshot_of_fresh_run(establishments=25, seed=3, batch_size=4) == snapshot_of_fresh_run(
        establishments=25, seed=3, batch_size=1000
    )


def test_official_records_are_untouched_by_generating_and_clearing(official_data):
    StaffHeadcount.objects.create(year=2015, category="gov_staff", headcount=123, note="official")
    before = snapshot()
    official_counts = {m: m.objects.count() for m in (ActionPlan, Target, ReportedValue, SupportGroup)}
    versions = sorted(Establishment.objects.values_list("code", "version", "updated_at"))

    generate(establishments=30, seed=1)
    assert StaffHeadcount.objects.get(year=2015, category="gov_staff").headcount == 123
    assert Establishment.objects.filter(code__startswith="KT-").count() == 7

    output = generate(establishments=10, seed=2, clear=True)
    assert "Deleted earlier demo data" in output
    assert Establishment.objects.filter(code__startswith="DEMO-").count() == 10

    generate(establishments=0, clear=True)
    assert snapshot() == before
    assert {m: m.objects.count() for m in official_counts} == official_counts
    assert sorted(Establishment.objects.values_list("code", "version", "updated_at")) == versions


def test_second_run_without_clear_is_refused():
    generate(establishments=3, seed=1)
    with pytest.raises(CommandError, match="--clear"):
        generate(establishments=3, seed=1)
    assert Establishment.objects.filter(code__startswith="DEMO-").count() == 3


def test_everything_generated_is_labelled_as_demo():
    generate(establishments=30, seed=5)
    assert Establishment.objects.count() == 30
    for code, name in Establishment.objects.values_list("code", "name"):
        assert code.startswith("DEMO-") and MARK in name
    assert all(code.startswith("DEMO-") for code in Event.objects.values_list("code", flat=True))
    assert all(MARK in title for title in Event.objects.values_list("title", flat=True))
    assert all(name.endswith(MARK) for name in Person.objects.values_list("name", flat=True))
    assert set(StaffHeadcount.objects.values_list("note", flat=True)) == {
        "DEMO — dữ liệu mẫu (synthetic demo data)"
    }


def test_demo_data_covers_the_domain():
    output = generate(establishments=200, seed=11, batch_size=50)
    assert "200 / 200 establishments" in output  # progress after each batch
    assert output.count("/ 200 establishments") == 4

    years = set(AnnualReport.objects.values_list("year", flat=True))
    assert years == set(range(2009, 2021))
    places = set(Establishment.objects.values_list("place__code", flat=True))
    assert places <= {"608", "610", "611", "612", "613", "614", "615", "616", "617", "618"} and len(places) >= 8
    assert set(Establishment.objects.values_list("sector__code", flat=True)) >= {
        "tapioca_starch", "rubber_latex", "construction_materials"
    }
    assert set(CPMeasure.objects.values_list("category", flat=True)) >= {"end_of_pipe", "equipment_modification"}
    assert set(CPMeasure.objects.values_list("status", flat=True)) == {"planned", "in_progress", "implemented"}
    assert AssistanceRecord.objects.exists()
    assert set(Event.objects.values_list("kind", flat=True)) == {"workshop", "training_course", "media"}
    assert not Attendance.objects.filter(event__kind="media").exists()
    assert Event.objects.filter(kind="media", audience_reached__gt=0).exists()
    attending = Attendance.objects.values_list("person__category", "person__gender")
    assert {c for c, _ in attending} == {"gov_staff", "cp_staff", "technical_staff", "manager", "other"}
    assert {g for _, g in attending} == {"female", "male", "unspecified"}
    for category in ("gov_staff", "cp_staff"):
        assert sorted(StaffHeadcount.objects.filter(category=category).values_list("year", flat=True)) == list(
            range(2009, 2021)
        )
    # Closed establishments report nothing from their closing year on.
    for est in Establishment.objects.filter(status="closed"):
        assert est.closed_year is not None
        assert not est.reports.filter(year__gte=est.closed_year).exists()


def _intensity(report, category):
    total = sum(line.quantity * line.resource_type.factor for line in report.lines.all()
                if line.resource_type.category == category)
    return total / report.output


def test_reports_use_typical_figures_and_adopters_cut_their_intensity():
    generate(establishments=150, seed=4)
    reports = AnnualReport.objects.select_related("establishment__sector").prefetch_related("lines__resource_type")
    by_establishment = defaultdict(dict)
    for report in reports:
        by_establishment[report.establishment.code][report.year] = report

    first_cp_year = {}
    for code, year in CPMeasure.objects.filter(status="implemented").exclude(category="end_of_pipe").values_list(
        "establishment__code", "year"
    ):
        first_cp_year[code] = min(year, first_cp_year.get(code, year))

    checked_tapioca = cuts = 0
    for code, yearly in by_establishment.items():
        for year, report in yearly.items():
            if report.establishment.sector.code != "tapioca_starch" or code in first_cp_year:
                continue
            lines = {line.resource_type.code: line.quantity / report.output for line in report.lines.all()}
            assert Decimal("4.1") <= lines["cassava_roots"] <= Decimal("4.4")
            assert Decimal("9.8") <= lines["water"] <= Decimal("30.6")
            assert Decimal("147") <= lines["electricity"] <= Decimal("255")
            assert "fuel_oil" in lines
            checked_tapioca += 1
        if code in first_cp_year:
            baseline = yearly.get(first_cp_year[code] - 1)
            later = yearly.get(first_cp_year[code])
            assert baseline is not None and later is not None
            reduction = 1 - _intensity(later, "energy") / _intensity(baseline, "energy")
            # 3–15 percent cut, blurred by the 2 percent year-to-year noise of each line.
            assert Decimal("-0.01") < reduction < Decimal("0.18"), (code, reduction)
            cuts += 1
    assert checked_tapioca > 20 and cuts > 10


DEMO_MODELS = (Establishment, AnnualReport, ResourceLine, CPMeasure, AssistanceRecord, Person, Attendance, Event,
               StaffHeadcount)


def test_rows_written_without_full_clean_pass_it(official_data):
    """The rows go straight into the tables (no model, no full_clean): they must be valid by construction."""
    generate(establishments=60, seed=9)
    checked = 0
    for model in DEMO_MODELS:
        for row in model.objects.all():
            row.full_clean()
            checked += 1
    assert checked > 60 * 10


def test_ids_taken_up_front_leave_the_next_ids_to_the_database():
    generate(establishments=20, seed=2)
    for model, new in (
        (Establishment, lambda: factories.establishment()),
        (AnnualReport, lambda: factories.report(Establishment.objects.get(code="DEMO-000001"), 2030, 10)),
        (Person, lambda: factories.person()),
    ):
        highest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert new().pk > highest, model


def _schema(models):
    with connection.cursor() as cursor:
        return {model: connection.introspection.get_constraints(cursor, model._meta.db_table) for model in models}


def test_keys_and_indexes_dropped_for_the_load_are_back_after_it():
    before = _schema(DEMO_MODELS)
    assert any(c["foreign_key"] for c in before[ResourceLine].values())
    assert any(c["index"] and not c["unique"] for c in before[ResourceLine].values())
    generate(establishments=5, seed=1)
    assert _schema(DEMO_MODELS) == before


def test_a_row_that_breaks_a_foreign_key_is_refused_and_the_keys_stay():
    before = _schema([ResourceLine])
    resource_type = factories.resource_type("water")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            with keys_and_indexes_rebuilt_at_end([ResourceLine]):  # PostgreSQL: the key added back refuses it
                RowWriter(ResourceLine, ("report_id", "resource_type_id", "quantity")).write(
                    [(987654321, resource_type.pk, Decimal("1.000"))]
                )
            connection.check_constraints([ResourceLine._meta.db_table])  # SQLite: the key it kept
    assert not ResourceLine.objects.exists()
    assert _schema([ResourceLine]) == before


def test_it_ends_with_the_peak_memory_of_the_process():
    output = generate(establishments=3, seed=1)
    assert re.search(r"Peak memory: [\d,]+ MB\.\n?$", output)


def test_it_leaves_fresh_statistics_for_the_query_planner():
    from django.db import connection

    generate(establishments=12, seed=1)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'establishments_establishment'")
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'establishments_establishment' LIMIT 1")
        row = cursor.fetchone()
    assert row is not None
    if connection.vendor == "postgresql":
        assert row[0] >= 12  # counted by ANALYZE (-1: never analysed)
