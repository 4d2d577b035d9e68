"""indicators.metrics: specific consumption and its changes, with hand-computed values."""
from decimal import Decimal as D

from indicators.metrics import (
    Factor,
    ReportData,
    consumption_series,
    large_changes,
    percent_change,
    specific_consumption,
)

# Resource type ids → factors, as in the resource-type table of DOMAIN.md.
ELECTRICITY, FUEL_OIL, CASSAVA, CHEMICALS, WATER = 1, 2, 3, 4, 5
FACTORS = {
    ELECTRICITY: Factor("energy", D("0.0036")),  # GJ per kWh
    FUEL_OIL: Factor("energy", D("0.0380")),  # GJ per L
    CASSAVA: Factor("material", D("1")),  # t per t
    CHEMICALS: Factor("material", D("0.001")),  # t per kg
    WATER: Factor("water", D("1")),  # m³ per m³
}


def test_specific_consumption_sums_each_category_in_its_common_unit():
    lines = [(ELECTRICITY, D("200000")), (FUEL_OIL, D("45000")), (CASSAVA, D("4250")), (CHEMICALS, D("500")),
             (WATER, D("20000"))]
    sc = specific_consumption(lines, D("1000"), FACTORS)
    # energy: 200000 kWh × 0.0036 = 720 GJ; 45000 L × 0.038 = 1710 GJ; (720 + 1710) / 1000 t = 2.43 GJ/t
    assert sc["energy"] == D("2.43")
    # material: 4250 t + 500 kg × 0.001 = 4250.5 t; / 1000 = 4.2505 t/t
    assert sc["material"] == D("4.2505")
    # water: 20000 m³ / 1000 t = 20 m³/t
    assert sc["water"] == D("20")


def test_category_without_lines_has_no_value_not_zero():
    sc = specific_consumption([(WATER, D("500"))], D("100"), FACTORS)
    assert sc == {"energy": None, "material": None, "water": D("5")}


def test_zero_output_gives_no_value():
    assert specific_consumption([(WATER, D("500"))], D("0"), FACTORS) == {
        "energy": None, "material": None, "water": None}


def test_percent_change():
    # 0.8 against 1.0: (0.8 / 1.0 − 1) × 100 = −20
    assert percent_change(D("0.8"), D("1.0")) == D("-20")
    # 3 against 2: +50
    assert percent_change(D("3"), D("2")) == D("50")
    assert percent_change(None, D("2")) is None
    assert percent_change(D("2"), D("0")) is None


def test_series_changes_against_previous_report_and_baseline():
    reports = [
        # 2015: water 20000 m³ / 1000 t = 20 m³/t
        ReportData(2015, "t", D("1000"), ((WATER, D("20000")),)),
        # 2016: 18000 / 1000 = 18 → −10 % vs 2015 (baseline)
        ReportData(2016, "t", D("1000"), ((WATER, D("18000")),)),
        # 2018 (no 2017 report): 15000 / 1200 = 12.5 → vs 2016: 12.5/18 − 1 = −30.555…%; vs 2015: −37.5 %
        ReportData(2018, "t", D("1200"), ((WATER, D("15000")),)),
    ]
    rows = consumption_series(reports, FACTORS, baseline_year=2015)
    assert [r.year for r in rows] == [2015, 2016, 2018]
    assert rows[0].is_baseline and rows[0].change_vs_previous == {} and rows[0].change_vs_baseline == {}
    assert rows[1].change_vs_previous["water"] == D("-10")
    assert rows[1].change_vs_baseline["water"] == D("-10")
    assert rows[2].previous_year == 2016
    assert round(rows[2].change_vs_previous["water"], 3) == D("-30.556")
    assert rows[2].change_vs_baseline["water"] == D("-37.5")
    assert rows[2].change_vs_previous["energy"] is None  # no energy lines at all
    assert rows[2].cells[2] == (D("12.5"), rows[2].change_vs_previous["water"], D("-37.5"))


def test_series_does_not_compare_different_product_units():
    reports = [
        ReportData(2015, "t", D("1000"), ((WATER, D("20000")),)),
        ReportData(2016, "m³", D("1000"), ((WATER, D("18000")),)),
    ]
    rows = consumption_series(reports, FACTORS, baseline_year=2015)
    assert rows[1].change_vs_previous == {} and rows[1].change_vs_baseline == {}


def test_large_changes_only_above_fifty_percent_either_way():
    previous = {"energy": D("2"), "material": D("4"), "water": D("20")}
    # energy 3.2 vs 2 = +60 % (asked); material 2 vs 4 = −50 % (exactly 50: not asked); water 9 vs 20 = −55 %
    new = {"energy": D("3.2"), "material": D("2"), "water": D("9")}
    assert large_changes(new, previous) == [("energy", D("60")), ("water", D("-55"))]
    assert large_changes(previous, previous) == []
