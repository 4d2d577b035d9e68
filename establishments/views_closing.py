"""Closed years (administrators): the list with its history, close a year, reopen one with a reason.

What a closed year forbids, and where: `kontum_cp.closing`.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kontum_cp.access import admin_required
from kontum_cp.editing import add_service_errors
from kontum_cp.params import year_or_none

from . import selectors, services
from .forms import CloseYearForm, ReopenYearForm


def _page(request, form, status=200, reopen_form=None, reopen_year=None):
    ctx = {
        "title": _("Closed years"), "form": form, **selectors.closed_years(),
        "reopen_form": reopen_form or ReopenYearForm(), "reopen_year": reopen_year,
        "crumbs": [("", _("Closed years"))],
    }
    return render(request, "establishments/closed_years.html", ctx, status=status)


@admin_required
def closed_years(request):
    """GET: the closed years and their history. POST: close a year."""
    if request.method != "POST":
        return _page(request, CloseYearForm())
    form = CloseYearForm(request.POST)
    if form.is_valid():
        try:
            services.year_close(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The year %(year)s is closed.") % {"year": form.cleaned_data["year"]})
            return redirect(reverse("establishments:closed_years"))
    return _page(request, form)


@require_POST
@admin_required
def closed_year_reopen(request, year):
    form = ReopenYearForm(request.POST)
    if form.is_valid():
        try:
            services.year_reopen(year=year_or_none(year), user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The year %(year)s is open again.") % {"year": year})
            return redirect(reverse("establishments:closed_years"))
    return _page(request, CloseYearForm(), reopen_form=form, reopen_year=year)
