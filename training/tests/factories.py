"""Small builders for training test data (plain functions; no factory library needed)."""
import datetime
import itertools

from establishments.models import Establishment
from training.models import Attendance, Event, EventKind, Gender, Person, StaffCategory, StaffHeadcount

_seq = itertools.count(1)


def make_establishment(**kwargs):
    n = next(_seq)
    defaults = {"code": f"KT-T{n:03d}", "name": f"Nhà máy thử {n}"}
    return Establishment.objects.create(**{**defaults, **kwargs})


def make_event(**kwargs):
    n = next(_seq)
    defaults = {
        "code": f"EV-{n:03d}",
        "title": f"Tập huấn SXSH {n}",
        "kind": EventKind.TRAINING_COURSE,
        "start_date": datetime.date(2018, 5, 10),
    }
    return Event.objects.create(**{**defaults, **kwargs})


def make_person(**kwargs):
    n = next(_seq)
    defaults = {"name": f"Người thử {n}", "category": StaffCategory.GOV_STAFF, "organisation": "Sở Công Thương",
                "gender": Gender.FEMALE}
    return Person.objects.create(**{**defaults, **kwargs})


def make_attendance(event, person=None, completed=True):
    return Attendance.objects.create(event=event, person=person or make_person(), completed=completed)


def make_headcount(year, category=StaffCategory.GOV_STAFF, headcount=10):
    return StaffHeadcount.objects.create(year=year, category=category, headcount=headcount)
