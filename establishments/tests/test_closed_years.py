"""Closing a year (kontum_cp.closing): the records dated in a closed year cannot be added, changed or deleted
through the pages, the admin or an import; the years beside it stay open; reopening needs an administrator and
a reason; closing and reopening are kept in the history. Real HTTP with role clients."""
import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from dataio.services import import_file
from dataio.tests.conftest import csv_bytes
from establishments.models import CPMeasure, RegistryCoverage
from indicators.models import AnnualReport
from kontum_cp import closing
from kontum_cp.testing import signed_in_client
from kontum_cp.models import ClosedYear
from tests import factories as f
from training.models import Attendance, StaffHeadcount

pytestmark = pytest.mark.django_db

Y = 2018
CLOSED_2018 = "The year 2018 is closed"


@pytest.fixture
def admin(admin_user_role):
    return signed_in_client(admin_user_role)


@pytest.fixture
def entry(data_entry_user):
    return signed_in_client(data_entry_user)


def close(admin, year=Y, **extra):
    response = admin.post(reverse("establishments:closed_years"), {"year": str(year), "reason": "Reported", **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


MEASURE = {
    "category": "good_housekeeping", "status": "implemented", "investment_vnd": "", "expected_savings_vnd": "",
    "achieved_savings_vnd": "", "savings_note": "", "environmental_benefit": "", "wastewater_capacity_m3_day": "",
    "description": "",
}


def _new_measure(entry, est, year, title):
    return entry.post(reverse("establishments:measure_create", args=[est.code]),
                      {**MEASURE, "title": title, "year": str(year)})


@pytest.mark.parametrize("year,allowed", [(Y - 1, True), (Y, False), (Y + 1, True)])
def test_a_measure_through_the_page_at_the_boundaries(admin, entry, year, allowed):
    est = f.establishment()
    close(admin)
    response = _new_measure(entry, est, year, f"Biogas {year}")
    assert CPMeasure.objects.filter(title=f"Biogas {year}").exists() == allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert response.status_code == 409
        assert CLOSED_2018 in response.content.decode()


def test_a_measure_of_the_closed_year_cannot_be_changed_moved_out_or_deleted(admin, entry):
    est = f.establishment()
    measure = f.measure(est, year=Y, title="Housekeeping")
    close(admin)
    url = reverse("establishments:measure_edit", args=[est.code, measure.pk])
    for year in (Y, Y + 1):  # changed in the year, or moved out of it: both refused
        response = entry.post(url, {**MEASURE, "title": "Changed", "year": str(year), "version": "1"})
        assert response.status_code == 409 and CLOSED_2018 in response.content.decode()
    measure.refresh_from_db()
    assert (measure.title, measure.year, measure.version) == ("Housekeeping", Y, 1)
    # Moving a measure of an open year into the closed one is refused too.
    other = f.measure(est, year=Y + 1, title="Other")
    response = entry.post(reverse("establishments:measure_edit", args=[est.code, other.pk]),
                          {**MEASURE, "title": "Other", "year": str(Y), "version": "1"})
    assert response.status_code == 409
    assert CPMeasure.objects.get(pk=other.pk).year == Y + 1


def test_a_measure_of_the_closed_year_through_the_admin(admin):
    est = f.establishment()
    measure = f.measure(est, year=Y, title="Housekeeping")
    close(admin)
    change = reverse("admin:establishments_cpmeasure_change", args=[measure.pk])
    page = admin.get(change).content.decode()
    assert 'name="_save"' not in page  # shown read-only
    response = admin.post(change, {"establishment": est.pk, "title": "Changed", "category": "good_housekeeping",
                                   "status": "implemented", "year": str(Y + 1)})
    assert response.status_code == 403
    assert admin.post(reverse("admin:establishments_cpmeasure_delete", args=[measure.pk]),
                      {"post": "yes"}).status_code == 403
    # Added in the admin in the closed year: a clean error on the form, nothing saved.
    response = admin.post(reverse("admin:establishments_cpmeasure_add"), {
        "establishment": est.pk, "title": "New in 2018", "category": "good_housekeeping", "status": "implemented",
        "year": str(Y)})
    assert response.status_code == 200 and CLOSED_2018 in response.content.decode()
    assert not CPMeasure.objects.filter(title="New in 2018").exists()
    assert CPMeasure.objects.get(pk=measure.pk).title == "Housekeeping"


MEASURE_HEAD = ["establishment_code", "title", "category", "status", "year"]


def test_a_measure_of_the_closed_year_through_an_import_is_refused_per_row(admin):
    est = f.establishment()
    f.measure(est, year=Y, title="Existing")
    close(admin)
    rows = [MEASURE_HEAD,
            [est.code, "New 2017", "good_housekeeping", "implemented", str(Y - 1)],
            [est.code, "New 2018", "good_housekeeping", "implemented", str(Y)],
            [est.code, "Existing", "good_housekeeping", "implemented", str(Y + 1)]]  # moved out of 2018
    result = import_file(kind="measures", file_name="m.csv", data=csv_bytes(rows))
    refused = {(e.row, e.message[:len(CLOSED_2018)]) for e in result.errors}
    assert refused == {(3, CLOSED_2018), (4, CLOSED_2018)}
    assert not CPMeasure.objects.filter(title__startswith="New").exists()  # all or nothing
    assert CPMeasure.objects.get(title="Existing").year == Y


def test_every_dated_kind_is_refused_in_the_closed_year_and_not_beside_it():
    est = f.establishment()
    records = [f.measure(est, year=Y), f.assistance(est, year=Y), f.report(est, Y, 100), f.headcount(Y),
               f.event(start_date=datetime.date(Y, 12, 31))]
    records.append(f.attendance(records[-1]))
    beside = [f.measure(est, year=Y - 1), f.assistance(est, year=Y + 1), f.report(est, Y + 1, 100),
              f.headcount(Y - 1), f.event(start_date=datetime.date(Y + 1, 1, 1))]
    ClosedYear.objects.create(year=Y)
    for record in records:
        assert closing.refusal(record, deleting=True) == closing.closed_message(Y), record
        with pytest.raises(closing.WriteRefused):
            record.save()
        with pytest.raises(closing.WriteRefused), transaction.atomic():  # a refused delete rolls back
            record.delete()
    for record in beside:
        assert closing.refusal(record) is None, record
        record.save()


def test_a_headcount_and_an_attendance_of_the_closed_year_through_the_pages(admin, entry):
    f.headcount(Y, "gov_staff", 10)
    event = f.event(start_date=datetime.date(Y, 5, 10))
    attendance = f.attendance(event)
    close(admin)
    response = entry.post(reverse("training:attendance_remove", args=[attendance.pk]))
    assert response.status_code == 409 and CLOSED_2018 in response.content.decode()
    assert Attendance.objects.filter(pk=attendance.pk).exists()
    response = entry.post(reverse("training:headcount_create"), {
        "year": str(Y), "note": "", "n_gov_staff": "", "n_cp_staff": "3", "n_technical_staff": "", "n_manager": "",
        "n_other": ""})
    assert response.status_code == 409 and CLOSED_2018 in response.content.decode()
    assert not StaffHeadcount.objects.filter(year=Y, category="cp_staff").exists()


REPORT = {"product": "Tinh bột sắn", "product_unit": "t", "output": "1000", "notes": "", "confirm_large_change": "on",
          "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
          "lines-MAX_NUM_FORMS": "1000"}


@pytest.mark.parametrize("year,allowed", [(Y - 1, True), (Y, False), (Y + 1, True)])
def test_an_annual_report_through_the_page_at_the_boundaries(admin, entry, year, allowed):
    est = f.establishment()
    close(admin)
    response = entry.post(reverse("indicators:report_create", args=[est.code]), {**REPORT, "year": str(year)})
    assert response.status_code == (302 if allowed else 409)
    assert AnnualReport.objects.filter(establishment=est, year=year).exists() == allowed


def test_an_annual_report_of_the_closed_year_through_an_import(admin):
    est = f.establishment()
    close(admin)
    rows = [["establishment_code", "year", "product", "product_unit", "output", "resource", "quantity"],
            [est.code, str(Y), "Tinh bột sắn", "t", "1000", "water", "5000"],
            [est.code, str(Y + 1), "Tinh bột sắn", "t", "1000", "water", "5000"]]
    result = import_file(kind="reports", file_name="r.csv", data=csv_bytes(rows))
    assert {e.row for e in result.errors} == {2}
    assert CLOSED_2018 in result.errors[0].message
    assert not AnnualReport.objects.filter(establishment=est).exists()


def test_closing_confirms_the_registry_and_reopening_needs_an_administrator_and_a_reason(
        admin, entry, admin_user_role):
    close(admin, registry_complete="on")
    coverage = RegistryCoverage.objects.get(year=Y)
    assert coverage.complete and coverage.confirmed_by == admin_user_role and coverage.confirmed_at
    reopen = reverse("establishments:closed_year_reopen", args=[Y])
    assert entry.post(reopen, {"reason": "Fix"}).status_code == 403
    response = admin.post(reopen, {"reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert ClosedYear.objects.get(year=Y).closed
    assert admin.post(reopen, {"reason": "A report was wrong"}).status_code == 302
    row = ClosedYear.objects.get(year=Y)
    assert not row.closed
    history = list(row.history.order_by("history_id").values_list("closed", "reason", "history_user_id"))
    assert history == [(True, "Reported", admin_user_role.pk), (False, "A report was wrong", admin_user_role.pk)]
    page = admin.get(reverse("establishments:closed_years")).content.decode()
    assert "2018 reopened" in page and "A report was wrong" in page and "2018 closed" in page
    # Open again: a measure of 2018 is accepted.
    est = f.establishment()
    assert _new_measure(entry, est, Y, "After reopening").status_code == 302


def test_closing_a_closed_year_again_is_refused_with_a_message(admin):
    close(admin)
    response = admin.post(reverse("establishments:closed_years"), {"year": str(Y), "reason": ""})
    assert response.status_code == 200 and "already closed" in response.content.decode()


def test_the_closed_years_page_queries_do_not_grow_with_the_years(admin, django_assert_max_num_queries):
    url = reverse("establishments:closed_years")
    for year in range(2000, 2004):
        close(admin, year)
    with django_assert_max_num_queries(12):
        assert admin.get(url).status_code == 200
    for year in range(2004, 2014):
        close(admin, year)
    with django_assert_max_num_queries(12):
        assert admin.get(url).status_code == 200


def test_administrators_find_the_page_from_home(admin, entry):
    link = reverse("establishments:closed_years")
    assert link in admin.get(reverse("home")).content.decode()
    assert link not in entry.get(reverse("home")).content.decode()


def test_a_record_dated_only_as_a_range_is_dated_in_its_latest_possible_year():
    """As it counts (DOMAIN.md): "2016–2018" and "by 2018" lie in 2018; "from 2016" lies in no closed year."""
    est = f.establishment()
    in_y = [f.measure(est, year=None, year_earliest=Y - 2, year_latest=Y, title="2016–2018"),
            f.measure(est, year=None, year_latest=Y, title="by 2018"),
            f.assistance(est, year=None, date_latest=Y)]
    not_in_y = [f.measure(est, year=None, year_earliest=Y - 2, year_latest=Y - 1, title="2016–2017"),
                f.measure(est, year=None, year_earliest=Y, title="from 2018"),
                f.assistance(est, year=None, date_earliest=Y - 1, date_latest=Y + 1)]
    ClosedYear.objects.create(year=Y)
    for record in in_y:
        assert closing.refusal(record) == closing.closed_message(Y), record
    for record in not_in_y:
        assert closing.refusal(record) is None, record
