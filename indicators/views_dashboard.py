"""Progress dashboard views: thin wrappers around `indicators.engine`.

Every view parses the plan and "as of" year, asks the engine through the cache
(`dashboard_cache`: one engine run per plan, year, language and data) and renders; none aggregates by itself.
"""
from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from establishments.departments import request_department
from kontum_cp.access import read_only
from kontum_cp.params import year_or_none
from kontum_cp.spreadsheets import CSV_TYPE, XLSX_TYPE

from . import charts, dashboard_cache, drilldowns, exports, printed_report, publications, selectors
from .dashboard_cache import cached_dashboard, menu_years
from .models import CATEGORY_UNITS
from .registry import REDUCTION, registry

# A chart URL names its language and data version (`_chart_query`), so what it shows never changes:
# the browser may keep it as long as the server keeps the drawing. Without the current version
# (an old page, a hand-made link) it may be out of date soon.
CHART_MAX_AGE = charts.CACHE_SECONDS
UNVERSIONED_CHART_MAX_AGE = 300


def _context(request):
    """(plan, `DashboardData`, dashboard) for the plan and year in the query string (defaults when absent).

    The dashboard comes from the cache when the data has not changed since it
    was computed (`indicators.dashboard_cache`).
    """
    plan = selectors.plan_from_param(request.GET.get("plan")) or selectors.default_plan()
    if plan is None:
        return None, None, None
    data = cached_dashboard(plan, year_or_none(request.GET.get("year")))
    return plan, data, data.dash


def _query(plan, year):
    return urlencode({"plan": plan.pk, "year": year})


def _chart_query(plan, data):
    """Plan, year, language and data version of a chart URL.

    The browser keeps a chart per URL: with the language and the data's
    fingerprint in it, switching language or changing the data gives new
    URLs instead of the chart first drawn.
    """
    return urlencode({"plan": plan.pk, "year": data.dash.year, "lang": translation.get_language(),
                      "v": data.fingerprint})


def _chart_url(name, chart_query):
    return reverse("indicators:dashboard_chart", args=[name]) + "?" + chart_query


def _cards(data, plan, query):
    specs = {s.name: s for s in charts.all_specs(data.dash, plan)}
    chart_query = _chart_query(plan, data)
    return [
        {
            "r": r,
            "drill_url": reverse("indicators:indicator_detail", args=[r.code]) + "?" + query,
            "chart": specs[f"indicator-{r.code}"],
            "chart_url": _chart_url(f"indicator-{r.code}", chart_query),
        }
        for r in data.dash.indicators
    ], [
        {"spec": specs[name], "url": _chart_url(name, chart_query)}
        for name in charts.OTHER_CHARTS
    ]


@read_only
def dashboard(request):
    plan, data, dash = _context(request)
    if plan is None:
        return render(request, "indicators/dashboard/empty.html", {})
    query = _query(plan, dash.year)
    cards, other_charts = _cards(data, plan, query)
    trend_charts = [{"spec": c["chart"], "url": c["chart_url"]} for c in cards]
    ctx = {
        "plan": plan, "dash": dash, "cards": cards, "other_charts": other_charts, "query": query,
        "chart_sections": [("trend", _("Indicators over the years"), trend_charts),
                           ("breakdown", _("Breakdowns"), other_charts)],
        "plans": selectors.plan_choices(), "years": menu_years(plan, data.data_years, dash.year),
        "approval": dashboard_cache.approval_counts(dash.year, data.fingerprint),
    }
    # The last publication of this plan and year, and whether the live figures differ from it.
    last = publications.last_publication(plan, dash.year)
    ctx.update(publication=last, publication_differs=last is not None and publications.differs(
        last, dash, data.fingerprint))
    return render(request, "indicators/dashboard/dashboard.html", ctx)


@read_only
def dashboard_report(request):
    """The printed report (`printed_report`): summary, paragraphs, key charts, notes; the annex on request."""
    plan, data, dash = _context(request)
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    query = _query(plan, dash.year)
    cards, _other_charts = _cards(data, plan, query)
    summary, notes = printed_report.summary_and_notes(dash)
    key_codes = printed_report.key_codes(dash)
    annex = request.GET.get("annex") == "1"
    ctx = {
        "plan": plan, "dash": dash, "query": query, "summary": summary, "notes": notes,
        "paragraphs": printed_report.paragraphs(dash, plan=plan), "annex": annex,
        "key_cards": [c for c in cards if c["r"].code in key_codes],
        **printed_report.heading(plan, timezone.localdate(), issuer=request_department(request)),
    }
    if annex:
        ctx.update(printed_report.annex(plan, dash.year, data.fingerprint))
    return render(request, "indicators/dashboard/report.html", ctx)


@read_only
def indicator_detail(request, code):
    """The records behind one figure (`drilldowns`: what the registry's declaration lists), a page at a time."""
    indicator = registry.find(code)
    if indicator is None:
        raise Http404(_("Unknown indicator."))
    plan, _data, dash = _context(request)
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    result = dash.get(indicator.code)
    query = _query(plan, dash.year)
    dashboard_url = reverse("indicators:dashboard") + "?" + query
    # Page links and the search keep the plan and year shown (and any other parameter, e.g. the language).
    params = request.GET.copy()
    params["plan"], params["year"] = str(plan.pk), str(dash.year)
    search_params = [(k, v) for k, v in params.items() if k != "q" and not k.endswith("page")]
    ctx = {
        "plan": plan, "dash": dash, "r": result, "query": query, "dashboard_url": dashboard_url,
        "crumbs": [(dashboard_url, _("Progress dashboard")), ("", result.label)],
        "tables": drilldowns.tables(indicator, result, plan, dash.year, params, user=request.user, dash=dash),
        "search": drilldowns.search_text(params),
        "search_params": search_params, "clear_url": "?" + urlencode(search_params),
        "indicator": indicator, "intensity_unit": CATEGORY_UNITS.get(indicator.resource_category),
    }
    return render(request, "indicators/dashboard/detail.html", ctx)


@read_only
def reductions_csv(request, code):
    """Every row of a reduction drill-down as a CSV, streamed (`exports.reductions_csv`), whatever its length."""
    indicator = registry.find(code)
    if indicator is None or indicator.drill_down != REDUCTION:
        raise Http404(_("Unknown indicator."))
    plan, _data, dash = _context(request)
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    response = StreamingHttpResponse(exports.reductions_csv(indicator, plan, dash.year, user=request.user),
                                     content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{indicator.code}-{plan.pk}-{dash.year}.csv"'
    return response


# The chart's own policy: matplotlib's SVG styles its shapes with style attributes and a <style> element,
# which the portal's policy (style-src 'self') would block when the chart is opened at full size as a
# document. The SVG runs no script and loads nothing, so it gets inline styles and nothing else.
CHART_CSP = {"default-src": ["'none'"], "script-src": ["'none'"], "img-src": ["'none'"],
             "style-src": ["'unsafe-inline'"]}


@csp_replace(CHART_CSP)
@read_only
def dashboard_chart(request, name):
    if name not in charts.chart_names():
        raise Http404(_("Unknown chart."))
    plan = selectors.plan_from_param(request.GET.get("plan")) or selectors.default_plan()
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    year = year_or_none(request.GET.get("year"))
    fingerprint = charts.data_fingerprint()

    def build(fingerprint):
        dash = cached_dashboard(plan, year, fingerprint).dash
        return charts.spec_by_name(dash, plan, name)

    with translation.override(_chart_language(request)):
        svg = charts.cached_svg(name, plan.pk, year, build, fingerprint)
    response = HttpResponse(svg, content_type="image/svg+xml")
    max_age = CHART_MAX_AGE if request.GET.get("v") == fingerprint else UNVERSIONED_CHART_MAX_AGE
    response["Cache-Control"] = f"private, max-age={max_age}"
    return response


def _chart_language(request):
    """The language the chart's URL names when the portal has it, else the user's."""
    lang = request.GET.get("lang")
    return lang if lang in dict(settings.LANGUAGES) else translation.get_language()


@read_only
def dashboard_export(request, fmt):
    """The dashboard as a CSV or XLSX file for Excel (`indicators.exports`)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Unknown export format."))
    plan, _data, dash = _context(request)
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    response = HttpResponse(exports.export_bytes(dash, plan, fmt),
                            content_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="cp-progress-{dash.year}.{fmt}"'
    return response
