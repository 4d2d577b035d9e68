from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from indicators.selectors import home_summary

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
