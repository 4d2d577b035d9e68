"""Optimistic locking for VersionedModel rows.

A form carries the version it was opened with. Saving checks and bumps the
version in one UPDATE ... WHERE version = expected, so of two people who
opened the same record, the second save is refused instead of silently
overwriting the first one's change.
"""
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Somebody else saved this record while you were editing it. "
    "Your changes are kept below; compare them with the current version and save again."
)


class StaleVersionError(Exception):
    """The row changed since the form was opened."""

    def __init__(self, current):
        super().__init__(str(STALE_MESSAGE))
        self.current = current


def save_versioned(instance, expected_version, **save_kwargs):
    """Save `instance` if its row is still at `expected_version`; bump the version.

    New rows (no pk) are simply saved. Must run inside a transaction when it
    is part of a larger write (the caller's ``transaction.atomic``). An existing
    row without an expected version is refused (ValueError): taking the row's
    current version instead would overwrite whatever was saved meanwhile.
    """
    if instance.pk is None:
        instance.version = 1
        instance.save(**save_kwargs)
        return instance
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise ValueError(f"expected_version must be the version the form was opened with, not {expected_version!r}")
    model = type(instance)
    with transaction.atomic():
        updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not updated:
            raise StaleVersionError(model._default_manager.get(pk=instance.pk))
        instance.version = expected_version + 1
        instance.save(**save_kwargs)
    return instance
