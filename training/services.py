"""Writes for the training pages: keyword-only, validated with full_clean(), atomic."""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from kontum_cp.locking import StaleVersionError, save_versioned

from .models import Attendance, Person, StaffCategory, StaffHeadcount


def event_save(*, event, expected_version):
    """Create or update an event; StaleVersionError when somebody saved it meanwhile."""
    event.full_clean()
    with transaction.atomic():
        return save_versioned(event, expected_version)


def person_save(*, person, expected_version):
    person.full_clean()
    with transaction.atomic():
        return save_versioned(person, expected_version)


@dataclass
class AttendanceRow:
    """One row of the attendance entry: an existing person or the fields of a new one."""

    completed: bool
    person: Person | None = None
    new_person: dict = field(default_factory=dict)


class AttendanceRowsInvalid(Exception):
    """Some rows were refused; nothing was saved. `errors[i]` is a ValidationError or None."""

    def __init__(self, errors):
        super().__init__("attendance rows refused")
        self.errors = errors


def attendance_add_rows(*, event, rows):
    """Record attendance for every row, creating new people as needed; all or nothing.

    Raises AttendanceRowsInvalid (and saves nothing) when any row is refused,
    e.g. a person already recorded at the event or listed twice.
    """
    errors = [None] * len(rows)
    created = []
    with transaction.atomic():
        for i, row in enumerate(rows):
            try:
                created.append(_attendance_for_row(event, row))
            except ValidationError as exc:
                errors[i] = exc
        if any(errors):
            transaction.set_rollback(True)
    if any(errors):
        raise AttendanceRowsInvalid(errors)
    return created


def _attendance_for_row(event, row):
    person = row.person
    if person is None:
        person = Person(**row.new_person)
        person.full_clean()
        person.version = 1
        person.save()
    attendance = Attendance(event=event, person=person, completed=row.completed)
    attendance.full_clean()
    attendance.save()
    return attendance


def attendance_remove(*, attendance):
    with transaction.atomic():
        attendance.delete()


def attendance_set_completed(*, attendance, completed):
    attendance.completed = completed
    attendance.full_clean()
    with transaction.atomic():
        attendance.save(update_fields=["completed"])
    return attendance


def headcount_fingerprint(rows):
    """The saved figures of one year as a short text: changes whenever any of them changes."""
    return ";".join(f"{h.category}={h.headcount}|{h.note}" for h in sorted(rows, key=lambda h: h.category))


def headcount_year_save(*, year, values, note="", creating=False, opened=None):
    """Save one year's headcounts, {category: number or None}; all or nothing.

    A blank number removes that category's headcount for the year. With
    `creating`, existing rows are not reused, so the model refuses a duplicate
    year and category with its own message. Raises ValidationError whose
    error_dict is keyed by category. `opened` (required unless `creating`) is the fingerprint of
    the year when the form was opened: a year that somebody else changed meanwhile raises StaleVersionError carrying
    the current rows, and nothing is saved.
    """
    if not creating and opened is None:
        raise ValueError("changing a saved year needs the fingerprint it was opened with (`opened`)")
    errors = {}
    with transaction.atomic():
        rows = [] if creating else list(StaffHeadcount.objects.select_for_update().filter(year=year))
        if opened is not None and headcount_fingerprint(rows) != opened:
            raise StaleVersionError(rows)
        existing = {h.category: h for h in rows}
        for category in StaffCategory.values:
            number = values.get(category)
            row = existing.get(category)
            if number is None:
                if row is not None:
                    row.delete()
                continue
            if row is None:
                row = StaffHeadcount(year=year, category=category)
            row.headcount = number
            row.note = note
            try:
                row.full_clean()
            except ValidationError as exc:
                errors[category] = exc.messages
                continue
            row.save()
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ValidationError(errors)
