"""The data tables under the charts: counts as whole numbers, percentages with one decimal."""
import re

import pytest

from indicators import charts

from . import dashboard_data as d
from .test_dashboard_views import sample, url

pytestmark = pytest.mark.django_db


def table_cells(page_html, chart_name):
    """The numeric cells of the data table under chart `chart_name`, as shown."""
    figure = re.search(rf'<figure class="chart" id="chart-{chart_name}">(.*?)</figure>', page_html, re.S).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', figure)


def test_counts_in_chart_tables_are_whole_numbers(manager_client):
    p = sample()
    for i in range(2):  # three establishments assisted in 2017 (T/1-E1 in 2016)
        d.assist(d.est(f"T/1-A{i}"), 2017)
    d.assist(d.est("T/1-A2"), 2017)
    page = manager_client.get(url("dashboard", p)).content.decode()
    indicator = table_cells(page, "indicator-establishments_assisted")
    assert "4" in indicator and "1" in indicator  # 1 up to 2016, 4 up to 2017
    per_year = table_cells(page, "assistance")
    assert "3" in per_year
    for cell in indicator + per_year:
        assert "," not in cell and "." not in cell, cell


def test_percentages_in_chart_tables_keep_one_decimal(manager_client):
    page = manager_client.get(url("dashboard", sample())).content.decode()
    assert "25,0 %" in table_cells(page, "indicator-cp_adoption")


def test_count_charts_declare_whole_number_columns(manager_client):
    dash = manager_client.get(url("dashboard", sample())).context["dash"]
    spec = charts.indicator_spec(dash.get("establishments_assisted"), 2020)
    assert spec.formats == ("text", "int", "int", "int")


def test_table_of_a_chart_without_data_says_so_instead_of_a_column_of_dashes(manager_client):
    p = d.plan("EMPTY/1", cp_adoption=15)
    page = manager_client.get(url("dashboard", p)).content.decode()
    assert table_cells(page, "indicator-cp_adoption") == []
    figure = re.search(r'id="chart-indicator-cp_adoption">(.*?)</figure>', page, re.S).group(1)
    assert "Biểu đồ này chưa có số liệu." in figure
