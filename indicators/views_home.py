"""The home page: each target of the default plan with its current value and status, from the cached dashboard.

It lives in `indicators` because it reads the dashboard; the core package (`kontum_cp`) imports no app,
and `kontum_cp/urls.py` wires this view to "/".
"""
from urllib.parse import urlencode

from django.shortcuts import render

from establishments.departments import plan_territory_label
from kontum_cp.access import read_only

from .dashboard_cache import cached_dashboard
from .pending import FiguresPending
from .selectors import home_summary


@read_only
def home(request):
    """After sign-in: each target of the plan with its current value and status, and the latest reported figures."""
    ctx = home_summary()
    if ctx["plan"] is not None:
        ctx["territory_label"] = plan_territory_label(ctx["plan"])
        try:
            dash = cached_dashboard(ctx["plan"]).dash
        except FiguresPending:  # the home page stays reachable; its targets table says why it is missing
            ctx["figures_pending"] = True
        else:
            ctx["dash"] = dash
            ctx["dashboard_query"] = urlencode({"plan": ctx["plan"].pk, "year": dash.year})
    return render(request, "home.html", ctx)
