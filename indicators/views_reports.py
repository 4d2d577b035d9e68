"""Annual production report pages: list, report, form (create/edit), data completeness."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kontum_cp.list_exports import list_export, requested_format
from establishments import areas
from establishments.models import Establishment
from establishments.selectors import baseline_year_of, sector_list
from kontum_cp.access import edit_required, read_only
from kontum_cp.editing import save_form
from kontum_cp.forms import version_refused
from kontum_cp.listing import grouped_page_of
from kontum_cp.locking import StaleVersionError
from kontum_cp.params import id_or_none

from . import selectors, services
from .selectors import category_labels
from .forms import AnnualReportForm, line_formset
from .metrics import large_changes, specific_consumption
from .models import AnnualReport, ReportState, approved_message

def _report_url(report):
    return reverse("indicators:report_detail", args=[report.establishment.code, report.year])


@read_only
def report_list(request):
    reports = selectors.report_list(request.GET).filter(areas.readable_q(request.user, "establishment__"))
    if fmt := requested_format(request):
        return list_export(kind="reports", queryset=reports, fmt=fmt)
    # Newest year first, then by establishment code: a page holds the reports of one year (read by index).
    page_obj = grouped_page_of(request, reports, field="year", within=selectors.REPORT_ORDER_IN_YEAR)
    ctx = {
        "page_obj": page_obj,
        "rows": selectors.report_rows(page_obj.object_list),
        "years": selectors.report_years(),
        "sectors": sector_list(),
        "params": request.GET,
        "categories": list(category_labels().items()),
        "states": ReportState.choices,
        "title": _("Annual production reports"),
        "crumbs": [("", _("Annual reports"))],
    }
    return render(request, "indicators/reports/list.html", ctx)


@read_only
def report_detail(request, code, year):
    report = get_object_or_404(
        AnnualReport.objects.select_related("establishment").prefetch_related("lines__resource_type")
        .filter(areas.readable_q(request.user, "establishment__")),
        establishment__code=code, year=year,
    )
    establishment = report.establishment
    reports = selectors.establishment_reports(establishment)
    detail_rows = selectors.consumption_series_for(reports, baseline_year_of(establishment))
    row = next(r for r in detail_rows if r.year == report.year)
    ctx = {
        "report": report, "establishment": establishment, "row": row,
        "cat_cells": list(zip(category_labels().items(), row.cells)),
        "can_edit": areas.may_edit(request.user, establishment),  # no edit control outside the user's area
        "actions": [] if areas.outside_area(request.user, [establishment]) else services.actions_for(request.user,
                                                                                                      report),
        "transitions": selectors.report_transitions(report),
        "crumbs": [(reverse("indicators:report_list"), _("Annual reports")),
                   (establishment.get_absolute_url(), establishment.code), ("", str(report.year))],
    }
    return render(request, "indicators/reports/detail.html", ctx)


def _large_change_warning(establishment, form, formset, report):
    """[(category label, percent)] of changes > 50 percent against the previous report, or []."""
    previous = selectors.previous_report(establishment, form.cleaned_data["year"],
                                         exclude_pk=report.pk if report else None)
    if previous is None or previous.product_unit != form.cleaned_data["product_unit"]:
        return [], previous
    factors = selectors.resource_factors()
    new = specific_consumption(formset.lines(), form.cleaned_data["output"], factors)
    old = specific_consumption([(ln.resource_type_id, ln.quantity) for ln in previous.lines.all()],
                               previous.output, factors)
    labels = category_labels()
    return [(labels[c], change) for c, change in large_changes(new, old)], previous


@edit_required
def report_form(request, code, year=None):
    establishment = get_object_or_404(Establishment, code=code)
    areas.require_edit(request.user, establishment)
    report = None
    if year is not None:
        report = get_object_or_404(AnnualReport.objects.prefetch_related("lines"),
                                   establishment=establishment, year=year)
    if report is not None and report.is_approved:
        # Read-only until it is returned: the page says so; a POST changes nothing (409).
        messages.error(request, approved_message(report))
        if request.method == "POST":
            return render(request, "indicators/reports/locked.html", {"report": report}, status=409)
        return redirect(_report_url(report))
    choices = selectors.resource_type_choices()
    title = (_("Annual report %(year)s of %(code)s") % {"year": report.year, "code": code} if report
             else _("New annual report of %(code)s") % {"code": code})
    ctx = {
        "establishment": establishment, "report": report, "title": title,
        "crumbs": [(reverse("indicators:report_list"), _("Annual reports")),
                   (establishment.get_absolute_url(), establishment.code), ("", title)],
    }
    if request.method != "POST":
        initial = {} if report else {"year": request.GET.get("year") or timezone.now().year - 1}
        ctx["form"] = AnnualReportForm(instance=report, establishment=establishment, initial=initial)
        ctx["formset"] = line_formset(resource_choices=choices, report=report)
        return render(request, "indicators/reports/form.html", ctx)

    form = AnnualReportForm(request.POST, instance=report, establishment=establishment)
    formset = line_formset(request.POST, resource_choices=choices, report=report)
    ctx.update(form=form, formset=formset)
    if not (form.is_valid() and formset.is_valid()):
        return render(request, "indicators/reports/form.html", ctx, status=400 if version_refused(form) else 200)
    warning, previous = _large_change_warning(establishment, form, formset, report)
    if warning and not form.cleaned_data["confirm_large_change"]:
        ctx.update(large_changes=warning, previous=previous)
        return render(request, "indicators/reports/form.html", ctx)
    edit = save_form(
        form, lambda form: services.report_save(
            establishment=establishment, report=report, data=form.model_data(), lines=formset.lines(),
            expected_version=form.cleaned_data["version"] if report else None),
        compare=None, establishment=establishment,
    )
    if edit.current is not None:
        # The other change: the saved report with its lines, beside the form that keeps what was typed.
        saved_now = AnnualReport.objects.prefetch_related("lines__resource_type").get(pk=edit.current.pk)
        ctx.update(form=edit.form, stale=saved_now)
        return render(request, "indicators/reports/form.html", ctx, status=edit.status)
    if edit.saved is None:
        return render(request, "indicators/reports/form.html", ctx, status=edit.status)
    messages.success(request, _("Annual report %(year)s saved.") % {"year": edit.saved.year})
    return redirect(_report_url(edit.saved))


@require_POST
def report_transition(request, code, year):
    """Submit, approve or return a report (a button of the report page); back to the report with a message."""
    report = get_object_or_404(AnnualReport.objects.select_related("establishment"),
                               establishment__code=code, year=year)
    areas.require_inside(request.user, report.establishment)  # the approve permission is checked by the service
    action = request.POST.get("action", "")
    version = id_or_none(request.POST.get("version"))
    if action not in services.TRANSITIONS or version is None:
        messages.error(request, _("The request was incomplete: open the report again and repeat."))
        return render(request, "indicators/reports/locked.html", {"report": report}, status=400)
    try:
        services.report_transition(report=report, action=action, user=request.user, expected_version=version,
                                   reason=request.POST.get("reason", ""))
    except StaleVersionError:
        messages.error(request, _("Somebody else changed this report meanwhile: look at it again, then repeat."))
        return render(request, "indicators/reports/locked.html", {"report": report}, status=409)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_report_url(report))
    messages.success(request, {
        services.SUBMIT: _("Annual report %(report)s submitted."),
        services.APPROVE: _("Annual report %(report)s approved."),
        services.RETURN: _("Annual report %(report)s returned."),
    }[action] % {"report": str(report)})
    return redirect(_report_url(report))


@read_only
def completeness(request):
    try:
        year = int(request.GET.get("year") or (timezone.now().year - 1))
    except ValueError:
        year = timezone.now().year - 1
    year = min(max(year, 1990), 2100)
    if fmt := requested_format(request):  # every establishment without a report, in the import's columns
        missing = selectors.missing_reports(year).filter(areas.readable_q(request.user))
        return list_export(kind="establishments", queryset=missing, fmt=fmt, name=f"no-report-{year}")
    years = selectors.report_years()
    ctx = {"year": year, "years": sorted(set(years) | {year, timezone.now().year - 1}, reverse=True),
           **selectors.completeness(year),
           "crumbs": [(reverse("indicators:report_list"), _("Annual reports")), ("", _("Data completeness"))]}
    return render(request, "indicators/reports/completeness.html", ctx)
