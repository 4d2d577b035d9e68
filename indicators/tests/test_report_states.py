"""Annual report states: submit, approve, return (with a reason); the approve permission; the same person
cannot enter and approve one report unless an administrator; approved reports are read-only through the
pages, the admin and imports; transitions in the history and on the report page. Real HTTP."""
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from dataio.services import import_file
from dataio.tests.conftest import csv_bytes
from indicators.models import AnnualReport, ReportState
from kontum_cp.roles import ADMINISTRATOR, MANAGER
from kontum_cp.testing import signed_in_client
from tests import factories as f

pytestmark = pytest.mark.django_db
APPROVED = "is approved: it must be returned before it can be changed"


def approver(name, role=MANAGER):
    """A named user of `role` who was granted "approve reports" in the admin."""
    user = f.user(name, role)
    user.user_permissions.add(Permission.objects.get(codename="approve_annualreport"))
    return user


def transition(client, report, action, **extra):
    report.refresh_from_db()
    return client.post(reverse("indicators:report_transition", args=[report.establishment.code, report.year]),
                       {"action": action, "version": str(report.version), **extra})


REPORT_FORM = {"year": "2018", "product": "Tinh bột sắn", "product_unit": "t", "output": "1000", "notes": "",
               "confirm_large_change": "on", "lines-TOTAL_FORMS": "0", "lines-INITIAL_FORMS": "0",
               "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "1000"}


@pytest.fixture
def report(data_entry_user):
    """A report entered through its page by data entry (so the history names who entered it)."""
    est = f.establishment()
    client = signed_in_client(data_entry_user)
    assert client.post(reverse("indicators:report_create", args=[est.code]), REPORT_FORM).status_code == 302
    return AnnualReport.objects.get(establishment=est, year=2018)


def test_the_permission_is_the_administrators_and_grantable(admin_user_role, data_entry_user, manager_user):
    assert admin_user_role.has_perm("indicators.approve_annualreport")
    assert not data_entry_user.has_perm("indicators.approve_annualreport")
    assert not manager_user.has_perm("indicators.approve_annualreport")
    assert approver("reviewer").has_perm("indicators.approve_annualreport")


def test_submit_approve_return_and_the_history(report, data_entry_user):
    entry, reviewer = signed_in_client(data_entry_user), approver("reviewer")
    reviewer_client = signed_in_client(reviewer)
    assert transition(reviewer_client, report, "approve").status_code == 302  # a draft cannot be approved
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert transition(entry, report, "submit").status_code == 302
    assert transition(entry, report, "approve").status_code == 403  # data entry cannot approve
    assert transition(reviewer_client, report, "approve").status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    # Returning needs a reason.
    transition(reviewer_client, report, "return", reason="  ")
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert transition(reviewer_client, report, "return", reason="Water figure too low").status_code == 302
    report.refresh_from_db()
    assert (report.state, report.state_reason) == (ReportState.RETURNED, "Water figure too low")
    history = list(report.history.filter(history_change_reason__startswith="state: ")
                   .order_by("history_id").values_list("state", "history_user_id"))
    assert history == [("submitted", data_entry_user.pk), ("approved", reviewer.pk), ("returned", reviewer.pk)]
    page = entry.get(reverse("indicators:report_detail", args=[report.establishment.code, 2018])).content.decode()
    assert "Water figure too low" in page and "Changes of state" in page
    assert 'value="submit"' in page  # returned: data entry may submit it again
    assert page.count("reviewer") >= 2


def test_the_person_who_entered_a_report_cannot_approve_it_unless_administrator(report, data_entry_user):
    # Data entry who was granted the permission entered this report: refused.
    data_entry_user.user_permissions.add(Permission.objects.get(codename="approve_annualreport"))
    entry = signed_in_client(data_entry_user)
    assert transition(entry, report, "submit").status_code == 302
    page = entry.get(reverse("indicators:report_detail", args=[report.establishment.code, 2018])).content.decode()
    assert 'value="approve"' not in page
    assert transition(entry, report, "approve").status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    # An administrator who entered a report may approve it.
    admin = f.user("boss", ADMINISTRATOR)
    admin_client = signed_in_client(admin)
    est = f.establishment()
    assert admin_client.post(reverse("indicators:report_create", args=[est.code]), REPORT_FORM).status_code == 302
    own = AnnualReport.objects.get(establishment=est)
    assert transition(admin_client, own, "submit").status_code == 302
    assert transition(admin_client, own, "approve").status_code == 302
    own.refresh_from_db()
    assert own.state == ReportState.APPROVED


def test_a_stale_version_is_refused(report, data_entry_user):
    entry = signed_in_client(data_entry_user)
    response = entry.post(reverse("indicators:report_transition", args=[report.establishment.code, 2018]),
                          {"action": "submit", "version": str(report.version + 5)})
    assert response.status_code == 409
    assert entry.get(reverse("indicators:report_transition", args=[report.establishment.code, 2018])
                     ).status_code == 405


@pytest.fixture
def approved(report, data_entry_user):
    assert transition(signed_in_client(data_entry_user), report, "submit").status_code == 302
    assert transition(signed_in_client(approver("reviewer")), report, "approve").status_code == 302
    report.refresh_from_db()
    return report


def test_an_approved_report_is_read_only_on_its_pages(approved, data_entry_user):
    entry = signed_in_client(data_entry_user)
    edit = reverse("indicators:report_edit", args=[approved.establishment.code, 2018])
    response = entry.get(edit, follow=True)
    assert APPROVED in response.content.decode()
    response = entry.post(edit, {**REPORT_FORM, "product": "Changed", "version": str(approved.version)})
    assert response.status_code == 409 and APPROVED in response.content.decode()
    approved.refresh_from_db()
    assert approved.product == "Tinh bột sắn"
    detail = entry.get(reverse("indicators:report_detail", args=[approved.establishment.code, 2018]))
    assert edit not in detail.content.decode()


def test_an_approved_report_is_read_only_in_the_admin(approved, admin_user_role):
    admin = signed_in_client(admin_user_role)
    change = reverse("admin:indicators_annualreport_change", args=[approved.pk])
    assert 'name="_save"' not in admin.get(change).content.decode()
    assert admin.post(change, {"establishment": approved.establishment_id, "year": "2018", "product": "X",
                               "product_unit": "t", "output": "5"}).status_code == 403
    assert admin.post(reverse("admin:indicators_annualreport_delete", args=[approved.pk]),
                      {"post": "yes"}).status_code == 403
    approved.refresh_from_db()
    assert approved.product == "Tinh bột sắn"


def test_import_rows_of_an_approved_report_are_refused_naming_it(approved):
    code = approved.establishment.code
    rows = [["establishment_code", "year", "product", "product_unit", "output", "resource", "quantity"],
            [code, "2018", "Tinh bột sắn", "t", "1000", "water", "5000"]]
    result = import_file(kind="reports", file_name="r.csv", data=csv_bytes(rows))
    assert [e.row for e in result.errors] == [2]
    assert f"The annual report {code} 2018 {APPROVED}" in result.errors[0].message
    assert not approved.lines.exists()


def test_lists_filter_by_state_and_count_approved(approved, data_entry_user, django_assert_max_num_queries):
    entry = signed_in_client(data_entry_user)
    f.report(f.establishment(), 2018, 50)  # a draft
    url = reverse("indicators:report_list")
    only = entry.get(url, {"state": "approved"}).content.decode()
    assert approved.establishment.code in only and only.count("/indicators/reports/T-") == 1
    drafts = entry.get(url, {"state": "draft"}).content.decode()
    assert approved.establishment.code not in drafts
    completeness = entry.get(reverse("indicators:completeness"), {"year": "2018"}).content.decode()
    assert "Of the 2 reports, 1 are approved" in completeness
    dashboard_plan = f.plan()
    page = entry.get(reverse("indicators:dashboard"), {"plan": dashboard_plan.pk, "year": "2018"}).content.decode()
    assert "Approved: 1 of the 2 annual reports for 2018." in page


def test_the_report_list_queries_do_not_grow_with_the_reports(data_entry_user, django_assert_num_queries):
    entry = signed_in_client(data_entry_user)
    url = reverse("indicators:report_list")
    f.report(f.establishment(), 2018, 50)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        entry.get(url, {"state": "draft"})
    for _n in range(6):
        f.report(f.establishment(), 2018, 50)
    with django_assert_num_queries(len(small.captured_queries)):
        entry.get(url, {"state": "draft"})


def test_data_entry_does_not_see_approve_buttons(report, data_entry_user):
    entry = signed_in_client(data_entry_user)
    transition(entry, report, "submit")
    page = entry.get(reverse("indicators:report_detail", args=[report.establishment.code, 2018])).content.decode()
    assert 'value="approve"' not in page and 'value="return"' not in page
    reviewer_page = signed_in_client(approver("reviewer")).get(
        reverse("indicators:report_detail", args=[report.establishment.code, 2018])).content.decode()
    assert 'value="approve"' in reviewer_page and 'value="return"' in reviewer_page


def test_an_approver_with_an_area_approves_only_inside_it(report, data_entry_user):
    from establishments.models import Place, UserArea

    assert transition(signed_in_client(data_entry_user), report, "submit").status_code == 302
    report.establishment.place = Place.objects.get_by_natural_key("615")  # Đắk Hà, in Kon Tum as it was
    report.establishment.save()
    elsewhere, inside = approver("far"), approver("near")
    UserArea.objects.create(user=elsewhere).places.set([Place.objects.get_by_natural_key("612")])  # Đắk Tô
    UserArea.objects.create(user=inside).places.set([Place.objects.get_by_natural_key("62")])
    page = signed_in_client(elsewhere).get(reverse("indicators:report_detail", args=[report.establishment.code,
                                                                                     2018]))
    assert 'value="approve"' not in page.content.decode()
    assert transition(signed_in_client(elsewhere), report, "approve").status_code == 403
    assert transition(signed_in_client(inside), report, "approve").status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
