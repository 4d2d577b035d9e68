"""Who may do what on the staff pages (see kontum_cp.roles).

Anonymous users never get here: LoginRequiredMiddleware sends them to sign in.
"""
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed

from kontum_cp.roles import can_edit


def edit_required(view):
    """Pages that change data (forms): only Data entry and Administrator, GET and POST."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_edit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def read_only(view):
    """Pages that only show data: GET/HEAD; a POST is refused (403 for a role that may not edit)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            if not can_edit(request.user):
                raise PermissionDenied
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return view(request, *args, **kwargs)

    return wrapped


def conflict_rows(form, current):
    """[(label, saved value, your value)] for the fields where the saved row differs from the form.

    Shown when an optimistic-locking conflict refuses a save, so the user sees the other change.
    """
    rows = []
    for name, field in form.fields.items():
        if name not in form._meta.fields or field.disabled:
            continue
        saved = getattr(current, name, None)
        yours = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if saved == yours or (saved in (None, "") and yours in (None, "")):
            continue
        display = getattr(current, f"get_{name}_display", None)
        if display:
            yours = dict(field.choices).get(yours, yours)
        rows.append((field.label, display() if display else saved, yours))
    return rows


def rebind_with_version(form_class, form, version, **kwargs):
    """The same typed data in a new form carrying `version`, so a second save may overwrite knowingly."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    new_form = form_class(data, **kwargs)
    new_form.is_valid()
    return new_form
