"""A record's admin history stays readable after a row it points at was deleted.

simple_history keeps the key of the related row; every __str__ that follows a relation prints "#<key>"
instead of failing (kontum_cp.models.related_text), so the history pages answer 200, not 500.
"""
import pytest

from establishments.models import AssistanceRecord
from indicators.models import AnnualReport
from tests import factories as f
from training.models import Attendance

pytestmark = pytest.mark.django_db


def test_history_of_an_attendance_whose_event_was_deleted(admin_client_role):
    event, person = f.event(code="EV-GONE"), f.person(name="Người học", organisation="")
    attendance = f.attendance(event, person)
    pk, event_pk = attendance.pk, event.pk
    event.delete()  # takes its attendance with it

    response = admin_client_role.get(f"/admin/training/attendance/{pk}/history/")
    assert response.status_code == 200
    assert f"Người học @ #{event_pk}" in response.content.decode()
    # The person deleted too (now possible): the record still prints.
    person_pk = person.pk
    person.delete()
    record = Attendance.history.filter(id=pk).latest("history_date")
    assert str(record.instance) == f"#{person_pk} @ #{event_pk}"
    assert admin_client_role.get(f"/admin/training/attendance/{pk}/history/").status_code == 200


def test_history_of_an_annual_report_whose_establishment_was_deleted(admin_client_role):
    est = f.establishment(code="KT-GONE")
    report = f.report(est, 2017, 1000, {"electricity": 200000})
    assistance = f.assistance(est, 2017)
    report_pk, est_pk, assistance_pk = report.pk, est.pk, assistance.pk
    report.delete()
    assistance.delete()
    est.delete()

    response = admin_client_role.get(f"/admin/indicators/annualreport/{report_pk}/history/")
    assert response.status_code == 200
    assert f"#{est_pk} 2017" in response.content.decode()
    assert str(AssistanceRecord.history.filter(id=assistance_pk).latest("history_date").instance).endswith(
        f"#{est_pk} (2017)")
    assert str(AnnualReport.history.filter(id=report_pk).latest("history_date")).startswith(f"#{est_pk} 2017 as of")


def test_str_follows_the_relation_while_the_row_exists():
    event, person = f.event(code="EV-HERE"), f.person(name="Người học", organisation="")
    assert str(f.attendance(event, person)) == "Người học @ EV-HERE"
