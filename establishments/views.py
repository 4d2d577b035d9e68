"""Establishment pages: list, detail, create, edit, close; CP measures; assistance.

Thin views: parse the request, call a selector or a service, render.
"""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from dataio.list_exports import list_export, requested_format
from indicators.consumption_chart import consumption_chart_svg
from indicators.models import CATEGORY_UNITS, ResourceCategory
from kontum_cp.listing import page_of
from kontum_cp.locking import STALE_MESSAGE, StaleVersionError

from . import selectors, services
from .access import conflict_rows, edit_required, read_only, rebind_with_version
from .forms import (
    AssistanceFilterForm,
    AssistanceForm,
    CloseForm,
    EstablishmentFilterForm,
    EstablishmentForm,
    MeasureFilterForm,
    MeasureForm,
)
from .models import AssistanceRecord, CPMeasure, Establishment

def add_service_errors(form, exc):
    """Put a model ValidationError from a service next to the form's fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def category_labels():
    return {c: f"{ResourceCategory(c).label} ({CATEGORY_UNITS[c]})" for c in CATEGORY_UNITS}


@read_only
def establishment_list(request):
    if fmt := requested_format(request):
        return list_export(kind="establishments", queryset=selectors.establishment_list(request.GET), fmt=fmt)
    options = selectors.filter_options()
    ctx = {
        "filter_form": EstablishmentFilterForm(request.GET or None, **options),
        "page_obj": page_of(request, selectors.establishment_list(request.GET)),
        "sort": request.GET.get("sort", "code"),
        "crumbs": [("", _("Establishments"))],
    }
    return render(request, "establishments/list.html", ctx)


@read_only
def establishment_detail(request, code):
    establishment = get_object_or_404(Establishment.objects.select_related("place", "sector"), code=code)
    ctx = {"establishment": establishment, **selectors.establishment_detail(establishment),
           "crumbs": _crumbs(establishment)}
    labels = category_labels()
    ctx["category_labels"] = labels
    ctx["categories"] = list(labels.items())
    ctx["chart_svg"] = consumption_chart_svg(ctx["series"], {c: ResourceCategory(c).label for c in labels})
    return render(request, "establishments/detail.html", ctx)


def _versioned_form_view(request, *, form_class, instance, save, template, ctx, form_kwargs=None):
    """GET shows the form; POST validates, saves through `save(form)` and redirects.

    On an optimistic-locking conflict the typed data is kept, the other
    change is shown and the form now carries the current version.
    """
    form_kwargs = form_kwargs or {}
    if request.method != "POST":
        form = form_class(instance=instance, **form_kwargs)
        return render(request, template, {**ctx, "form": form})
    form = form_class(request.POST, instance=instance, **form_kwargs)
    if form.is_valid():
        try:
            saved = save(form)
        except StaleVersionError as exc:
            current = exc.current
            conflict = conflict_rows(form, current)
            form = rebind_with_version(form_class, form, current.version, instance=current, **form_kwargs)
            form.add_error(None, STALE_MESSAGE)
            return render(request, template, {**ctx, "form": form, "conflict": conflict, "current": current},
                          status=409)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(saved.get_absolute_url() if hasattr(saved, "get_absolute_url")
                            else saved.establishment.get_absolute_url())
    return render(request, template, {**ctx, "form": form})


def _crumbs(establishment=None, *extra):
    crumbs = [(reverse("establishments:list"), _("Establishments"))]
    if establishment is not None:
        crumbs.append((establishment.get_absolute_url(), establishment.code))
    return crumbs + list(extra)


@edit_required
def establishment_create(request):
    ctx = {"title": _("New establishment"), "crumbs": _crumbs(None, ("", _("New establishment"))),
           "submit_label": _("Save the establishment")}
    return _versioned_form_view(
        request, form_class=EstablishmentForm, instance=None, template="establishments/form.html", ctx=ctx,
        save=lambda form: services.establishment_create(data=form.model_data()),
    )


@edit_required
def establishment_edit(request, code):
    establishment = get_object_or_404(Establishment, code=code)
    title = _("Edit establishment %(code)s") % {"code": establishment.code}
    ctx = {"title": title, "establishment": establishment, "submit_label": _("Save the establishment"),
           "crumbs": _crumbs(establishment, ("", _("Edit")))}
    return _versioned_form_view(
        request, form_class=EstablishmentForm, instance=establishment, template="establishments/form.html",
        ctx=ctx,
        save=lambda form: services.establishment_update(
            establishment=establishment, data=form.model_data(), expected_version=form.cleaned_data["version"]),
    )


@edit_required
def establishment_close(request, code):
    establishment = get_object_or_404(Establishment, code=code)
    ctx = {"establishment": establishment, "crumbs": _crumbs(establishment, ("", pgettext("establishment", "Close")))}
    if establishment.status == Establishment.Status.CLOSED:
        messages.info(request, _("This establishment is already closed."))
        return redirect(establishment)
    if request.method != "POST":
        ctx["form"] = CloseForm(initial={"version": establishment.version})
        return render(request, "establishments/close.html", ctx)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.establishment_close(establishment=establishment, closed_year=form.cleaned_data["closed_year"],
                                         expected_version=form.cleaned_data["version"] or establishment.version)
        except StaleVersionError:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The establishment is now recorded as closed."))
            return redirect(establishment)
    ctx["form"] = form
    return render(request, "establishments/close.html", ctx)


# --- CP measures ----------------------------------------------------------------

@read_only
def measure_list(request):
    if fmt := requested_format(request):
        return list_export(kind="measures", queryset=selectors.measure_list(request.GET), fmt=fmt)
    ctx = {
        "filter_form": MeasureFilterForm(request.GET or None, years=selectors.measure_years()),
        "page_obj": page_of(request, selectors.measure_list(request.GET)),
        "crumbs": [("", _("CP measures"))],
    }
    return render(request, "establishments/measure_list.html", ctx)


@edit_required
def measure_edit(request, code, pk=None):
    establishment = get_object_or_404(Establishment, code=code)
    measure = get_object_or_404(CPMeasure, pk=pk, establishment=establishment) if pk else None
    title = (_("Edit CP measure of %(code)s") if measure else _("New CP measure for %(code)s")) % {
        "code": establishment.code}
    ctx = {"title": title, "establishment": establishment, "crumbs": _crumbs(establishment, ("", title)),
           "submit_label": _("Save the CP measure")}
    return _versioned_form_view(
        request, form_class=MeasureForm, instance=measure, template="establishments/form.html", ctx=ctx,
        form_kwargs={"establishment": establishment},
        save=lambda form: services.measure_save(
            establishment=establishment, measure=measure, data=form.model_data(),
            expected_version=form.cleaned_data["version"]),
    )


# --- Assistance -------------------------------------------------------------------

@read_only
def assistance_list(request):
    if fmt := requested_format(request):
        return list_export(kind="assistance", queryset=selectors.assistance_list(request.GET), fmt=fmt)
    ctx = {
        "filter_form": AssistanceFilterForm(request.GET or None, years=selectors.assistance_years()),
        "page_obj": page_of(request, selectors.assistance_list(request.GET)),
        "crumbs": [("", _("Assistance"))],
    }
    return render(request, "establishments/assistance_list.html", ctx)


@edit_required
def assistance_edit(request, code, pk=None):
    establishment = get_object_or_404(Establishment, code=code)
    record = get_object_or_404(AssistanceRecord, pk=pk, establishment=establishment) if pk else None
    title = (_("Edit assistance to %(code)s") if record else _("New assistance to %(code)s")) % {
        "code": establishment.code}
    ctx = {"title": title, "establishment": establishment, "crumbs": _crumbs(establishment, ("", title)),
           "submit_label": _("Save the assistance record")}
    return _versioned_form_view(
        request, form_class=AssistanceForm, instance=record, template="establishments/form.html",
        ctx=ctx,
        save=lambda form: services.assistance_save(
            establishment=establishment, record=record, data=form.model_data(),
            expected_version=form.cleaned_data["version"]),
    )
