"""Helpers of the staff pages: the role checks (from kontum_cp.access) and optimistic-locking conflicts."""
from kontum_cp.access import edit_required, read_only

__all__ = ["conflict_rows", "edit_required", "read_only", "rebind_with_version"]


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
