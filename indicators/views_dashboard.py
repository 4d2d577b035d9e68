"""Progress dashboard views: thin wrappers around `indicators.engine`.

Every view parses the plan and "as of" year, asks the engine through the cache
(`dashboard_cache`: one engine run per plan, year, language and data) and renders; none aggregates by itself.
"""
import io
from urllib.parse import urlencode

import pandas as pd
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kontum_cp.access import read_only
from kontum_cp.params import year_or_none

from . import charts, engine, selectors
from .dashboard_cache import cached_dashboard
from .models import IndicatorCode

EXPORT_COLUMNS = [
    "plan", "year", "code", "indicator", "value", "unit", "computed", "numerator", "denominator", "n", "median",
    "share_reaching_low", "target_low", "target_high", "deadline", "status", "source", "reported_value",
    "reported_year", "reported_in", "projection", "projection_year", "formula",
]


def _context(request):
    """(plan, `DashboardData`, dashboard) for the plan and year in the query string (defaults when absent).

    The dashboard comes from the cache when the data has not changed since it
    was computed (`indicators.dashboard_cache`); `data.snap` loads the
    engine's snapshot only for the pages that list records.
    """
    plan = selectors.plan_from_param(request.GET.get("plan")) or selectors.default_plan()
    if plan is None:
        return None, None, None
    data = cached_dashboard(plan, year_or_none(request.GET.get("year")))
    return plan, data, data.dash


def _query(plan, year):
    return urlencode({"plan": plan.pk, "year": year})


def _year_choices(plan, data_years, year):
    last = max([plan.end_year, year] + list(data_years))
    return list(range(last, min(engine.FIRST_YEAR, plan.start_year) - 1, -1))


def _cards(dash, plan, query):
    specs = {s.name: s for s in charts.all_specs(dash, plan)}
    return [
        {
            "r": r,
            "drill_url": reverse("indicators:indicator_detail", args=[r.code]) + "?" + query,
            "chart": specs[f"indicator-{r.code}"],
            "chart_url": reverse("indicators:dashboard_chart", args=[f"indicator-{r.code}"]) + "?" + query,
        }
        for r in dash.indicators
    ], [
        {"spec": specs[name], "url": reverse("indicators:dashboard_chart", args=[name]) + "?" + query}
        for name in ("reductions", "by-place", "by-sector", "training", "assistance")
    ]


@read_only
def dashboard(request):
    plan, data, dash = _context(request)
    if plan is None:
        return render(request, "indicators/dashboard/empty.html", {})
    query = _query(plan, dash.year)
    cards, other_charts = _cards(dash, plan, query)
    ctx = {
        "plan": plan, "dash": dash, "cards": cards, "other_charts": other_charts, "query": query,
        "plans": selectors.plan_choices(), "years": _year_choices(plan, data.data_years, dash.year),
    }
    return render(request, "indicators/dashboard/dashboard.html", ctx)


@read_only
def dashboard_report(request):
    plan, data, dash = _context(request)
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    query = _query(plan, dash.year)
    cards, other_charts = _cards(dash, plan, query)
    adopter_ids = dash.get(IndicatorCode.CP_ADOPTION).numerator_ids
    ctx = {
        "plan": plan, "dash": dash, "cards": cards, "other_charts": other_charts, "query": query,
        "measures": selectors.implemented_measures(adopter_ids, dash.year),
        "assistance": selectors.assistance_for(None, plan.start_year, dash.year),
        "events": selectors.events_up_to(dash.year, plan.start_year),
        "today": timezone.localdate(),
    }
    return render(request, "indicators/dashboard/report.html", ctx)


@read_only
def indicator_detail(request, code):
    if code not in engine.INDICATORS:
        raise Http404(_("Unknown indicator."))
    plan, data, dash = _context(request)
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    result = dash.get(code)
    query = _query(plan, dash.year)
    dashboard_url = reverse("indicators:dashboard") + "?" + query
    ctx = {"plan": plan, "dash": dash, "r": result, "query": query, "dashboard_url": dashboard_url,
           "crumbs": [(dashboard_url, _("Progress dashboard")), ("", result.label)]}
    code = IndicatorCode(code)
    if code == IndicatorCode.CP_ADOPTION:
        rows = engine.adoption_rows(data.snap, dash.year)
        measures = selectors.measures_by_ids([i for _e, ids in rows for i in ids])
        ctx["adoption_rows"] = [(e, [measures[i] for i in ids]) for e, ids in rows]
    elif code in engine.REDUCTION_CATEGORY:
        rows = engine.reduction_rows(data.snap, dash.year, engine.REDUCTION_CATEGORY[code])
        ctx["reduction_rows"] = sorted(rows, key=lambda row: row[0]["code"])
        ctx["intensity_unit"] = "GJ" if code == IndicatorCode.ENERGY_INTENSITY_REDUCTION else "t"
    elif code == IndicatorCode.ESTABLISHMENTS_DISSEMINATED:
        ctx["dissemination_rows"] = engine.dissemination_rows(data.snap, dash.year)
    elif code == IndicatorCode.ESTABLISHMENTS_ASSISTED:
        ctx["assistance"] = selectors.assistance_for(result.numerator_ids, plan.start_year, dash.year)
    else:
        ctx["people"] = selectors.people_by_ids(result.numerator_ids)
        if code == IndicatorCode.TECHNICAL_STAFF_TRAINED:
            by_id = {e["id"]: e for e in data.snap.establishments}
            ctx["staff_rows"] = sorted((by_id[i] for i in result.denominator_ids), key=lambda e: e["code"])
    return render(request, "indicators/dashboard/detail.html", ctx)


@read_only
def dashboard_chart(request, name):
    if name not in charts.CHART_NAMES:
        raise Http404(_("Unknown chart."))
    plan = selectors.plan_from_param(request.GET.get("plan")) or selectors.default_plan()
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    year = year_or_none(request.GET.get("year"))

    def build(fingerprint):
        dash = cached_dashboard(plan, year, fingerprint).dash
        return charts.spec_by_name(dash, plan, name)

    svg = charts.cached_svg(name, plan.pk, year, build)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


@read_only
def dashboard_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Unknown export format."))
    plan, _data, dash = _context(request)
    if plan is None:
        raise Http404(_("No action plan has been loaded yet."))
    frame = pd.DataFrame(engine.indicator_rows(dash, plan), columns=EXPORT_COLUMNS, dtype=object)
    filename = f"cp-progress-{dash.year}"
    if fmt == "csv":
        response = HttpResponse(frame.to_csv(index=False), content_type="text/csv; charset=utf-8")
    else:
        buf = io.BytesIO()
        with pd.ExcelWriter(buf, engine="openpyxl") as writer:
            frame.to_excel(writer, index=False, sheet_name=str(dash.year))
        response = HttpResponse(
            buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
