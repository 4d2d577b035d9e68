"""Dashboard charts: matplotlib's Figure API (Agg, never pyplot) drawn to SVG.

Each chart is described by a `ChartSpec` built from the engine's `Dashboard`
(title, axis labels with units, alt text and the rows of the data table shown
beneath it), so the page and the SVG endpoint describe the same numbers.
SVGs are cached in Django's cache under a key made of the chart, plan, year,
language and `data_fingerprint()`: the cached drawing is reused until a row of
a table it reads is added, changed or deleted.

Drawing choices that keep a chart readable at a glance: numbers on the axes in
the active language (1.100,5 in Vietnamese), whole-number ticks on count axes,
the legend below the plot (the target line cannot cross it), wrapped category
names, horizontal bars as tall as their rows need, and a one-line "no data"
strip instead of empty axes.
"""
import functools
import hashlib
import io
import math
import textwrap
from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from kontum_cp.templatetags.portal import num, pct

from .engine import FIRST_YEAR
from .registry import registry

# Okabe–Ito colour-blind-safe palette.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
MUTED = "#52606d"
CACHE_SECONDS = 60 * 60 * 24
OTHER_CHARTS = ("reductions", "by-place", "by-sector", "training", "assistance")  # after one per indicator


def watched_models():
    """The models of every table the dashboard reads (`registry.tables()`: its own and each indicator's)."""
    return [apps.get_model(label) for label in registry.tables()]


def chart_names():
    """Every chart of the dashboard: one per indicator, then the others."""
    return [f"indicator-{code}" for code in registry.codes()] + list(OTHER_CHARTS)


def __getattr__(name):
    # WATCHED_MODELS and CHART_NAMES as they were before the registry: read when asked for, so that an
    # indicator registered later (a test's) is in them.
    if name == "WATCHED_MODELS":
        return watched_models()
    if name == "CHART_NAMES":
        return chart_names()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    alt: str
    x_label: str
    y_label: str
    columns: tuple  # table headers
    rows: tuple  # table rows: (label, value, ...); values are numbers or None
    kind: str  # line | bar (one per year) | hbar | hist | stacked (horizontal)
    target_low: float | None = None
    target_high: float | None = None
    series_labels: tuple = ()
    percent: bool = True
    formats: tuple = ()  # per column: text | pct | int (how the data table shows it)
    value_columns: tuple = (1,)  # the columns of `rows` that are drawn, one series each

    @property
    def table(self):
        """Rows as [(format, value), ...] for the template; none without data (not a column of dashes)."""
        if not self.has_data:
            return []
        return [list(zip(self.formats, row)) for row in self.rows]

    @property
    def has_data(self):
        return any(row[i] is not None for row in self.rows for i in self.value_columns)

    @property
    def width_px(self):
        return round(figure_size(self)[0] * DPI)

    @property
    def height_px(self):
        return round(figure_size(self)[1] * DPI)


def data_fingerprint():
    """One query: the latest id of every table the dashboard reads and the latest history id of each.

    Every save or delete through the ORM adds a history row, and so do the imports and the demo data, which
    write their history rows themselves; a row added without one still moves its table's latest id. Both are
    read from a primary key's index, so the query costs the same at any size (a row count cost 0.5 s at
    100,000 establishments on PostgreSQL). The tables are those of `registry.tables()`, and the registered
    indicators' codes are part of the fingerprint: registering one gives new keys too.
    """
    parts = []
    qn = connection.ops.quote_name
    for model in watched_models():
        parts.append(f"(SELECT MAX({qn(model._meta.pk.column)}) FROM {qn(model._meta.db_table)})")
        history = getattr(model, "history", None)
        if history is not None:
            parts.append(f"(SELECT MAX(history_id) FROM {qn(history.model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha1(repr((row, registry.codes())).encode(), usedforsecurity=False).hexdigest()[:16]


def cache_key(name, plan_id, year, fingerprint):
    return f"dashboard-chart:{name}:{plan_id}:{year}:{get_language() or 'vi'}:{fingerprint}"


def cached_svg(name, plan_id, year, build_spec, fingerprint=None):
    """The SVG for chart `name`, drawn only when the data fingerprint changed.

    `build_spec(fingerprint)` is called only on a cache miss; it gets the
    fingerprint so that it can reuse the cached dashboard of the same data.
    Returns None when `build_spec` gives no chart of that name.
    """
    fingerprint = fingerprint or data_fingerprint()
    key = cache_key(name, plan_id, year, fingerprint)
    svg = cache.get(key)
    if svg is None:
        spec = build_spec(fingerprint)
        if spec is None:
            return None
        svg = render_svg(spec)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


# --- specs from the engine's Dashboard ------------------------------------------------------

def indicator_spec(result, deadline_end):
    """Yearly values of one indicator from 2009 to the deadline, the target as a band or line."""
    target = result.target
    deadline = target.deadline_year if target else deadline_end
    values = dict(result.series)
    reported = result.reported
    rows = []
    for year in range(min(FIRST_YEAR, result.year), max(deadline, result.year) + 1):
        rep = reported.value if reported is not None and reported.year == year else None
        proj = result.projection if result.projection is not None and year == result.projection_year else None
        rows.append((year, values.get(year), rep, proj))
    alt = _("Line chart of %(label)s from %(start)s to %(end)s, as of %(year)s; value %(value)s; "
            "target %(target)s.") % {
        "label": result.label, "start": rows[0][0], "end": rows[-1][0], "year": result.year,
        "value": _fmt(result.value, result.is_percentage), "target": _target_text(result)}
    return ChartSpec(
        name=f"indicator-{result.code}", title=str(result.label), alt=alt, x_label=_("Year"),
        y_label=_("Share (%)") if result.is_percentage else _("Number of establishments"),
        columns=(_("Year"), _("Computed"), _("Reported"), _("Projected")), rows=tuple(rows), kind="line",
        target_low=target.low if target else None, target_high=target.high if target else None,
        series_labels=(_("Computed"), _("Reported"), _("Projected")), percent=result.is_percentage,
        formats=("text",) + ("pct" if result.is_percentage else "int",) * 3, value_columns=(1, 2, 3),
    )


def _fmt(value, percent=True):
    if value is None:
        return _("no data")
    return pct(value) if percent else num(value)


def _target_text(result):
    t = result.target
    if t is None:
        return _("none")
    if t.high is not None and t.high != t.low:
        return f"{_number(t.low)}–{_number(t.high)} {t.unit}"
    return f"≥ {_number(t.low)} {t.unit}"


def reductions_spec(dash):
    energy = dash.get("energy_intensity_reduction")
    target = dict(target_low=energy.target.low if energy.target else None,
                  target_high=energy.target.high if energy.target else None,
                  series_labels=(_("Energy"), _("Material")), value_columns=(1, 2))
    if dash.reduction_bins:  # one bar per establishment would be unreadable (and too long a page): a histogram
        alt = _("Histogram: number of establishments applying CP by cut in energy and in material use per unit "
                "of product, as of %(year)s (%(n)s establishments).") % {"year": dash.year,
                                                                        "n": dash.reductions_total}
        rows = tuple((_("from %(low)s to under %(high)s") % {"low": _number(low), "high": _number(high)}, e, mat, low,
                      high)
                     for low, high, e, mat in dash.reduction_bins)
        return ChartSpec(
            name="reductions", title=_("Reduction per establishment applying CP"), alt=alt,
            x_label=_("Reduction per unit of product (%)"), y_label=_("Number of establishments"),
            columns=(_("Reduction (%)"), _("Energy: establishments"), _("Material: establishments")),
            rows=rows, kind="hist", formats=("text", "int", "int"), **target)
    rows = tuple((f"{code} {name}", e, mat) for code, name, e, mat in dash.reductions)
    alt = _("Bar chart: cut in energy and material use per unit of product of each establishment applying "
            "CP, as of %(year)s (%(n)s establishments).") % {"year": dash.year, "n": len(rows)}
    return ChartSpec(
        name="reductions", title=_("Reduction per establishment applying CP"), alt=alt,
        x_label=_("Reduction per unit of product (%)"), y_label=_("Establishment"),
        columns=(_("Establishment"), _("Energy (%)"), _("Material (%)")), rows=rows, kind="hbar",
        formats=("text", "pct", "pct"), **target)


def breakdown_spec(dash, name, rows, by, unknown_label=None):
    """Adoption per group; `unknown_label` names the group of establishments without one (the engine's
    generic "Not given")."""
    adoption = dash.get("cp_adoption")
    engine_unknown = _("Not given")
    table = tuple((unknown_label if unknown_label and label == engine_unknown else label, a, p,
                   a / p * 100 if p else None) for label, a, p in rows)
    alt = _("Bar chart: share of establishments with CP potential applying CP by %(by)s, as of %(year)s.") % {
        "by": by, "year": dash.year}
    return ChartSpec(
        name=name, title=_("Establishments applying CP by %(by)s") % {"by": by}, alt=alt,
        x_label=_("Applying CP (%)"), y_label=by.capitalize(),
        columns=(by.capitalize(), _("Applying CP"), _("With CP potential"), _("Share (%)")),
        rows=table, kind="hbar", target_low=adoption.target.low if adoption.target else None,
        formats=("text", "int", "int", "pct"), value_columns=(3,),
    )


def training_spec(dash):
    rows = tuple((label, f, mm, u, f + mm + u) for label, f, mm, u in dash.training)
    alt = _("Stacked bar chart: people who attended dissemination or training by staff category and gender, "
            "up to %(year)s.") % {"year": dash.year}
    return ChartSpec(
        name="training", title=_("Participation in dissemination and training"), alt=alt,
        x_label=_("Number of people"), y_label=_("Staff category"),
        columns=(_("Staff category"), _("Female"), _("Male"), _("Unspecified"), _("Total")), rows=rows,
        kind="stacked", series_labels=(_("Female"), _("Male"), _("Unspecified")), percent=False,
        formats=("text", "int", "int", "int", "int"), value_columns=(1, 2, 3),
    )


def assistance_spec(dash):
    # No assistance record at all is "no data", as for the indicator (a row of zeros would read as a result).
    rows = tuple(dash.assistance_per_year) if any(n for _y, n in dash.assistance_per_year) else ()
    alt = _("Bar chart: establishments given technical support each year up to %(year)s.") % {"year": dash.year}
    return ChartSpec(
        name="assistance", title=_("Establishments given technical support per year"), alt=alt,
        x_label=_("Year"), y_label=_("Number of establishments"),
        columns=(_("Year"), _("Establishments assisted")), rows=rows, kind="bar", percent=False,
        formats=("text", "int"),
    )


def all_specs(dash, plan):
    """Every chart of the dashboard, in page order."""
    specs = [indicator_spec(r, plan.end_year) for r in dash.indicators]
    specs.append(reductions_spec(dash))
    specs.append(breakdown_spec(dash, "by-place", dash.by_place, _("place"), _("No place given")))
    specs.append(breakdown_spec(dash, "by-sector", dash.by_sector, _("sector"), _("No sector given")))
    specs.append(training_spec(dash))
    specs.append(assistance_spec(dash))
    return specs


def spec_by_name(dash, plan, name):
    return next((s for s in all_specs(dash, plan) if s.name == name), None)


# --- drawing ---------------------------------------------------------------------------------

DPI = 100
# A 540 px drawing is about the width a chart gets in the page's two-column grid at 1366 px (525 px),
# so its text is shown at nearly the size it was drawn (10 pt ≈ 14 px, the page's small text).
FIG_WIDTH, FIG_HEIGHT, NO_DATA_HEIGHT = 5.4, 3.6, 1.2
TITLE_SIZE, TEXT_SIZE = 12, 10
# Per series: (colour, hatch); the hatching tells the series apart without colour.
SERIES_STYLES = ((BLUE, ""), (ORANGE, "//"), (PURPLE, ""), (SKY, ".."), ("#bbbbbb", "//"))
HORIZONTAL = ("hbar", "stacked")  # category names on the left, where they can be read without turning the head
HBAR_WRAP = 30  # characters per line of a category name


def figure_size(spec):
    """(width, height) in inches: a short strip without data, horizontal bars as tall as their rows need."""
    if not spec.has_data:
        return FIG_WIDTH, NO_DATA_HEIGHT
    if spec.kind in HORIZONTAL:
        lines = max(len(_category(r[0], HBAR_WRAP).splitlines()) for r in spec.rows)
        bars = len(spec.value_columns) if spec.kind == "hbar" else 1
        row = max(0.19 * lines, 0.17 * bars) + 0.14
        return FIG_WIDTH, max(FIG_HEIGHT - 0.6, 1.9 + row * len(spec.rows))
    return FIG_WIDTH, FIG_HEIGHT


@functools.cache
def _matplotlib():
    """matplotlib with its non-interactive backend, imported when the first chart is drawn: every process reads
    this module (the specs, the fingerprint, the tables the dashboard watches), and matplotlib with numpy
    would add about 55 MB to each at start-up, also to those that never draw a chart."""
    import matplotlib

    matplotlib.use("Agg")
    return matplotlib


def render_svg(spec):
    fig = figure(spec)
    buf = io.BytesIO()
    with _matplotlib().rc_context({"svg.fonttype": "none", "svg.hashsalt": "kontum-cp"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def figure(spec):
    """The chart as a matplotlib Figure in the active language (`render_svg` saves it)."""
    _matplotlib()
    from matplotlib.figure import Figure

    if not spec.has_data:
        return _no_data_figure(spec)
    fig = Figure(figsize=figure_size(spec), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    {"line": _draw_line, "bar": _draw_bar, "hbar": _draw_hbar, "hist": _draw_hist,
     "stacked": _draw_stacked}[spec.kind](ax, spec)
    # At the figure's left edge, not the plot's: long category names would push it to the right.
    fig.suptitle(textwrap.fill(spec.title, 64), fontsize=TITLE_SIZE, x=0.02, ha="left")
    ax.set_xlabel(textwrap.fill(spec.x_label, 36 if spec.kind in HORIZONTAL else 64), fontsize=TEXT_SIZE)
    ax.set_ylabel(textwrap.fill(spec.y_label, 30), fontsize=TEXT_SIZE)
    ax.tick_params(labelsize=TEXT_SIZE)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x" if spec.kind in HORIZONTAL else "y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    _legend(fig, ax, spec)
    return fig


def _no_data_figure(spec):
    """The title and a line saying there is nothing to draw: empty axes would read as a result."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figure_size(spec), dpi=DPI)
    fig.text(0.02, 0.9, textwrap.fill(spec.title, 64), fontsize=TITLE_SIZE, va="top")
    fig.text(0.5, 0.35, _("No data for this chart yet."), fontsize=TEXT_SIZE, color=MUTED, ha="center",
             va="center")
    return fig


def _legend(fig, ax, spec):
    """One entry per series, then the target, below the plot where no line can cross it."""
    entries = {}
    for handle, label in zip(*ax.get_legend_handles_labels()):
        entries.setdefault(label, handle)
    order = list(spec.series_labels)
    entries = dict(sorted(entries.items(), key=lambda e: order.index(e[0]) if e[0] in order else len(order)))
    if entries:  # four entries do not fit one line of 540 px in Vietnamese: two lines of two
        fig.legend(list(entries.values()), list(entries), loc="outside lower center", frameon=False,
                   ncols=len(entries) if len(entries) <= 3 else 2, fontsize=TEXT_SIZE, columnspacing=1.5)


# --- numbers and labels ----------------------------------------------------------------------


def _number(value):
    """`value` with the active language's separators (1.100,5 in Vietnamese), without trailing zeros."""
    value = float(value)
    decimals = next((d for d in range(3) if abs(value - round(value, d)) < 1e-9), 2)
    text = num(0 if abs(value) < 1e-9 else value, decimals)
    return text.replace("-", "\u2212")  # a typographic minus, as matplotlib draws it


def _tick_number(value, _position):
    return _number(value)


def _tick_year(value, _position):
    return f"{value:.0f}"  # never grouped: 2018, not 2.018


def _category(label, width, lines=2):
    """A category name on at most `lines` lines of `width` characters."""
    return textwrap.fill(textwrap.shorten(str(label), width * lines, placeholder="…"), width)


def _value_text(value, spec):
    return pct(value) if spec.percent else num(value)


def _value_axis(axis, integer, horizontal=False):
    """Numbers in the active language; whole-number ticks on an axis of counts. A horizontal axis has at most
    five ticks: labels such as "64.000" would run into each other in a narrow chart."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_formatter(FuncFormatter(_tick_number))
    if integer or horizontal:
        axis.set_major_locator(MaxNLocator(nbins=4 if horizontal else "auto", integer=integer))


def _from_zero(ax, horizontal=False):
    """Values start at zero (unless negative) and span at least 1, never a sliver around zero."""
    low, high = ax.get_xlim() if horizontal else ax.get_ylim()
    data_low = ax.dataLim.x0 if horizontal else ax.dataLim.y0
    low = low if data_low < 0 else 0
    (ax.set_xlim if horizontal else ax.set_ylim)(low, max(high, low + 1))


def _year_axis(ax, years):
    """At most eight year labels (every year, else every n-th), always ending at the last year."""
    from matplotlib.ticker import FuncFormatter

    step = math.ceil(len(years) / 8)
    ax.set_xticks(years[::-1][::step][::-1])
    ax.xaxis.set_major_formatter(FuncFormatter(_tick_year))
    ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)


def _target(ax, spec, horizontal=True):
    if spec.target_low is None:
        return
    label = f"{_('Target')} {_number(spec.target_low)}"
    line = ax.axhline if horizontal else ax.axvline
    if spec.target_high is not None and spec.target_high != spec.target_low:
        span = ax.axhspan if horizontal else ax.axvspan
        span(spec.target_low, spec.target_high, color=GREEN, alpha=0.15, zorder=0,  # behind the bars
             label=f"{label}–{_number(spec.target_high)} %")
        line(spec.target_low, color=GREEN, linestyle="--", linewidth=1.2)
    else:
        line(spec.target_low, color=GREEN, linestyle="--", linewidth=1.5,
             label=label + (" %" if spec.percent else ""))


# --- one function per kind of chart ---------------------------------------------------------

def _draw_line(ax, spec):
    years = [r[0] for r in spec.rows]
    computed = [(r[0], r[1]) for r in spec.rows if r[1] is not None]
    reported = [(r[0], r[2]) for r in spec.rows if r[2] is not None]
    projected = [(r[0], r[3]) for r in spec.rows if r[3] is not None]
    if computed:
        ax.plot(*zip(*computed), color=BLUE, marker="o", markersize=3, linewidth=1.8, label=spec.series_labels[0])
    if reported:
        ax.plot(*zip(*reported), linestyle="none", marker="D", markersize=7, color=VERMILION,
                label=spec.series_labels[1])
    if projected and computed:
        ax.plot(*zip(computed[-1], projected[0]), color=ORANGE, linestyle=":", linewidth=1.8, marker="s",
                markersize=5, label=spec.series_labels[2])
    _target(ax, spec)
    _year_axis(ax, years)
    _value_axis(ax.yaxis, integer=not spec.percent)
    _from_zero(ax)


def _draw_bar(ax, spec):
    """One bar per year (establishments assisted), the count written on each bar."""
    years = [r[0] for r in spec.rows]
    bars = ax.bar(years, [r[1] or 0 for r in spec.rows], width=0.7, color=SKY, edgecolor=BLACK, linewidth=0.4)
    ax.bar_label(bars, labels=[_value_text(r[1], spec) if r[1] else "" for r in spec.rows], padding=2,
                 fontsize=TEXT_SIZE)
    _target(ax, spec)
    _year_axis(ax, years)
    _value_axis(ax.yaxis, integer=not spec.percent)
    _from_zero(ax)


def _draw_hbar(ax, spec):
    """One group of bars per row (a value column each), names on the left; a lone series is labelled."""
    positions = range(len(spec.rows))
    height = 0.8 / len(spec.value_columns)
    for i, column in enumerate(spec.value_columns):
        shown = [(p, r[column]) for p, r in zip(positions, spec.rows) if r[column] is not None]
        offset = (i - (len(spec.value_columns) - 1) / 2) * height
        colour, hatch = SERIES_STYLES[i]
        bars = ax.barh([p + offset for p, _v in shown], [v for _p, v in shown], height=height, color=colour,
                       hatch=hatch, edgecolor=BLACK, linewidth=0.4,
                       label=spec.series_labels[i] if spec.series_labels else None)
        if len(spec.value_columns) == 1:
            ax.bar_label(bars, labels=[_value_text(v, spec) for _p, v in shown], padding=3, fontsize=TEXT_SIZE)
    ax.set_yticks(list(positions), [_category(r[0], HBAR_WRAP) for r in spec.rows])
    ax.set_ylim(len(spec.rows) - 0.5, -0.5)  # first row on top
    _target(ax, spec, horizontal=False)
    _value_axis(ax.xaxis, integer=not spec.percent, horizontal=True)
    _from_zero(ax, horizontal=True)  # the constrained layout makes room for values written after bars


def _draw_hist(ax, spec):
    """Energy and material reductions of many establishments as two histograms: the bins the engine counted
    (`engine_math.histogram`, rows (label, energy n, material n, low, high)), side by side in each bin."""
    for i, (colour, hatch) in enumerate(((BLUE, None), (ORANGE, "//"))):
        lefts = [r[3] + (r[4] - r[3]) * i / 2 for r in spec.rows]
        ax.bar(lefts, [r[1 + i] for r in spec.rows], width=[(r[4] - r[3]) / 2 for r in spec.rows], align="edge",
               color=colour, hatch=hatch, edgecolor=BLACK, linewidth=0.4, label=spec.series_labels[i])
    _target(ax, spec, horizontal=False)
    _value_axis(ax.xaxis, integer=False)  # reductions in points: matplotlib's own ticks (0, 5, 10 …)
    _value_axis(ax.yaxis, integer=True)  # establishments


def _draw_stacked(ax, spec):
    """One horizontal bar per row, a segment per value column (people per staff category, by gender)."""
    positions = list(range(len(spec.rows)))
    left = [0] * len(positions)
    for i, column in enumerate(spec.value_columns):
        values = [r[column] or 0 for r in spec.rows]
        colour, hatch = SERIES_STYLES[i + 2]
        ax.barh(positions, values, left=left, height=0.6, color=colour, hatch=hatch, edgecolor=BLACK,
                linewidth=0.4, label=spec.series_labels[i])
        left = [a + v for a, v in zip(left, values)]
    ax.set_yticks(positions, [_category(r[0], HBAR_WRAP) for r in spec.rows])
    ax.set_ylim(len(positions) - 0.5, -0.5)  # first row on top
    _value_axis(ax.xaxis, integer=not spec.percent, horizontal=True)
    _from_zero(ax, horizontal=True)
