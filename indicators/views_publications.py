"""Published figures (`indicators.publications`): publish a dashboard, read it again, compare it with now.

Publishing is for administrators; every role reads a publication, its printed report and its comparison.
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from establishments.departments import current_department
from kontum_cp.access import admin_required, read_only
from kontum_cp.params import year_or_none

from . import printed_report, publications, selectors
from .dashboard_cache import cached_dashboard
from .models import Publication

CHANGES_PER_PAGE = 25


@require_POST
@admin_required
def publish(request):
    """Store the dashboard of the posted plan and year as it is now; back to the dashboard with a message."""
    plan = selectors.plan_from_param(request.POST.get("plan"))
    year = year_or_none(request.POST.get("year"))
    if plan is None or year is None:
        messages.error(request, _("Choose a plan and a year to publish."))
        return redirect(reverse("indicators:dashboard"))
    publication = publications.publish(plan, year, request.user)
    messages.success(request, _("Figures published: %(plan)s, %(year)s, publication no. %(number)s.") % {
        "plan": plan.decision_number, "year": publication.year, "number": publication.number})
    return redirect(reverse("indicators:publication", args=[publication.pk]))


def _publication(pk):
    return get_object_or_404(Publication.objects.select_related("plan", "published_by"), pk=pk)


def _query(publication):
    return urlencode({"plan": publication.plan_id, "year": publication.year})


@read_only
def publication_detail(request, pk):
    """The stored figures, with who published them, when, from which data and code."""
    publication = _publication(pk)
    siblings = Publication.objects.filter(plan_id=publication.plan_id, year=publication.year).only(
        "pk", "number", "published_at").order_by("number")
    ctx = {
        "publication": publication, "plan": publication.plan, "dash": publications.stored_dashboard(publication),
        "siblings": siblings, "query": _query(publication),
    }
    return render(request, "indicators/publications/detail.html", ctx)


@read_only
def publication_report(request, pk):
    """The printed report of the stored figures (the dashboard's report template, no chart and no annex: those
    read the live records)."""
    publication = _publication(pk)
    dash = publications.stored_dashboard(publication)
    published_on = publication.published_at.date()
    summary, notes = printed_report.summary_and_notes(dash, texts=publications.stored_texts(publication))
    ctx = {
        "plan": publication.plan, "dash": dash, "query": _query(publication), "summary": summary, "notes": notes,
        "paragraphs": printed_report.paragraphs(dash, names=publications.stored_names(publication)),
        "annex": False, "key_cards": [], "publication": publication,
        **printed_report.heading(publication.plan, published_on, issuer=current_department(on=published_on)),
    }
    return render(request, "indicators/dashboard/report.html", ctx)


@read_only
def publication_compare(request, pk):
    """Each figure published vs now, and the records changed since (newest first, a page at a time)."""
    publication = _publication(pk)
    data = cached_dashboard(publication.plan, publication.year)
    rows, changed = publications.figure_rows(publication, data.dash)
    if publication.fingerprint == data.fingerprint:
        changed = 0
    changes, truncated = publications.changes_since(publication)
    page = Paginator(changes, CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    ctx = {
        "publication": publication, "plan": publication.plan, "rows": rows, "changed": changed,
        "same_data": publication.fingerprint == data.fingerprint, "page": page, "truncated": truncated,
        "max_changes": publications.MAX_CHANGES, "query": _query(publication),
    }
    return render(request, "indicators/publications/compare.html", ctx)
