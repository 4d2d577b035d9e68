"""Training pages: events, attendance entry, people, staff headcounts.

Thin function views: parse the request, call a selector or service, render.
Sign-in is required by the middleware; edit rights are checked here.
"""
from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from establishments import areas
from kontum_cp.access import edit_required, read_only
from kontum_cp.editing import Edit, save_form, versioned_form_view
from kontum_cp.list_exports import list_export, requested_format
from kontum_cp.listing import page_of
from kontum_cp.params import id_or_none, int_or_none, year_or_none

from . import selectors, services
from .forms import NEW_ROW_INITIAL, AttendanceFormSet, EventForm, HeadcountYearForm, PersonForm
from .metrics import attendance_totals, labelled_totals
from .models import Attendance, Event, EventKind, Gender, Person, StaffCategory

ROWS_FOR_NEW_PEOPLE = 3
# Buttons of the attendance form that show the page again instead of saving.
SEARCH_BUTTONS = {"search", "add_chosen"}
MEDIA_NO_ATTENDANCE = gettext_lazy(
    "Media campaigns record the audience reached, not a list of attendees."
)


def _crumbs(*extra):
    return [(reverse("training:event_list"), _("Training")), *extra]


# ---------------------------------------------------------------- events

@read_only
def event_list(request):
    year = year_or_none(request.GET.get("year"))
    kind = request.GET.get("kind") if request.GET.get("kind") in EventKind.values else ""
    search = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "")
    events = selectors.event_list(year=year, kind=kind, search=search, sort=sort)
    if fmt := requested_format(request):
        # The import has no kind for events alone: their attendance, with the event columns, is exported.
        return list_export(kind="attendance", queryset=events, fmt=fmt, name="events")
    page = page_of(request, events)
    ctx = {
        "page": page,
        "years": selectors.event_years(),
        "kinds": EventKind.choices,
        "year": year,
        "kind": kind,
        "q": search,
        "sort": sort,
        "columns": [
            ("code", _("Code")), ("title", _("Title")), ("kind", _("Kind")),
            ("start_date", _("Dates")), ("attendees", _("Attendees")),
        ],
        "title": _("Training and dissemination events"),
        "crumbs": [(None, _("Training"))],
    }
    return render(request, "training/event_list.html", ctx)


@read_only
def event_detail(request, code):
    event = get_object_or_404(Event, code=code)
    if fmt := requested_format(request):
        return list_export(kind="attendance", queryset=selectors.event_attendances(event=event), fmt=fmt,
                           name=f"attendance-{event.code}")
    totals = attendance_totals(selectors.event_attendance_counts(event=event))
    ctx = {
        "event": event,
        "attendances": selectors.event_attendances(event=event),
        "takes_attendance": selectors.event_takes_attendance(event),
        "totals": totals,
        "by_category": labelled_totals(totals.by_category, StaffCategory.choices),
        "by_gender": labelled_totals(totals.by_gender, Gender.choices),
        "crumbs": _crumbs((None, event.code)),
    }
    return render(request, "training/event_detail.html", ctx)


@edit_required
def event_create(request):
    return _event_form(request, Event())


@edit_required
def event_edit(request, code):
    return _event_form(request, get_object_or_404(Event, code=code))


def _event_form(request, event):
    # The page's title and links are those of the event as saved: the form writes typed values onto it.
    creating = event.pk is None
    if creating:
        title = _("New event")
        crumbs = _crumbs((None, title))
        cancel_url = reverse("training:event_list")
    else:
        cancel_url = reverse("training:event_detail", args=[event.code])
        title = _("Edit event %(code)s") % {"code": event.code}
        crumbs = _crumbs((cancel_url, event.code), (None, _("Edit")))
    return versioned_form_view(
        request, form_class=EventForm, instance=event, template="training/event_form.html",
        ctx={"creating": creating, "title": title, "crumbs": crumbs, "cancel_url": cancel_url},
        save=lambda form: services.event_save(event=form.instance, expected_version=form.expected_version()),
        success_message=lambda saved: _("Event %(code)s saved.") % {"code": saved.code},
    )


# ---------------------------------------------------------------- attendance

@edit_required
def attendance_add(request, code):
    """Record attendees: people found by a search and new people typed in rows, all in one form.

    The search is a button of the same form, so a search posts every typed row and the page comes
    back with them (nothing saved); only the save button writes.
    """
    event = get_object_or_404(Event, code=code)
    if not selectors.event_takes_attendance(event):
        messages.info(request, MEDIA_NO_ATTENDANCE)
        return redirect(event)
    if request.method != "POST":
        return _attendance_page(request, event, _attendance_opened(request.GET), _search_text(request.GET))
    formset = _attendance_posted(request.POST)
    if SEARCH_BUTTONS & request.POST.keys():
        return _attendance_page(
            request, event, formset.retyped(blank_rows=ROWS_FOR_NEW_PEOPLE), _search_text(request.POST))
    saved = _save_attendance_rows(event, formset, request.user) if formset.is_valid() else None
    if saved is None:
        return _attendance_page(request, event, formset, _search_text(request.POST))
    messages.success(request, ngettext(
        "%(n)d attendance recorded.", "%(n)d attendances recorded.", len(saved)) % {"n": len(saved)})
    return redirect(event)


def _search_text(params):
    # NUL is dropped: PostgreSQL refuses it in a query.
    return params.get("q", "").replace("\x00", "").strip()


def _ticked_ids(params):
    """Ids of the people ticked in the search results (`add`), in order, once each."""
    ids = (id_or_none(value) for value in params.getlist("add")[:AttendanceFormSet.absolute_max])
    return [pk for pk in dict.fromkeys(ids) if pk]


def _attendance_opened(params):
    """The empty form: a row for each person chosen in the address (`add`), then rows for new people."""
    people = selectors.people_by_pk(_ticked_ids(params))
    initial = [{"person": pk, "completed": True} for pk in _ticked_ids(params) if pk in people]
    initial += [NEW_ROW_INITIAL] * ROWS_FOR_NEW_PEOPLE
    return AttendanceFormSet(initial=initial, prefix="rows", people=people)


def _attendance_posted(data):
    """The posted rows, plus a row for each person ticked in the search results and not yet in a row."""
    total = min(int_or_none(data.get("rows-TOTAL_FORMS"), low=0) or 0, AttendanceFormSet.absolute_max)
    in_rows = {id_or_none(data.get(f"rows-{i}-person")) for i in range(total)} - {None}
    people = selectors.people_by_pk(in_rows | set(_ticked_ids(data)))
    ticked = [pk for pk in _ticked_ids(data) if pk in people and pk not in in_rows]
    if ticked:
        data = data.copy()
        for index, pk in enumerate(ticked, start=total):
            data[f"rows-{index}-person"], data[f"rows-{index}-completed"] = str(pk), "on"
        data["rows-TOTAL_FORMS"] = str(total + len(ticked))
    return AttendanceFormSet(data, prefix="rows", people=people)


def _attendance_page(request, event, formset, search):
    results = selectors.person_search(search=search)
    already = set(event.attendances.values_list("person_id", flat=True))
    chosen = {f.chosen_person.pk for f in formset.forms if f.chosen_person}
    ctx = {
        "event": event,
        "formset": formset,
        "q": search,
        "results": results,
        "already": already,
        "chosen": chosen,
        "any_choosable": any(p.pk not in already | chosen for p in results),
        "establishments": selectors.establishment_choices(request.user),
        "title": _("Record attendance at %(code)s") % {"code": event.code},
        "crumbs": _crumbs((event.get_absolute_url(), event.code), (None, _("Record attendance"))),
    }
    return render(request, "training/attendance_form.html", ctx)


def _in_area(user, person):
    """The person, once their establishment (if any) is one that `user` may change (else a message)."""
    areas.check_establishment(user, person.establishment)
    return person


def _outside_area(user, formset, filled):
    """Put a message on each row whose person belongs to an establishment outside the user's area; True if any."""
    refused = False
    for f in filled:
        person = f.people.get(f.cleaned_data["person"]) if f.cleaned_data.get("person") else None
        establishment = person.establishment if person is not None else f.cleaned_data.get("establishment")
        if establishment is not None and not areas.may_edit(user, establishment):
            f.add_error(None, areas.outside_message(establishment))
            refused = True
    if refused:
        formset._non_form_errors = formset.error_class(
            [_("Nothing was saved. Correct the marked rows and save again.")])
    return refused


def _save_attendance_rows(event, formset, user):
    """Save the filled rows; on refusal put each row's messages next to it and return None."""
    filled = formset.filled_forms()
    if not filled:
        formset._non_form_errors = formset.error_class([_("Fill in at least one row.")])
        return None
    if _outside_area(user, formset, filled):
        return None
    rows = [
        services.AttendanceRow(
            completed=f.cleaned_data["completed"],
            person=f.people.get(f.cleaned_data["person"]) if f.cleaned_data.get("person") else None,
            new_person={
                key: f.cleaned_data[key] or default
                for key, default in (
                    ("name", ""), ("category", ""), ("organisation", ""), ("establishment", None),
                    ("gender", Gender.UNSPECIFIED),
                )
            },
        )
        for f in filled
    ]
    try:
        return services.attendance_add_rows(event=event, rows=rows)
    except services.AttendanceRowsInvalid as exc:
        for form, error in zip(filled, exc.errors):
            if error is None:
                continue
            if hasattr(error, "error_dict"):
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields and field != "person" else None, errs)
            else:
                form.add_error(None, error.messages)
        formset._non_form_errors = formset.error_class(
            [_("Nothing was saved. Correct the marked rows and save again.")]
        )
        return None


@edit_required
def attendance_remove(request, pk):
    attendance = get_object_or_404(Attendance.objects.select_related("event", "person__establishment"), pk=pk)
    areas.require_edit(request.user, attendance.person.establishment)
    event = attendance.event
    if request.method == "POST":
        services.attendance_remove(attendance=attendance)
        messages.success(request, _("%(person)s removed from %(code)s.") % {
            "person": attendance.person.name, "code": event.code,
        })
        return redirect(event)
    ctx = {
        "attendance": attendance,
        "event": event,
        "title": _("Remove attendance"),
        "crumbs": _crumbs((event.get_absolute_url(), event.code), (None, _("Remove attendance"))),
    }
    return render(request, "training/attendance_confirm_remove.html", ctx)


@edit_required
def attendance_completion(request, pk):
    """Mark one attendance completed or not (a button on the event page)."""
    attendance = get_object_or_404(Attendance.objects.select_related("event", "person__establishment"), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    areas.require_edit(request.user, attendance.person.establishment)
    services.attendance_set_completed(attendance=attendance, completed=request.POST.get("completed") == "1")
    return redirect(attendance.event.get_absolute_url() + "#attendance")


# ---------------------------------------------------------------- people

@read_only
def person_list(request):
    search = request.GET.get("q", "").strip()
    sort = request.GET.get("sort", "")
    ctx = {
        "page": selectors.person_page(selectors.person_list(search=search, sort=sort), request.GET),
        "q": search,
        "sort": sort,
        "columns": [
            ("name", _("Name")), ("category", _("Staff category")), ("organisation", _("Organisation")),
            ("events", _("Events")),
        ],
        "title": _("People trained"),
        "crumbs": _crumbs((None, _("People"))),
    }
    return render(request, "training/person_list.html", ctx)


@read_only
def person_detail(request, pk):
    person = get_object_or_404(Person.objects.select_related("establishment"), pk=pk)
    ctx = {
        "person": person,
        "attendances": selectors.person_attendances(person=person),
        "can_edit": areas.may_edit(request.user, person.establishment),  # none outside the user's area
        "crumbs": _crumbs((reverse("training:person_list"), _("People")), (None, person.name)),
    }
    return render(request, "training/person_detail.html", ctx)


@edit_required
def person_edit(request, pk):
    person = get_object_or_404(Person.objects.select_related("establishment"), pk=pk)
    areas.require_edit(request.user, person.establishment)
    ctx = {  # the person as saved: the form writes typed values onto it
        "cancel_url": reverse("training:person_detail", args=[pk]),
        "establishments": selectors.establishment_choices(request.user),
        "title": _("Edit %(name)s") % {"name": person.name},
        "crumbs": _crumbs(
            (reverse("training:person_list"), _("People")), (person.get_absolute_url(), person.name),
            (None, _("Edit")),
        ),
    }
    return versioned_form_view(
        request, form_class=PersonForm, instance=person, template="training/person_form.html", ctx=ctx,
        save=lambda form: services.person_save(person=_in_area(request.user, form.instance),
                                               expected_version=form.expected_version()),
        success_message=lambda saved: _("%(name)s saved.") % {"name": saved.name},
    )


# ---------------------------------------------------------------- headcounts

@read_only
def headcount_list(request):
    if fmt := requested_format(request):
        return list_export(kind="headcounts", queryset=selectors.headcount_list(), fmt=fmt)
    table = selectors.headcount_rows()
    rows = [(year, [values.get(c) for c in StaffCategory.values]) for year, values in table.items()]
    ctx = {
        "rows": rows,
        "categories": StaffCategory.choices,
        "title": _("Staff headcounts by year and category"),
        "crumbs": _crumbs((None, _("Staff headcounts"))),
    }
    return render(request, "training/headcount_list.html", ctx)


@edit_required
def headcount_create(request):
    return _headcount_form(request, year=None)


@edit_required
def headcount_edit(request, year):
    existing = selectors.headcounts_for_year(year)
    if not existing:
        return redirect(reverse("training:headcount_create") + f"?year={year}")
    return _headcount_form(request, year=year, existing=existing)


def _headcounts_rebound(form, year, current):
    """The typed figures again, opened at the figures saved meanwhile, ready to overwrite them knowingly."""
    data = form.data.copy()
    data["opened"] = services.headcount_fingerprint(current)
    form = HeadcountYearForm(data, fixed_year=year, opened_required=True)
    form.is_valid()
    return form


def _headcounts_saved_now(current):
    labels = dict(StaffCategory.choices)
    saved = ", ".join(f"{labels[h.category]}: {h.headcount}" for h in sorted(current, key=lambda h: h.category))
    return _("Saved now: %(figures)s") % {"figures": saved or "—"}


def _headcount_save(form, year, creating):
    """Save the year's figures; the year saved."""
    the_year = year if year is not None else form.cleaned_data["year"]
    services.headcount_year_save(
        year=the_year, values=form.values(), note=form.cleaned_data["note"], creating=creating,
        opened=None if creating else form.cleaned_data["opened"],
    )
    return the_year


def _headcount_form(request, *, year, existing=None):
    creating = year is None
    initial = {}
    if existing:
        initial = {f"n_{c}": h.headcount for c, h in existing.items()}
        initial["note"] = next(iter(existing.values())).note
        initial["opened"] = services.headcount_fingerprint(existing.values())
    elif request.GET.get("year"):
        initial["year"] = year_or_none(request.GET.get("year"))
    edit = Edit(HeadcountYearForm(request.POST if request.method == "POST" else None, initial=initial,
                                  fixed_year=year, opened_required=not creating))
    if request.method == "POST" and edit.form.is_valid():
        edit = save_form(
            edit.form, lambda form: _headcount_save(form, year, creating),
            rebind=lambda form, current: _headcounts_rebound(form, year, current), compare=None,
            add_errors=lambda form, exc: form.add_category_errors(exc.message_dict),
        )
        if edit.current is not None:
            edit.form.add_error(None, _headcounts_saved_now(edit.current))
        elif edit.saved is not None:
            messages.success(request, _("Staff headcounts for %(year)d saved.") % {"year": edit.saved})
            return redirect("training:headcount_list")
    title = _("New year of staff headcounts") if creating else _("Staff headcounts %(year)d") % {"year": year}
    ctx = {
        "form": edit.form,
        "creating": creating,
        "title": title,
        "year": year,
        "crumbs": _crumbs((reverse("training:headcount_list"), _("Staff headcounts")), (None, title)),
    }
    return render(request, "training/headcount_form.html", ctx, status=edit.status)
