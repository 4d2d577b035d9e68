"""Fixtures for the project-wide tests: one small world with a row of every kind."""
import datetime

import pytest

from establishments.tests import factories as f
from indicators.models import ActionPlan
from training.models import Attendance, Event, Person, StaffHeadcount


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    est = f.establishment(code="KT-G1", name="Nhà máy thử")
    measure = f.measure(est, title="Good housekeeping")
    assistance = f.assistance(est)
    f.report(est, 2017, 1000, {"electricity": 200000, "water": 20000})
    event = Event.objects.create(code="EV-G1", title="Tập huấn", kind="training_course",
                                 start_date=datetime.date(2018, 5, 10))
    person = Person.objects.create(name="Người thử", category="gov_staff", organisation="Sở Công Thương")
    attendance = Attendance.objects.create(event=event, person=person)
    StaffHeadcount.objects.create(year=2018, category="gov_staff", headcount=10)
    plan = ActionPlan.objects.create(title="Plan", issuer="UBND", decision_number="835/QĐ-UBND",
                                     start_year=2013, end_year=2020)
    return {"est": est, "measure": measure, "assistance": assistance, "event": event, "person": person,
            "attendance": attendance, "plan": plan}
