from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.selectors import home_summary

from .guide import render_guide

from .access import read_only


@read_only
def home(request):
    """After sign-in: the plan's targets and the latest reported figures."""
    ctx = home_summary()
    return render(request, "home.html", ctx)


@login_not_required
def healthz(request):
    """Liveness probe for a load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@read_only
def user_guide(request):
    """The user guide in the active language, inside the normal layout."""
    guide = render_guide(get_language())
    ctx = {"guide": guide, "crumbs": [(request.path, _("User guide"))]}
    return render(request, "guide.html", ctx)
