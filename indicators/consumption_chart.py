"""A small inline SVG chart of an establishment's specific consumption.

Hand-drawn SVG (no JavaScript, no image request): one line per category,
each indexed to its first year with a value (= 100), because the categories
have different units. The same figures are in the table next to the chart.
"""
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

# Okabe–Ito colours, one dash style each so that colour is not the only cue.
STYLES = {
    "energy": ("#E69F00", ""),
    "material": ("#0072B2", "6 3"),
    "water": ("#009E73", "2 3"),
}
WIDTH, HEIGHT = 620, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 160, 16, 36


def indexed_series(rows):
    """{category: [(year, index)]} with index = value ÷ first value × 100."""
    out = {}
    for category in STYLES:
        points = [(r.year, r.consumption.get(category)) for r in rows if r.consumption.get(category)]
        if points:
            first = points[0][1]
            out[category] = [(year, float(Decimal(v) / first * 100)) for year, v in points]
    return out


def consumption_chart_svg(rows, labels):
    """SVG markup (str) for `rows` (metrics.ConsumptionRow); '' when fewer than two years."""
    series = indexed_series(rows)
    years = sorted({y for pts in series.values() for y, _v in pts})
    if len(years) < 2:
        return ""
    values = [v for pts in series.values() for _y, v in pts]
    lo, hi = min(values + [100.0]), max(values + [100.0])
    pad = max((hi - lo) * 0.1, 5)
    lo, hi = lo - pad, hi + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(year):
        return LEFT + (year - years[0]) / (years[-1] - years[0]) * plot_w

    def y(v):
        return TOP + (hi - v) / (hi - lo) * plot_h

    title = _("Specific consumption, index (first year = 100)")
    desc = "; ".join(
        f"{labels[c]}: " + ", ".join(f"{yr} {v:.0f}" for yr, v in pts) for c, pts in series.items()
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<title id="chart-title">{escape(title)}</title><desc id="chart-desc">{escape(desc)}</desc>',
        f'<line x1="{LEFT}" y1="{y(100):.1f}" x2="{LEFT + plot_w}" y2="{y(100):.1f}" stroke="#9aa5b1" '
        f'stroke-dasharray="4 4"/>',
        f'<text x="{LEFT - 6}" y="{y(100) + 4:.1f}" text-anchor="end" fill="#52606d">100</text>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#52606d"/>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#52606d"/>',
    ]
    for tick in (lo + pad, hi - pad):
        if abs(tick - 100) > (hi - lo) * 0.08:
            parts.append(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="#52606d">'
                         f'{tick:.0f}</text>')
    for year in years:
        parts.append(f'<text x="{x(year):.1f}" y="{HEIGHT - 14}" text-anchor="middle" fill="#1f2933">{year}</text>')
    for i, (category, pts) in enumerate(series.items()):
        colour, dash = STYLES[category]
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in pts)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        for yr, v in pts:
            parts.append(f'<circle cx="{x(yr):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"/>')
        ly = TOP + 14 + i * 20
        lx = LEFT + plot_w + 10
        parts.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 22}" y2="{ly - 4}" stroke="{colour}" '
                     f'stroke-width="2.5"{dash_attr}/>')
        parts.append(f'<text x="{lx + 27}" y="{ly}" fill="#1f2933">{escape(str(labels[category]))}</text>')
    parts.append("</svg>")
    return "".join(parts)
