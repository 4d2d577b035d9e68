"""Pure arithmetic for the training pages: rows in, frozen dataclasses out (no ORM)."""
from dataclasses import dataclass


@dataclass(frozen=True)
class AttendanceTotals:
    """Attendees of one event by staff category and by gender."""

    by_category: dict  # category -> (attendees, completed)
    by_gender: dict  # gender -> (attendees, completed)
    attendees: int
    completed: int


def attendance_totals(rows):
    """`rows`: dicts with person__category, person__gender, n, n_completed."""
    by_category, by_gender = {}, {}
    for row in rows:
        for table, key in ((by_category, row["person__category"]), (by_gender, row["person__gender"])):
            n, done = table.get(key, (0, 0))
            table[key] = (n + row["n"], done + row["n_completed"])
    return AttendanceTotals(
        by_category=by_category,
        by_gender=by_gender,
        attendees=sum(r["n"] for r in rows),
        completed=sum(r["n_completed"] for r in rows),
    )


def labelled_totals(totals, choices):
    """[(label, attendees, completed)] in the order of `choices`, skipping zeros."""
    return [(label, *totals[value]) for value, label in choices if value in totals]
