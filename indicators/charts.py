"""Dashboard charts: matplotlib's Figure API (Agg, never pyplot) drawn to SVG.

Each chart is described by a `ChartSpec` built from the engine's `Dashboard`
(title, axis labels with units, alt text and the rows of the data table shown
beneath it), so the page and the SVG endpoint describe the same numbers.
SVGs are cached in Django's cache under a key made of the chart, plan, year,
language and `data_fingerprint()`: the cached drawing is reused until a row of
a table it reads is added, changed or deleted.
"""
import hashlib
import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils.translation import get_language  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402

from establishments.models import AssistanceRecord, CPMeasure, Establishment, Place, Sector  # noqa: E402
from training.models import Attendance, Event, Person, StaffHeadcount  # noqa: E402

from kontum_cp.templatetags.portal import num, pct  # noqa: E402

from .engine import FIRST_YEAR  # noqa: E402
from .models import ActionPlan, AnnualReport, ReportedValue, ResourceLine, ResourceType, Target  # noqa: E402

# Okabe–Ito colour-blind-safe palette.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
CACHE_SECONDS = 60 * 60 * 24
MAX_BARS = 30  # more establishments than this: the reductions chart is a histogram
WATCHED_MODELS = [Establishment, CPMeasure, AnnualReport, ResourceLine, ResourceType, AssistanceRecord, Event,
                  Person, Attendance, StaffHeadcount, Target, ReportedValue, ActionPlan, Place, Sector]


@dataclass(frozen=True)
class ChartSpec:
    name: str
    title: str
    alt: str
    x_label: str
    y_label: str
    columns: tuple  # table headers
    rows: tuple  # table rows: (label, value, ...); values are numbers or None
    kind: str  # line | bar | hbar | stacked
    target_low: float | None = None
    target_high: float | None = None
    series_labels: tuple = ()
    percent: bool = True
    formats: tuple = ()  # per column: text | pct | int (how the data table shows it)

    @property
    def table(self):
        """Rows as [(format, value), ...] for the template."""
        return [list(zip(self.formats, row)) for row in self.rows]


def data_fingerprint():
    """One query: row count of every table the charts read and the latest history id of each.

    Every save or delete through the ORM adds a history row, so the pair moves
    whenever the data behind a chart changes.
    """
    parts = []
    qn = connection.ops.quote_name
    for model in WATCHED_MODELS:
        parts.append(f"(SELECT COUNT(*) FROM {qn(model._meta.db_table)})")
        history = getattr(model, "history", None)
        if history is not None:
            parts.append(f"(SELECT MAX(history_id) FROM {qn(history.model._meta.db_table)})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return hashlib.sha1(repr(row).encode()).hexdigest()[:16]


def cache_key(name, plan_id, year, fingerprint):
    return f"dashboard-chart:{name}:{plan_id}:{year}:{get_language() or 'vi'}:{fingerprint}"


def cached_svg(name, plan_id, year, build_spec):
    """The SVG for chart `name`, drawn only when the data fingerprint changed.

    `build_spec(fingerprint)` is called only on a cache miss; it gets the
    fingerprint so that it can reuse the cached dashboard of the same data.
    Returns None when `build_spec` gives no chart of that name.
    """
    fingerprint = data_fingerprint()
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

def _unit_label(result):
    return _("percent") if result.is_percentage else _("establishments")


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
    unit = _unit_label(result)
    alt = _("Line chart of %(label)s from %(start)s to %(end)s, as of %(year)s; value %(value)s; "
            "target %(target)s.") % {
        "label": result.label, "start": rows[0][0], "end": rows[-1][0], "year": result.year,
        "value": _fmt(result.value, result.is_percentage), "target": _target_text(result)}
    return ChartSpec(
        name=f"indicator-{result.code}", title=str(result.label), alt=alt, x_label=_("Year"),
        y_label=f"{result.label} ({unit})" if not result.is_percentage else _("Share (percent)"),
        columns=(_("Year"), _("Computed"), _("Reported"), _("Projected")), rows=tuple(rows), kind="line",
        target_low=target.low if target else None, target_high=target.high if target else None,
        series_labels=(_("Computed"), _("Reported"), _("Projected")), percent=result.is_percentage,
        formats=("text",) + (("pct",) * 3 if result.is_percentage else ("dec",) * 3),
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
        return f"{t.low:g}–{t.high:g} {t.unit}"
    return f"≥ {t.low:g} {t.unit}"


def reductions_spec(dash):
    energy = dash.get("energy_intensity_reduction")
    rows = tuple((f"{code} {name}", e, mat) for code, name, e, mat in dash.reductions)
    many = len(rows) > MAX_BARS
    if many:  # one bar per establishment would be unreadable (and slow to draw): a histogram instead
        alt = _("Histogram: number of establishments applying CP by cut in energy and in material use per unit "
                "of product, as of %(year)s (%(n)s establishments).") % {"year": dash.year, "n": len(rows)}
    else:
        alt = _("Bar chart: cut in energy and material use per unit of product of each establishment applying "
                "CP, as of %(year)s (%(n)s establishments).") % {"year": dash.year, "n": len(rows)}
    return ChartSpec(
        name="reductions", title=_("Reduction per establishment applying CP"), alt=alt,
        x_label=_("Reduction per unit of product (percent)"),
        y_label=_("Establishments (number)") if many else _("Establishment"),
        columns=(_("Establishment"), _("Energy (percent)"), _("Material (percent)")), rows=rows,
        kind="hist" if many else "hbar",
        target_low=energy.target.low if energy.target else None,
        target_high=energy.target.high if energy.target else None,
        series_labels=(_("Energy"), _("Material")), formats=("text", "pct", "pct"),
    )


def breakdown_spec(dash, name, rows, by):
    adoption = dash.get("cp_adoption")
    table = tuple((label, a, p, a / p * 100 if p else None) for label, a, p in rows)
    alt = _("Bar chart: share of establishments with CP potential applying CP by %(by)s, as of %(year)s.") % {
        "by": by, "year": dash.year}
    return ChartSpec(
        name=name, title=_("Establishments applying CP by %(by)s") % {"by": by}, alt=alt,
        x_label=by.capitalize(), y_label=_("Applying CP (percent)"),
        columns=(by.capitalize(), _("Applying CP"), _("With CP potential"), _("Share (percent)")),
        rows=table, kind="bar", target_low=adoption.target.low if adoption.target else None,
        formats=("text", "int", "int", "pct"),
    )


def training_spec(dash):
    rows = tuple((label, f, mm, u, f + mm + u) for label, f, mm, u in dash.training)
    alt = _("Stacked bar chart: people who attended dissemination or training by staff category and gender, "
            "up to %(year)s.") % {"year": dash.year}
    return ChartSpec(
        name="training", title=_("Participation in dissemination and training"), alt=alt,
        x_label=_("Staff category"), y_label=_("People (persons)"),
        columns=(_("Staff category"), _("Female"), _("Male"), _("Unspecified"), _("Total")), rows=rows,
        kind="stacked", series_labels=(_("Female"), _("Male"), _("Unspecified")), percent=False,
        formats=("text", "int", "int", "int", "int"),
    )


def assistance_spec(dash):
    rows = tuple(dash.assistance_per_year)
    alt = _("Bar chart: establishments given technical support each year up to %(year)s.") % {"year": dash.year}
    return ChartSpec(
        name="assistance", title=_("Establishments given technical support per year"), alt=alt,
        x_label=_("Year"), y_label=_("Establishments (number)"),
        columns=(_("Year"), _("Establishments assisted")), rows=rows, kind="bar", percent=False,
        formats=("text", "int"),
    )


def all_specs(dash, plan):
    """Every chart of the dashboard, in page order."""
    specs = [indicator_spec(r, plan.end_year) for r in dash.indicators]
    specs.append(reductions_spec(dash))
    specs.append(breakdown_spec(dash, "by-place", dash.by_place, _("place")))
    specs.append(breakdown_spec(dash, "by-sector", dash.by_sector, _("sector")))
    specs.append(training_spec(dash))
    specs.append(assistance_spec(dash))
    return specs


def spec_by_name(dash, plan, name):
    return next((s for s in all_specs(dash, plan) if s.name == name), None)


CHART_NAMES = (
    [f"indicator-{c}" for c in ("cp_adoption", "energy_intensity_reduction", "material_intensity_reduction",
                                "establishments_disseminated", "gov_staff_disseminated", "cp_staff_trained",
                                "technical_staff_trained", "establishments_assisted")]
    + ["reductions", "by-place", "by-sector", "training", "assistance"]
)


# --- drawing ---------------------------------------------------------------------------------

def render_svg(spec):
    fig = Figure(figsize=(7.2, 3.8), dpi=100)
    ax = fig.add_subplot()
    {"line": _draw_line, "bar": _draw_bar, "hbar": _draw_hbar, "hist": _draw_hist,
     "stacked": _draw_stacked}[spec.kind](ax, spec)
    ax.set_title(spec.title, fontsize=11, loc="left")
    ax.set_xlabel(spec.x_label)
    ax.set_ylabel(spec.y_label)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y" if spec.kind != "hbar" else "x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kontum-cp"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _target(ax, spec, horizontal=True):
    if spec.target_low is None:
        return
    label = _("Target")
    if spec.target_high is not None and spec.target_high != spec.target_low:
        span = ax.axhspan if horizontal else ax.axvspan
        span(spec.target_low, spec.target_high, color=GREEN, alpha=0.15, label=f"{label} {spec.target_low:g}–"
             f"{spec.target_high:g} %")
        line = ax.axhline if horizontal else ax.axvline
        line(spec.target_low, color=GREEN, linestyle="--", linewidth=1.2)
    else:
        line = ax.axhline if horizontal else ax.axvline
        line(spec.target_low, color=GREEN, linestyle="--", linewidth=1.5, label=f"{label} {spec.target_low:g}"
             + (" %" if spec.percent else ""))


def _draw_line(ax, spec):
    years = [r[0] for r in spec.rows]
    computed = [(y, v) for y, v, _rep, _proj in spec.rows if v is not None]
    if computed:
        ax.plot([y for y, _ in computed], [v for _, v in computed], color=BLUE, marker="o", markersize=3,
                linewidth=1.8, label=spec.series_labels[0])
    reported = [(y, v) for y, _c, v, _proj in spec.rows if v is not None]
    if reported:
        ax.plot([y for y, _ in reported], [v for _, v in reported], linestyle="none", marker="D", markersize=7,
                color=VERMILION, label=spec.series_labels[1])
    projected = [(y, v) for y, _c, _r, v in spec.rows if v is not None]
    if projected and computed:
        last = computed[-1]
        ax.plot([last[0], projected[0][0]], [last[1], projected[0][1]], color=ORANGE, linestyle=":",
                linewidth=1.8, marker="s", markersize=5, label=spec.series_labels[2])
    _target(ax, spec)
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_xticks(years[::2] if len(years) > 8 else years)
    lowest = min([v for _, v in computed + reported] + [0])
    ax.set_ylim(bottom=lowest * 1.1 if lowest < 0 else 0)
    if not (computed or reported):
        ax.text(0.5, 0.5, _("no data"), transform=ax.transAxes, ha="center", va="center", color="#52606d")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", fontsize=8, frameon=False)


def _draw_bar(ax, spec):
    labels = [str(r[0]) for r in spec.rows]
    values = [(r[-1] if spec.percent else r[1]) or 0 for r in spec.rows]
    ax.bar(labels, values, color=BLUE if spec.percent else SKY, edgecolor=BLACK, linewidth=0.4)
    _target(ax, spec)
    if not spec.rows:
        ax.text(0.5, 0.5, _("no data"), transform=ax.transAxes, ha="center", va="center", color="#52606d")
    if len(labels) > 4:
        ax.tick_params(axis="x", labelrotation=30, labelsize=8)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper right", fontsize=8, frameon=False)


def _draw_hbar(ax, spec):
    labels = [r[0][:28] for r in spec.rows]
    positions = range(len(labels))
    ax.barh([p - 0.2 for p in positions], [r[1] or 0 for r in spec.rows], height=0.4, color=BLUE,
            label=spec.series_labels[0])
    ax.barh([p + 0.2 for p in positions], [r[2] or 0 for r in spec.rows], height=0.4, color=ORANGE,
            hatch="//", label=spec.series_labels[1])
    ax.set_yticks(list(positions), labels, fontsize=8)
    ax.invert_yaxis()
    _target(ax, spec, horizontal=False)
    if not spec.rows:
        ax.text(0.5, 0.5, _("no data"), transform=ax.transAxes, ha="center", va="center", color="#52606d")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)


def _draw_hist(ax, spec):
    """Energy and material reductions of many establishments as two histograms (bins of 2.5 points)."""
    energy = [r[1] for r in spec.rows if r[1] is not None]
    material = [r[2] for r in spec.rows if r[2] is not None]
    values = energy + material
    low, high = min(values + [0.0]), max(values + [0.0])
    step = 2.5
    start = step * (low // step)
    bins = [start + step * i for i in range(int((high - start) // step) + 2)]
    _, _, (_energy_bars, material_bars) = ax.hist(
        [energy, material], bins=bins, color=[BLUE, ORANGE], edgecolor=BLACK, linewidth=0.4,
        label=list(spec.series_labels))
    for bar in material_bars:
        bar.set_hatch("//")
    _target(ax, spec, horizontal=False)
    ax.legend(loc="upper right", fontsize=8, frameon=False)


def _draw_stacked(ax, spec):
    labels = [str(r[0]) for r in spec.rows]
    bottom = [0] * len(labels)
    for i, (colour, hatch) in enumerate(((PURPLE, ""), (SKY, ".."), ("#bbbbbb", "//"))):
        values = [r[i + 1] for r in spec.rows]
        ax.bar(labels, values, bottom=bottom, color=colour, hatch=hatch, edgecolor=BLACK, linewidth=0.4,
               label=spec.series_labels[i])
        bottom = [b + v for b, v in zip(bottom, values)]
    if not spec.rows:
        ax.text(0.5, 0.5, _("no data"), transform=ax.transAxes, ha="center", va="center", color="#52606d")
    ax.tick_params(axis="x", labelsize=8)
    ax.legend(loc="upper right", fontsize=8, frameon=False)
