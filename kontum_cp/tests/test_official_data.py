"""The official fixture: loads twice without duplicates, holds what the 2018 report says and nothing more."""
import datetime
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from establishments.models import AssistanceRecord, CPMeasure, Establishment, Place, Sector, SupportGroup
from indicators.models import ActionPlan, AnnualReport, ReportedValue, ResourceLine, ResourceType, Target
from training.models import Attendance, Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db

MODELS = [ActionPlan, Target, ReportedValue, SupportGroup, Establishment, CPMeasure, AssistanceRecord, Place,
          Sector, ResourceType, AnnualReport, ResourceLine, Event, Person, Attendance, StaffHeadcount]


def load():
    call_command("loaddata", "kontum_2009_2018", verbosity=0)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_loading_twice_creates_no_duplicates():
    before = counts()
    load()
    once = counts()
    load()
    assert counts() == once
    added = {name: once[name] - before[name] for name in once if once[name] != before[name]}
    assert added == {"ActionPlan": 2, "Target": 19, "ReportedValue": 3, "SupportGroup": 1, "Establishment": 7,
                     "CPMeasure": 5, "AssistanceRecord": 4}


def test_the_2013_provincial_plan_its_six_targets_and_its_dissemination_targets(official_data):
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    assert plan.date_issued == datetime.date(2013, 10, 24)
    assert plan.issuer == "Ủy ban nhân dân tỉnh Kon Tum"
    assert (plan.start_year, plan.end_year, plan.level) == (2013, 2020, "provincial")
    targets = {(t.indicator_code, t.deadline_year): (t.low, t.high, t.unit) for t in plan.targets.all()}
    assert targets == {
        ("cp_adoption", 2020): (Decimal("15"), None, "%"),
        ("energy_intensity_reduction", 2020): (Decimal("5"), Decimal("8"), "%"),
        ("material_intensity_reduction", 2020): (Decimal("5"), Decimal("8"), "%"),
        ("gov_staff_disseminated", 2020): (Decimal("100"), None, "%"),
        ("cp_staff_trained", 2020): (Decimal("50"), None, "%"),
        ("technical_staff_trained", 2020): (Decimal("25"), None, "%"),
        # Found beyond the six (DOMAIN.md): the public plan text (2015) and the report's "90% ... by 2020".
        ("establishments_disseminated", 2015): (Decimal("50"), None, "%"),
        ("establishments_disseminated", 2020): (Decimal("90"), None, "%"),
    }
    by_2015 = plan.targets.get(indicator_code="establishments_disseminated", deadline_year=2015)
    by_2020 = plan.targets.get(indicator_code="establishments_disseminated", deadline_year=2020)
    assert "legal-document database" in by_2015.note_en and by_2015.note
    assert "made effort to achieve 90% of goals by 2020" in by_2020.note_en and "90%" in by_2020.note
    assert not plan.targets.exclude(indicator_code="establishments_disseminated").exclude(note="").exists()


def test_the_national_strategy_is_a_second_plan(official_data):
    plan = ActionPlan.objects.get(decision_number="1419/QĐ-TTg")
    assert plan.date_issued == datetime.date(2009, 9, 7)
    assert plan.level == "national" and plan.issuer == "Thủ tướng Chính phủ"
    bounds = {(t.indicator_code, t.deadline_year): (t.low, t.high) for t in plan.targets.all()}
    assert bounds[("establishments_disseminated", 2015)] == (Decimal("50"), None)
    assert bounds[("establishments_disseminated", 2020)] == (Decimal("90"), None)
    assert bounds[("cp_adoption", 2015)] == (Decimal("25"), None)
    assert bounds[("cp_adoption", 2020)] == (Decimal("50"), None)
    assert bounds[("energy_intensity_reduction", 2020)] == (Decimal("8"), Decimal("13"))
    assert bounds[("doit_cp_capacity", 2015)] == (Decimal("70"), None)
    assert bounds[("cp_unit_enterprises", 2020)] == (Decimal("90"), None)
    assert len(bounds) == 11


def test_the_seven_enterprises_with_parents_and_sectors(official_data):
    rows = {e.code: (e.name, e.parent_organisation, e.sector.code, e.cp_potential)
            for e in Establishment.objects.select_related("sector")}
    assert len(rows) == 7
    names = {code: row[0] for code, row in rows.items()}
    assert names == {
        "KT-0001": "Công ty TNHH Tinh bột sắn Kon Tum",
        "KT-0002": "Nhà máy chế biến mủ cao su Ya Chim",
        "KT-0003": "Nhà máy chế biến mủ cao su 5",
        "KT-0004": "Công ty chế biến mủ cao su Hiep Hung",
        "KT-0005": "Nhà máy chế biến mủ cao su Ngọc Hồi",
        "KT-0006": "Hợp tác xã Van Thanh",
        "KT-0007": "Công ty TNHH MTV Xây dựng Thien Vuong",
    }
    assert rows["KT-0002"][1] == "Công ty TNHH MTV Cao su Kon Tum"
    assert rows["KT-0003"][1] == "Công ty TNHH MTV 732"
    english = dict(Establishment.objects.values_list("code", "parent_organisation_en"))
    assert english["KT-0002"] == "Kon Tum Rubber One Member Limited Liability Company"
    assert english["KT-0003"] == "732 One Member Limited Liability Company"
    assert {code: row[2] for code, row in rows.items()} == {
        "KT-0001": "tapioca_starch", "KT-0002": "rubber_latex", "KT-0003": "rubber_latex",
        "KT-0004": "rubber_latex", "KT-0005": "rubber_latex", "KT-0006": "cooperative_other",
        "KT-0007": "construction_materials",
    }
    # The report's English names are quoted in the notes, in both languages.
    first = Establishment.objects.get(code="KT-0001")
    assert "Kon Tum Tapioca Starch Company Limited" in first.notes
    assert first.notes_en.startswith("Name in the 2018 report: Kon Tum Tapioca Starch Company Limited.")


def test_the_five_measures_the_report_describes_dated_by_its_own_words(official_data):
    measures = sorted(
        CPMeasure.objects.values_list("establishment__code", "category", "status", "year", "year_earliest",
                                      "year_latest", "wastewater_capacity_m3_day")
    )
    assert measures == sorted([
        ("KT-0001", "by_product", "implemented", None, 2016, 2018, None),              # "last 3 years"
        ("KT-0001", "equipment_modification", "implemented", None, 2016, 2018, None),  # "last 3 years"
        ("KT-0001", "end_of_pipe", "implemented", 2017, None, None, None),
        ("KT-0002", "onsite_recovery", "implemented", None, None, 2018, None),         # by the report's date
        ("KT-0002", "end_of_pipe", "in_progress", 2018, None, None, Decimal("1100.00")),
    ])
    for measure in CPMeasure.objects.filter(year=None):
        assert "Last 3 years" in measure.description_en or "invested in the membrane" in measure.description_en
        assert "27/09/2018" in measure.description and "27/09/2018" in measure.description_en
    ya_chim = CPMeasure.objects.get(establishment__code="KT-0002", category="end_of_pipe")
    assert "1.100 m³/ngày" in ya_chim.title


def test_ya_chims_cp_assessment_is_dated_by_2018(official_data):
    record = AssistanceRecord.objects.get(establishment__code="KT-0002")
    assert (record.kind, record.year, record.date, record.date_earliest, record.date_latest) == (
        "process_evaluation", None, None, None, 2018)
    assert "was entitled to assessment of cleaner production" in record.description_en
    assert "27/09/2018" in record.description and "27/09/2018" in record.description_en


def test_the_three_assistance_records_of_2017(official_data):
    records = (AssistanceRecord.objects.exclude(year=None).select_related("establishment", "support_group")
               .order_by("establishment__code"))
    assert [(r.establishment.code, r.year, r.date) for r in records] == [
        ("KT-0005", 2017, None), ("KT-0006", 2017, None), ("KT-0007", 2017, None)
    ]
    assert [r.establishment.name for r in records] == [
        "Nhà máy chế biến mủ cao su Ngọc Hồi", "Hợp tác xã Van Thanh", "Công ty TNHH MTV Xây dựng Thien Vuong"
    ]
    assert {r.support_group.name for r in records} == {"Tổ hỗ trợ sản xuất sạch hơn"}


def test_the_published_figures_cite_the_report(official_data):
    disseminated = ReportedValue.objects.get(indicator_code="establishments_disseminated")
    assert (disseminated.value, disseminated.unit, disseminated.year, disseminated.period_start_year) == (
        Decimal("70"), "%", 2018, None
    )
    assisted = ReportedValue.objects.get(indicator_code="establishments_assisted")
    assert (assisted.value, assisted.period_start_year, assisted.year) == (Decimal("10"), 2015, 2017)
    for value in (disseminated, assisted):
        assert value.source_date == datetime.date(2018, 9, 27)
        assert value.source_document.startswith("Kết quả thực hiện Chiến lược sản xuất sạch hơn trong công nghiệp")
        assert value.source_document_en.startswith("Results of the implementation of the Cleaner Production Strategy")
        assert value.source_quote and value.source_quote_en
        assert value.place.code == "62"  # Kon Tum province as it was, not a plan


def test_nothing_is_invented(official_data):
    for est in Establishment.objects.select_related("place"):
        # The report says they are Kon Tum's enterprises, not in which district.
        assert est.place.code == "62" and est.address == "" and est.main_products == ""
        assert est.employees is None and est.technical_staff is None
        assert est.established_year is None and est.baseline_year is None
        assert est.cp_potential_assessed_on is None
    assert sorted(CPMeasure.objects.exclude(year=None).values_list("year", flat=True)) == [2017, 2018]
    assert not CPMeasure.objects.exclude(investment_vnd=None).exists()
    assert not CPMeasure.objects.exclude(achieved_savings_vnd=None).exists()
    assert not AssistanceRecord.objects.exclude(date=None).exists()
    assert not AssistanceRecord.objects.exclude(amount_vnd=None).exists()
    assert ReportedValue.objects.filter(numerator=None, denominator=None).count() == 2
    # The report's 7 enterprises pursuing CP: a count (its numerator), of no known denominator.
    seven = ReportedValue.objects.get(indicator_code="cp_adoption")
    assert (seven.value, seven.numerator, seven.denominator, seven.unit, seven.year) == (7, 7, None, "enterprises", 2018)
    # Every published figure describes Kon Tum province as it was (62), not a plan.
    assert set(ReportedValue.objects.values_list("place__code", flat=True)) == {"62"}
    # No production figures, events, people or headcounts: the report gives none.
    for model in (AnnualReport, ResourceLine, Event, Person, Attendance, StaffHeadcount):
        assert not model.objects.exists(), model.__name__
    assert SupportGroup.objects.get().established_on is None


# English words that give away a translation written into a Vietnamese field ("… (English …)").
ENGLISH_GLOSS = re.compile(r"\((?:[^()]*\b(?:of|the|and|with|in|on|to|by|for)\b[^()]*)\)")
TEXT_FIELDS = {
    ActionPlan: ["title", "notes"], Target: ["description"], ReportedValue: ["source_document", "source_quote"],
    SupportGroup: ["tasks"], Establishment: ["parent_organisation", "notes"], CPMeasure: ["description"],
    AssistanceRecord: ["description"],
}


@pytest.mark.parametrize("model", list(TEXT_FIELDS), ids=lambda m: m.__name__)
def test_vietnamese_and_english_texts_are_kept_in_separate_fields(official_data, model):
    for row in model.objects.all():
        for field in TEXT_FIELDS[model]:
            vietnamese, english = getattr(row, field), getattr(row, field + "_en")
            assert not ENGLISH_GLOSS.search(vietnamese), (model.__name__, field, vietnamese)
            assert not vietnamese.startswith("Report"), (model.__name__, field, vietnamese)
            if vietnamese:
                assert english and english != vietnamese, (model.__name__, field)


def test_pages_show_the_text_of_the_users_language(official_data):
    from django.utils import translation

    value = ReportedValue.objects.get(indicator_code="establishments_disseminated")
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    with translation.override("vi"):
        assert value.source_document_display == value.source_document
        assert plan.title_display == plan.title
    with translation.override("en"):
        assert value.source_document_display.startswith("Results of the implementation")
        assert plan.title_display.startswith("Action Plan on implementation")
    plan.title_en = ""
    with translation.override("en"):
        assert plan.title_display == plan.title  # no English text: the Vietnamese one


def test_the_data_migrations_split_the_texts_of_a_database_loaded_before(official_data):
    """A database loaded with the former fixture gets the same split, so loading the fixture again matches
    its reported values (their natural key holds the source document) instead of adding a second copy."""
    import importlib

    from django.apps import apps as registry

    steps = [importlib.import_module(name) for name in (
        "establishments.migrations.0006_split_official_texts", "indicators.migrations.0005_split_official_texts")]
    for step in steps:
        step.join(registry, None)
    value = ReportedValue.objects.get(indicator_code="establishments_disseminated")
    assert "(Results of the implementation" in value.source_document  # as the former fixture had it
    for step in steps:
        step.split(registry, None)
    before = counts()
    load()
    assert counts() == before
    value.refresh_from_db()
    assert "(Results" not in value.source_document and value.source_document_en.startswith("Results")
    assert not Establishment.objects.filter(parent_organisation__contains="(").exists()


@pytest.mark.parametrize("language,shown,hidden", [
    ("vi", "Kết quả thực hiện Chiến lược", "Results of the implementation"),
    ("en", "Results of the implementation", "Kết quả thực hiện Chiến lược"),
])
def test_the_source_of_a_published_figure_is_cited_in_the_users_language(manager_client, official_data, language,
                                                                         shown, hidden):
    from django.conf import settings
    from django.urls import reverse

    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = [reverse("home"), reverse("indicators:dashboard") + "?year=2018",
             reverse("indicators:indicator_detail", args=["establishments_disseminated"]) + "?year=2018",
             reverse("indicators:dashboard_report") + "?year=2018",
             reverse("indicators:dashboard_export", args=["csv"]) + "?year=2018"]
    for url in pages:
        text = manager_client.get(url).content.decode()
        assert shown in text and hidden not in text, url
    establishment = manager_client.get(reverse("establishments:detail", args=["KT-0002"])).content.decode()
    if language == "en":
        assert "Kon Tum Rubber One Member Limited Liability Company" in establishment
        assert "Named in the report among the enterprises pursuing cleaner production." in establishment
    else:
        assert "Công ty TNHH MTV Cao su Kon Tum" in establishment and "Limited Liability" not in establishment


def test_the_2018_adoption_card_counts_the_two_measures_dated_by_the_report(official_data, manager_client):
    """DOMAIN.md: a measure counts from its latest possible year. Kon Tum Tapioca Starch's 2016–2018 measures
    and Ya Chim's membrane "by 2018" count in 2018, not before; the wastewater plants are end-of-pipe. No
    registry year is confirmed, so the figure is "among the 7 registered establishments", not assessable."""
    from indicators import engine
    from indicators import engine_math as m

    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    r = engine.cp_adoption(plan, 2018)
    assert (r.numerator, r.denominator, r.status) == (2, 7, m.NOT_ASSESSABLE)
    assert r.value == pytest.approx(2 / 7 * 100)
    assert set(Establishment.objects.filter(pk__in=r.numerator_ids).values_list("code", flat=True)) == {
        "KT-0001", "KT-0002"}
    assert (r.registered, r.registry_confirmed) == (7, False)
    before = engine.cp_adoption(plan, 2017)
    assert (before.numerator, before.denominator) == (0, 7)  # 2016–2018 may have happened only in 2018
    # Ya Chim's assessment "by 2018" may lie before the plan's start: it is not counted as assistance.
    assisted = engine.establishments_assisted(plan, 2018)
    assert set(Establishment.objects.filter(pk__in=assisted.numerator_ids).values_list("code", flat=True)) == {
        "KT-0005", "KT-0006", "KT-0007"}
    manager_client.cookies["django_language"] = "en"
    page = manager_client.get(f"/indicators/dashboard/?plan={plan.pk}&year=2018").content.decode()
    assert "Among the 7 registered establishments" in page and "Not assessable" in page
