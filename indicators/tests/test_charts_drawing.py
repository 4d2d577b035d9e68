"""What the chart SVGs show, on small hand-made specs: numbers, ticks, legend, labels, "no data"."""
import itertools
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from indicators import charts

from . import dashboard_data as d

SVG = "{http://www.w3.org/2000/svg}"
LONG_NAMES = ("Chế biến tinh bột sắn và các sản phẩm từ sắn", "Chế biến mủ cao su", "Hợp tác xã, ngành khác",
              "Xây dựng, vật liệu xây dựng", "Chế biến gỗ và lâm sản ngoài gỗ", "Sản xuất nước đá")


def spec(kind="bar", rows=(), percent=False, columns=("Year", "Establishments"), **kw):
    kw.setdefault("value_columns", tuple(range(1, len(columns))))
    kw.setdefault("formats", ("text",) + ("pct" if percent else "int",) * (len(columns) - 1))
    return charts.ChartSpec(name="test", title="Test chart", alt="", x_label="X", y_label="Y", columns=columns,
                            rows=tuple(rows), kind=kind, percent=percent, **kw)


def line_spec(computed, reported=(), target=None):
    """An indicator-like line chart over 2009..2020: {year: value} for each series."""
    rows = [(y, computed.get(y), dict(reported).get(y), None) for y in range(2009, 2021)]
    return spec("line", rows, percent=True, columns=("Year", "Computed", "Reported", "Projected"),
                series_labels=("Computed", "Reported", "Projected"), target_low=target)


def svg_text(chart, lang="vi"):
    with translation.override(lang):
        return charts.render_svg(chart).decode()


def texts(svg, prefix):
    """The text of each SVG group whose id starts with `prefix` (xtick_, ytick_, legend_), lines joined by \\n."""
    found = []
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        if group.get("id", "").startswith(prefix):
            found.append("\n".join("".join(t.itertext()) for t in group.iter(f"{SVG}text")))
    return found


def legend_entries(svg):
    legend = next((g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("id", "").startswith("legend_")), None)
    return [] if legend is None else ["".join(t.itertext()) for t in legend.iter(f"{SVG}text")]


def drawn(chart, lang="vi"):
    """The chart's Figure after a draw, so that every text has its place."""
    with translation.override(lang):
        fig = charts.figure(chart)
        FigureCanvasAgg(fig).draw()
    return fig


def overlapping(artists):
    boxes = [a.get_window_extent() for a in artists if a.get_visible() and a.get_text()]
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]


# --- numbers on the axes ---------------------------------------------------------------------

def test_value_axis_uses_vietnamese_separators_in_vietnamese_and_english_ones_in_english():
    big = spec(rows=[(2016, 1200), (2017, 2500)])
    vi, en = texts(svg_text(big), "ytick_"), texts(svg_text(big, "en"), "ytick_")
    assert "1.200" in vi and "1,200" in en  # thousands grouped in each language's way
    assert all(t.replace(".", "").isdigit() for t in vi) and all(t.replace(",", "").isdigit() for t in en)
    small = line_spec({2015: 0.4, 2016: 1.3})
    vi, en = texts(svg_text(small), "ytick_"), texts(svg_text(small, "en"), "ytick_")
    assert any("," in t for t in vi) and not any("." in t for t in vi)
    assert any("." in t for t in en) and not any("," in t for t in en)


def test_count_axis_has_whole_numbers_and_years_are_not_grouped():
    chart = spec(rows=[(2013, 1), (2014, 3), (2015, 2)])
    ticks = texts(svg_text(chart), "ytick_")
    assert ticks and all(t.lstrip("−").isdigit() for t in ticks), ticks
    years = texts(svg_text(chart), "xtick_")
    assert "2014" in years and not any("." in y for y in years)


def test_years_of_a_line_chart_are_plain_and_do_not_overlap():
    chart = line_spec({y: y - 2009 for y in range(2009, 2019)}, target=15)
    assert "2020" in texts(svg_text(chart), "xtick_") and "2.020" not in svg_text(chart)
    assert overlapping(drawn(chart).axes[0].get_xticklabels()) == []


# --- no data ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, rows", [
    ("line", [(y, None, None, None) for y in range(2009, 2021)]), ("bar", []), ("hbar", []), ("stacked", []),
])
def test_chart_without_data_says_so_in_the_users_language_instead_of_drawing_empty_axes(kind, rows):
    chart = spec(kind, rows, columns=("Year", "A", "B", "C"), series_labels=("A", "B", "C"), target_low=15)
    assert not chart.has_data
    vi, en = svg_text(chart), svg_text(chart, "en")
    assert "Biểu đồ này chưa có số liệu." in vi and "No data for this chart yet." in en
    assert "Test chart" in vi  # the title stays
    assert texts(vi, "xtick_") == texts(vi, "ytick_") == [] and legend_entries(vi) == []


@pytest.mark.django_db
def test_every_chart_of_a_plan_without_data_says_no_data(manager_client):
    p = d.plan("EMPTY/1", cp_adoption=15)
    for name in charts.CHART_NAMES:
        svg = manager_client.get(reverse("indicators:dashboard_chart", args=[name])
                                 + f"?plan={p.pk}&year=2018").content.decode()
        assert "Biểu đồ này chưa có số liệu." in svg, name
        assert "−0,04" not in svg and "0,04" not in svg, name


def test_all_zero_values_give_an_axis_from_zero_not_a_sliver_around_it():
    ticks = texts(svg_text(spec(rows=[(2016, 0), (2017, 0)])), "ytick_")
    assert ticks[0] == "0" and "1" in ticks and not any(t.startswith("−") for t in ticks)


# --- legend ----------------------------------------------------------------------------------

def test_legend_has_one_entry_per_series():
    chart = line_spec({2015: 5, 2016: 9}, reported=[(2018, 12)], target=15)
    assert legend_entries(svg_text(chart)) == ["Computed", "Reported", "Mục tiêu 15 %"]
    banded = spec("hbar", [("E1", 10, 4), ("E2", 3, None)], percent=True, columns=("Est", "Energy", "Material"),
                  series_labels=("Energy", "Material"), target_low=5, target_high=8)
    entries = legend_entries(svg_text(banded, "en"))
    assert entries == ["Energy", "Material", "Target 5–8 %"]


@pytest.mark.parametrize("chart", [
    line_spec({2009: 14, 2012: 15, 2016: 15.5}, reported=[(2018, 15)], target=15),
    spec("hbar", [(name, 16.0) for name in LONG_NAMES[:3]], percent=True, columns=("Sector", "Share"),
         target_low=15),
])
def test_legend_sits_outside_the_plot_so_the_target_line_cannot_cross_it(chart):
    fig = drawn(chart)
    legend, plot = fig.legends[0].get_window_extent(), fig.axes[0].get_window_extent()
    assert not legend.overlaps(plot)
    assert legend.y1 <= plot.y0  # below the plot


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_legend_of_every_series_and_a_target_band_fits_the_width(lang):
    chart = line_spec({2015: 5, 2016: 9}, reported=[(2018, 12)], target=5)
    rows = tuple(row[:3] + ((7.0,) if row[0] == 2020 else (None,)) for row in chart.rows)
    with translation.override(lang):
        labels = (translation.gettext("Computed"), translation.gettext("Reported"), translation.gettext("Projected"))
    chart = charts.ChartSpec(**{**chart.__dict__, "rows": rows, "target_high": 8, "series_labels": labels})
    fig = drawn(chart, lang)
    assert len(fig.legends[0].get_texts()) == 4
    legend, page = fig.legends[0].get_window_extent(), fig.bbox
    assert page.x0 <= legend.x0 and legend.x1 <= page.x1


def test_target_with_decimals_is_labelled_in_the_users_language():
    chart = line_spec({2015: 1, 2016: 2}, target=2.5)
    assert "Mục tiêu 2,5 %" in legend_entries(svg_text(chart))
    assert "Target 2.5 %" in legend_entries(svg_text(chart, "en"))


# --- labels that do not overlap ------------------------------------------------------------

def test_long_category_names_are_wrapped_and_do_not_overlap():
    chart = spec("hbar", [(name, 10.0 + i) for i, name in enumerate(LONG_NAMES)], percent=True,
                 columns=("Sector", "Share"))
    labels = texts(svg_text(chart), "ytick_")
    assert "Chế biến tinh bột sắn và các\nsản phẩm từ sắn" in labels or any(
        "\n" in label and label.startswith("Chế biến tinh bột sắn") for label in labels)
    assert overlapping(drawn(chart).axes[0].get_yticklabels()) == []


def test_horizontal_bars_get_taller_with_more_rows_and_keep_labels_apart():
    rows = [(f"KT-{i:04d} Nhà máy chế biến tinh bột sắn số {i}", 5.0 + i % 7, 3.0) for i in range(30)]
    many = spec("hbar", rows, percent=True, columns=("Est", "Energy", "Material"),
                series_labels=("Energy", "Material"))
    few = spec("hbar", rows[:3], percent=True, columns=("Est", "Energy", "Material"),
               series_labels=("Energy", "Material"))
    assert charts.figure_size(many)[1] > 2 * charts.figure_size(few)[1]
    assert overlapping(drawn(many).axes[0].get_yticklabels()) == []


def test_many_years_of_bars_are_thinned_so_that_labels_do_not_overlap():
    chart = spec(rows=[(y, y % 4) for y in range(2009, 2031)])
    assert overlapping(drawn(chart).axes[0].get_xticklabels()) == []


def test_stacked_bars_lie_down_so_that_category_names_read_level_and_apart():
    names = ("Cán bộ quản lý nhà nước", "Cán bộ phụ trách SXSH", "Cán bộ kỹ thuật của cơ sở",
             "Cán bộ quản lý của cơ sở", "Khác")
    chart = spec("stacked", [(name, 3, 4, 1) for name in names], columns=("Category", "F", "M", "U"),
                 series_labels=("F", "M", "U"))
    labels = drawn(chart).axes[0].get_yticklabels()
    assert [t.get_text() for t in labels] == list(names) and all(t.get_rotation() == 0 for t in labels)
    assert overlapping(labels) == []
    assert legend_entries(svg_text(chart)) == ["F", "M", "U"]


def test_image_size_in_the_page_matches_the_drawing():
    chart = spec(rows=[(2016, 1)])
    width, height = charts.figure_size(chart)
    assert (chart.width_px, chart.height_px) == (round(width * 100), round(height * 100))
    assert spec(rows=[]).height_px < chart.height_px  # "no data" is a short strip


def drawn_texts(fig):
    """Every text the figure draws: titles, legend, axis labels, values on bars and the ticks in view."""
    texts = [c for c in fig.get_children() if isinstance(c, Text)]  # the title, "no data"
    texts += [t for legend in fig.legends for t in legend.get_texts()]
    for ax in fig.axes:
        texts += [ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            texts += [t.label1 for t in axis.get_major_ticks() if low - 1e-9 <= t.get_loc() <= high + 1e-9]
    return [t for t in texts if t.get_visible() and t.get_text()]


def test_axis_labels_of_narrow_plots_stay_inside_the_drawing():
    rows = [(f"KT-{i:04d} Nhà máy chế biến mủ cao su mẫu số {i} (dữ liệu mẫu)", 10.0, 4.0) for i in range(9)]
    chart = charts.ChartSpec(
        name="reductions", title="Mức giảm tiêu hao của từng cơ sở áp dụng SXSH", alt="",
        x_label="Mức giảm trên đơn vị sản phẩm (%)", y_label="Cơ sở", columns=("Cơ sở", "E", "M"),
        rows=tuple(rows), kind="hbar", series_labels=("Năng lượng", "Nguyên vật liệu"), target_low=5,
        target_high=8, formats=("text", "pct", "pct"), value_columns=(1, 2))
    fig = drawn(chart)
    for text in drawn_texts(fig):
        box = text.get_window_extent()
        assert fig.bbox.x0 - 1 <= box.x0 and box.x1 <= fig.bbox.x1 + 1, text.get_text()


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_no_text_of_any_dashboard_chart_runs_off_the_drawing(lang):
    from indicators.dashboard_cache import cached_dashboard

    from .test_dashboard_views import sample

    p = sample(extra=3)
    with translation.override(lang):
        specs = charts.all_specs(cached_dashboard(p, 2018).dash, p)
    for chart in specs:
        fig = drawn(chart, lang)
        page = fig.bbox
        for text in drawn_texts(fig):
            box = text.get_window_extent()
            assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1, (chart.name, text.get_text())
            assert page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, (chart.name, text.get_text())


def test_values_written_after_full_bars_stay_inside_the_drawing():
    chart = spec("hbar", [(name, 100.0) for name in LONG_NAMES[:4]], percent=True, columns=("Place", "Share"),
                 target_low=15)
    fig = drawn(chart)
    values = fig.axes[0].texts
    assert [t.get_text() for t in values] == ["100,0 %"] * 4
    assert all(t.get_window_extent().x1 <= fig.bbox.x1 for t in values)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_large_counts_on_a_horizontal_axis_keep_their_labels_apart(lang):
    # 100,000 establishments: tens of thousands of people per staff category ("64.000" in Vietnamese).
    names = ("Cán bộ quản lý nhà nước", "Cán bộ phụ trách SXSH", "Cán bộ kỹ thuật của cơ sở",
             "Cán bộ quản lý của cơ sở", "Khác")
    chart = spec("stacked", [(name, 24_113, 33_975, 3_160) for name in names], columns=("Category", "F", "M", "U"),
                 series_labels=("F", "M", "U"))
    labels = drawn(chart, lang).axes[0].get_xticklabels()
    assert len([t for t in labels if t.get_text()]) >= 3
    assert overlapping(labels) == []
