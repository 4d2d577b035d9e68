"""Writes for establishments, CP measures and assistance records.

Keyword-only functions: they validate with ``full_clean()`` (the models hold
the rules and the user-facing messages) and save inside ``transaction.atomic``
with optimistic locking (``expected_version`` is the version the form was
opened with; a newer row raises ``StaleVersionError``).
"""
from django.db import transaction

from kontum_cp.locking import save_versioned

from .models import AssistanceRecord, CPMeasure, Establishment


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
