"""Writes for establishments, CP measures and assistance records.

Keyword-only functions: they validate with ``full_clean()`` (the models hold
the rules and the user-facing messages) and save inside ``transaction.atomic``
with optimistic locking (``expected_version`` is the version the form was
opened with; a newer row raises ``StaleVersionError``).
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontum_cp.locking import save_versioned
from kontum_cp.models import ClosedYear
from kontum_cp.roles import is_administrator

from .models import AssistanceRecord, CPMeasure, Establishment, RegistryCoverage


def _apply_and_save(instance, data, expected_version):
    for name, value in data.items():
        setattr(instance, name, value)
    with transaction.atomic():
        instance.full_clean()
        save_versioned(instance, expected_version)
    return instance


def establishment_create(*, data):
    """A new active establishment from cleaned form data."""
    return _apply_and_save(Establishment(), data, None)


def establishment_update(*, establishment, data, expected_version):
    """Change an establishment's identity fields (not its status: see establishment_close)."""
    data = {k: v for k, v in data.items() if k not in ("status", "closed_year", "code")}
    return _apply_and_save(establishment, data, expected_version)


def establishment_close(*, establishment, closed_year, expected_version):
    """Mark the establishment closed from `closed_year`; nothing is deleted."""
    data = {"status": Establishment.Status.CLOSED, "closed_year": closed_year}
    return _apply_and_save(establishment, data, expected_version)


def measure_save(*, establishment, data, record=None, expected_version=None):
    """Add (record=None) or change a CP measure of the establishment."""
    measure = record or CPMeasure(establishment=establishment)
    if measure.establishment_id != establishment.pk:
        raise ValueError("measure belongs to another establishment")
    return _apply_and_save(measure, data, expected_version)


def assistance_save(*, establishment, data, record=None, expected_version=None):
    """Add (record=None) or change an assistance record of the establishment."""
    record = record or AssistanceRecord(establishment=establishment)
    if record.establishment_id != establishment.pk:
        raise ValueError("record belongs to another establishment")
    return _apply_and_save(record, data, expected_version)


# --- closing a year (kontum_cp.closing) -------------------------------------------------------------------

def _administrator(user):
    if not is_administrator(user):
        raise PermissionDenied(_("Only an administrator can close or reopen a year."))


@transaction.atomic
def year_close(*, year, user, reason="", registry_complete=False):
    """Close `year`: its records can no longer be added, changed or deleted. Optionally confirm the registry of
    establishments of `year` complete (`RegistryCoverage`, with who and when). Kept in the history."""
    _administrator(user)
    row = ClosedYear.objects.select_for_update().filter(year=year).first() or ClosedYear(year=year, closed=False)
    if row.closed:
        raise ValidationError({"year": _("The year %(year)s is already closed.") % {"year": year}})
    now = timezone.now()
    row.closed, row.reason, row.changed_by, row.changed_at = True, (reason or "").strip(), user, now
    row._change_reason = "closed"
    row._history_user = user
    row.full_clean()
    row.save()
    if registry_complete:
        coverage = RegistryCoverage.objects.filter(year=year).first() or RegistryCoverage(year=year)
        if not coverage.complete:
            coverage.complete = True
            coverage.set_confirmation(user, now)
            coverage.full_clean()
            coverage.save()
    return row


@transaction.atomic
def year_reopen(*, year, user, reason):
    """Reopen a closed year; the reason is required. Kept in the history with who and when."""
    _administrator(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the year is reopened.")})
    row = ClosedYear.objects.select_for_update().filter(year=year, closed=True).first()
    if row is None:
        raise ValidationError(_("The year %(year)s is not closed.") % {"year": year})
    row.closed, row.reason, row.changed_by, row.changed_at = False, reason, user, timezone.now()
    row._change_reason = "reopened"
    row._history_user = user
    row.save()
    return row
