"""Records that may no longer be written: those dated in a closed year, and those another rule locks.

The one rule every write path obeys. Each app declares, for each of its models, the year a record is dated
in (`register(Model, year_of=...)`) and, where it has one, a lock of its own (`lock=`: the approved annual
report); `refusal(instance)` says why a record may not be added, changed or deleted, or None.

Where it is enforced:
- the ORM: `pre_save` and `pre_delete` of every registered model raise `WriteRefused` (a `ValidationError`,
  so the pages' services and `kontum_cp.editing` put its message on the form); `save_versioned` saves
  through `save()`, so the edit pages are covered; fixtures (`raw`) are not checked;
- the admin: `kontum_cp.admin_site.PortalHistoryAdmin` shows a locked record read-only, without its delete
  button, and its form refuses a record dated in a closed year;
- imports: `dataio.importers` (which write with `bulk_create` / `bulk_update`, without signals) refuse the row
  of a locked record, with the years of the closed years read once per import.

A record moved out of a closed year is refused too: the year it is stored with counts as well as the new one.
"""
from django.core.exceptions import ValidationError
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

_REGISTRY = {}  # model -> (year_of, lock)
STORED_YEARS = "_closing_stored_years"  # an instance's years as read from the database (set by `remember`)


class WriteRefused(ValidationError):
    """A write that a closed year or a lock forbids."""


def closed_message(year):
    return _("The year %(year)s is closed: its records can no longer be added, changed or deleted. "
             "An administrator can reopen it.") % {"year": year}


def register(model, *, year_of, lock=None):
    """Declare the year `model`'s records are dated in (`year_of(instance)` → int or None) and its lock
    (`lock(instance, stored, deleting=...)` → a message or None; `stored()` gives the row as saved, None for
    a new one)."""
    _REGISTRY[model] = (year_of, lock)
    uid = f"closing-{model._meta.label}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-save")
    pre_delete.connect(_before_delete, sender=model, dispatch_uid=f"{uid}-delete")


def registered(model):
    return model in _REGISTRY


def closed_years():
    """The years closed now (one query)."""
    from .models import ClosedYear

    return frozenset(ClosedYear.objects.filter(closed=True).values_list("year", flat=True))


def _years(instance):
    year_of, _lock = _REGISTRY[type(instance)]
    year = year_of(instance)
    return {year} if year is not None else set()


def remember(instance):
    """Note the years of a record as it was read, before it is changed in memory (imports call it)."""
    if type(instance) in _REGISTRY and instance.pk is not None and not hasattr(instance, STORED_YEARS):
        setattr(instance, STORED_YEARS, _years(instance))


def _stored(instance):
    if instance.pk is None:
        return None
    return type(instance)._base_manager.filter(pk=instance.pk).first()


def refusal(instance, *, closed=None, stored=False, deleting=False):
    """Why `instance` may not be written (a message), or None.

    `closed`: the closed years when the caller has read them already. `stored`: the row as saved (None for a
    new row; False: read it when needed, unless `remember` noted its years).
    """
    if type(instance) not in _REGISTRY:
        return None
    _year_of, lock = _REGISTRY[type(instance)]
    saved = {}

    def stored_row():
        if "row" not in saved:
            saved["row"] = _stored(instance) if stored is False else stored
        return saved["row"]

    if lock is not None:
        message = lock(instance, stored_row, deleting=deleting)
        if message:
            return message
    closed = closed_years() if closed is None else closed
    if not closed:
        return None
    years = _years(instance)
    if hasattr(instance, STORED_YEARS):
        years |= getattr(instance, STORED_YEARS)
    elif instance.pk is not None and (row := stored_row()) is not None:
        years |= _years(row)
    shut = sorted(years & closed)
    return closed_message(shut[0]) if shut else None


def check(instance, **kwargs):
    """Raise `WriteRefused` when `refusal(instance)` gives a reason."""
    message = refusal(instance, **kwargs)
    if message:
        raise WriteRefused(message, code="closed")


def _before_save(sender, instance, raw=False, **kwargs):
    if not raw:
        check(instance)


def _before_delete(sender, instance, **kwargs):
    check(instance, deleting=True)
