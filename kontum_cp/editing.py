"""The one edit path of versioned forms: bind, save through a service, show what went wrong.

Every edit page does the same: bind the form (with the version it was opened with), call the
app's service, put a service `ValidationError` next to the fields, and on `StaleVersionError`
(somebody else saved meanwhile) show the form again with what the user typed, the current
version and the other person's change beside it (`templates/includes/conflict.html`).
`edit_form` does it and returns an `Edit`; `versioned_form_view` also renders and redirects.
"""
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .closing import WriteRefused
from .forms import version_refused
from .locking import STALE_MESSAGE, StaleVersionError

CONFLICT_STATUS = 409  # a concurrent save; also a record a closed year or a lock refuses (kontum_cp.closing)
REFUSED_STATUS = 400  # a form without a valid version: never saved, never taken as the current version


def add_service_errors(form, exc):
    """Put a model ValidationError from a service next to the form's fields."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def conflict_rows(form, current):
    """[(label, saved value, your value)] for the fields where the saved row differs from the form.

    Shown when an optimistic-locking conflict refuses a save, so the user sees the other change.
    """
    rows = []
    for name, form_field in form.fields.items():
        if name not in form._meta.fields or form_field.disabled:
            continue
        saved = getattr(current, name, None)
        yours = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        if saved == yours or (saved in (None, "") and yours in (None, "")):
            continue
        display = getattr(current, f"get_{name}_display", None)
        if display:
            yours = dict(form_field.choices).get(yours, yours)
        rows.append((form_field.label, display() if display else saved, yours))
    return rows


def rebind_with_version(form, version, **form_kwargs):
    """The same typed data in a new form carrying `version`, so a second save may overwrite knowingly."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    new_form = type(form)(data, **form_kwargs)
    new_form.is_valid()
    return new_form


@dataclass
class Edit:
    """What became of an edit: the form to show, or the saved row; after a conflict, the current row."""

    form: object
    saved: object = None
    current: object = None
    conflict: list = field(default_factory=list)
    refused: bool = False  # a closed year or a lock refused the write (kontum_cp.closing)

    @property
    def status(self):
        if self.current is not None or self.refused:
            return CONFLICT_STATUS
        return REFUSED_STATUS if version_refused(self.form) else 200

    def context(self):
        """The template's `form`, and after a conflict `current` and `conflict` (includes/conflict.html)."""
        if self.current is None:
            return {"form": self.form}
        return {"form": self.form, "current": self.current, "conflict": self.conflict}


def save_form(form, save, *, rebind=None, compare=conflict_rows, add_errors=add_service_errors, **form_kwargs):
    """Call `save(form)` for a valid bound form; the `Edit` it ends in.

    A service `ValidationError` goes next to the fields (`add_errors(form, exc)`). On `StaleVersionError`
    the typed data is bound again with the current version (`rebind(form, current)`, by default
    `rebind_with_version` with the form's other arguments `form_kwargs`), the form says so and
    `compare(form, current)` (None: nothing) gives the conflict rows.
    """
    try:
        return Edit(form, saved=save(form))
    except StaleVersionError as exc:
        current = exc.current
        rows = compare(form, current) if compare else []
        if rebind is None:
            new_form = rebind_with_version(form, current.version, instance=current, **form_kwargs)
        else:
            new_form = rebind(form, current)
        new_form.add_error(None, STALE_MESSAGE)
        return Edit(new_form, current=current, conflict=rows)
    except WriteRefused as exc:
        form.add_error(None, exc.messages[0])
        return Edit(form, refused=True)
    except ValidationError as exc:
        add_errors(form, exc)
        return Edit(form)


def edit_form(request, form_class, save, *, instance=None, **form_kwargs):
    """GET: the form of `instance`. POST: bound, checked and, when valid, saved by `save(form)`."""
    if request.method != "POST":
        return Edit(form_class(instance=instance, **form_kwargs))
    form = form_class(request.POST, instance=instance, **form_kwargs)
    if not form.is_valid():
        return Edit(form)
    return save_form(form, save, **form_kwargs)


def versioned_form_view(request, *, form_class, save, template, ctx, instance=None, form_kwargs=None,
                        success_message=None, success_url=None):
    """An edit page: `edit_form`, then redirect with a message when saved, else the form (409 on a conflict).

    `success_message(saved)` and `success_url(saved)` default to "Saved." and the saved row's page.
    """
    edit = edit_form(request, form_class, save, instance=instance, **(form_kwargs or {}))
    if edit.saved is not None:
        messages.success(request, success_message(edit.saved) if success_message else _("Saved."))
        return redirect(success_url(edit.saved) if success_url else edit.saved.get_absolute_url())
    return render(request, template, {**ctx, **edit.context()}, status=edit.status)
