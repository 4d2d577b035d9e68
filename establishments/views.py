"""Establishment pages: list, detail, create, edit, close; CP measures; assistance.

Thin views: parse the request, call a selector or a service, render.
"""
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kontum_cp.editing import add_service_errors, versioned_form_view
from kontum_cp.forms import version_refused
from kontum_cp.list_exports import list_export, requested_format
from kontum_cp.listing import grouped_page_of, page_of
from kontum_cp.locking import STALE_MESSAGE, StaleVersionError

from . import areas, selectors, services
from .access import edit_required, read_only
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
from .places import place_label, today_unit


@read_only
def establishment_list(request):
    establishments = selectors.establishment_list(request.GET).filter(areas.readable_q(request.user))
    if fmt := requested_format(request):
        return list_export(kind="establishments", queryset=establishments, fmt=fmt)
    options = selectors.filter_options()
    ctx = {
        "filter_form": EstablishmentFilterForm(request.GET or None, **options),
        "page_obj": selectors.establishment_page(establishments, request.GET),
        "sort": request.GET.get("sort", "code"),
        "without_place": selectors.without_place_count(),
        "title": _("Establishments"),
        "crumbs": [("", _("Establishments"))],
    }
    return render(request, "establishments/list.html", ctx)


@read_only
def establishment_detail(request, code):
    establishment = get_object_or_404(
        Establishment.objects.select_related("place", "sector").filter(areas.readable_q(request.user)), code=code)
    ctx = {"establishment": establishment, **selectors.establishment_detail(establishment),
           **_place_facts(establishment.place),
           "crumbs": _crumbs(establishment),
           # No edit controls on the page of an establishment outside the user's area.
           "can_edit": areas.may_edit(request.user, establishment)}
    return render(request, "establishments/detail.html", ctx)


def _in_area(user, data):
    """The form's data, once its place is inside the user's area (else a message next to the place)."""
    areas.check_place(user, data.get("place"))
    return data


def _place_facts(place):
    """The place as the establishment page names it: marked "(until …)" when it has ceased to exist, with
    today's unit where a successor is known."""
    if place is None:
        return {"place_label": None, "place_now": None}
    now = today_unit(place)
    return {"place_label": place_label(place), "place_now": now if now is not None and now != place else None}


def _crumbs(establishment=None, *extra):
    crumbs = [(reverse("establishments:list"), _("Establishments"))]
    if establishment is not None:
        crumbs.append((establishment.get_absolute_url(), establishment.code))
    return crumbs + list(extra)


@edit_required
def establishment_create(request):
    ctx = {"title": _("New establishment"), "crumbs": _crumbs(None, ("", _("New establishment"))),
           "submit_label": _("Save the establishment")}
    return versioned_form_view(
        request, form_class=EstablishmentForm, template="establishments/form.html", ctx=ctx,
        save=lambda form: services.establishment_create(data=_in_area(request.user, form.model_data())),
    )


@edit_required
def establishment_edit(request, code):
    establishment = get_object_or_404(Establishment, code=code)
    areas.require_edit(request.user, establishment)
    title = _("Edit establishment %(code)s") % {"code": establishment.code}
    ctx = {"title": title, "establishment": establishment, "submit_label": _("Save the establishment"),
           "crumbs": _crumbs(establishment, ("", _("Edit")))}
    return versioned_form_view(
        request, form_class=EstablishmentForm, instance=establishment, template="establishments/form.html",
        ctx=ctx,
        save=lambda form: services.establishment_update(
            establishment=establishment, data=_in_area(request.user, form.model_data()),
            expected_version=form.cleaned_data["version"]),
    )


@edit_required
def establishment_close(request, code):
    establishment = get_object_or_404(Establishment, code=code)
    areas.require_edit(request.user, establishment)
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
                                         expected_version=form.cleaned_data["version"])
        except StaleVersionError:
            form.add_error(None, STALE_MESSAGE)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The establishment is now recorded as closed."))
            return redirect(establishment)
    ctx["form"] = form
    return render(request, "establishments/close.html", ctx, status=400 if version_refused(form) else 200)


# --- CP measures and assistance: lists of all establishments, forms on one establishment ----------

def _records_list(request, *, kind, selector, filter_class, years, template, title, crumb, paginate=page_of):
    """A filtered list page of the records the user may read (`selector(params)` filters them; the filter form
    with `years()` and the places is only built for the page, not for its export)."""
    records = selector(request.GET).filter(areas.readable_q(request.user, "establishment__"))
    if fmt := requested_format(request):
        return list_export(kind=kind, queryset=records, fmt=fmt)
    filter_form = filter_class(request.GET or None, years=years(), places=selectors.place_options())
    ctx = {"filter_form": filter_form, "page_obj": paginate(request, records), "title": title,
           "crumbs": [("", crumb)]}
    return render(request, template, ctx)


def _record_edit(request, code, pk, *, model, form_class, titles, submit_label, service,
                 form_needs_establishment=False):
    """The form of a new (`pk` None) or existing record of an establishment; back to its page when saved.

    `titles`: (edit title, new title), each with %(code)s; `service(establishment=, record=, data=,
    expected_version=)` saves it.
    """
    establishment = get_object_or_404(Establishment, code=code)
    areas.require_edit(request.user, establishment)
    record = get_object_or_404(model, pk=pk, establishment=establishment) if pk else None
    title = (titles[0] if record else titles[1]) % {"code": establishment.code}
    ctx = {"title": title, "establishment": establishment, "crumbs": _crumbs(establishment, ("", title)),
           "submit_label": submit_label}
    return versioned_form_view(
        request, form_class=form_class, instance=record, template="establishments/form.html", ctx=ctx,
        form_kwargs={"establishment": establishment} if form_needs_establishment else None,
        success_url=lambda saved: establishment.get_absolute_url(),
        save=lambda form: service(establishment=establishment, record=record, data=form.model_data(),
                                  expected_version=form.cleaned_data["version"]),
    )


@read_only
def measure_list(request):
    # Newest year first: a page holds the measures of one year, read without sorting every measure.
    return _records_list(request, kind="measures", selector=selectors.measure_list, filter_class=MeasureFilterForm,
                         years=selectors.measure_years, template="establishments/measure_list.html",
                         title=_("CP measures"), crumb=_("CP measures"),
                         paginate=partial(grouped_page_of, field="year", within=selectors.MEASURE_ORDER_IN_YEAR))


@read_only
def assistance_list(request):
    return _records_list(request, kind="assistance", selector=selectors.assistance_list,
                         filter_class=AssistanceFilterForm, years=selectors.assistance_years,
                         template="establishments/assistance_list.html",
                         title=_("Assistance to establishments"), crumb=_("Assistance"))


@edit_required
def measure_edit(request, code, pk=None):
    return _record_edit(
        request, code, pk, model=CPMeasure, form_class=MeasureForm, form_needs_establishment=True,
        titles=(_("Edit CP measure of %(code)s"), _("New CP measure for %(code)s")),
        submit_label=_("Save the CP measure"), service=services.measure_save,
    )


@edit_required
def assistance_edit(request, code, pk=None):
    return _record_edit(
        request, code, pk, model=AssistanceRecord, form_class=AssistanceForm,
        titles=(_("Edit assistance to %(code)s"), _("New assistance to %(code)s")),
        submit_label=_("Save the assistance record"), service=services.assistance_save,
    )
