"""The inline SVG chart of specific consumption: accessible, indexed to the first year."""
from decimal import Decimal as D

from indicators.consumption_chart import consumption_chart_svg, indexed_series
from indicators.metrics import Factor, ReportData, consumption_series

WATER = 1
FACTORS = {WATER: Factor("water", D("1"))}
LABELS = {"energy": "Energy", "material": "Material", "water": "Water"}


def rows(*pairs):
    return consumption_series([ReportData(y, "t", D(1000), ((WATER, D(q)),)) for y, q in pairs], FACTORS)


def test_index_is_relative_to_the_first_year():
    # 20 m³/t then 15 m³/t → 100 and 75
    assert indexed_series(rows((2016, 20000), (2017, 15000))) == {"water": [(2016, 100.0), (2017, 75.0)]}


def test_chart_has_title_description_and_one_line_per_category():
    svg = consumption_chart_svg(rows((2016, 20000), (2017, 15000)), LABELS)
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "Water: 2016 100, 2017 75" in svg
    assert svg.count("<polyline") == 1


def test_no_chart_for_a_single_year():
    assert consumption_chart_svg(rows((2016, 20000)), LABELS) == ""
