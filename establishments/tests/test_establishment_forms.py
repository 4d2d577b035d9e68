"""Form rules of the establishment, measure and assistance pages."""
import pytest
from django.urls import reverse
from django.utils import translation

from establishments.models import CPMeasure, Establishment
from kontum_cp.locking import STALE_MESSAGE
from tests import factories as f

pytestmark = pytest.mark.django_db


def vi(message):
    with translation.override("vi"):
        return str(message)


def test_create_errors_are_next_to_the_field_and_typed_data_is_kept(entry_client):
    response = entry_client.post(reverse("establishments:create"), {
        "code": "KT-9", "name": "", "address": "12 Trần Hưng Đạo", "baseline_year": "1800",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_name_error"' in html
    assert 'id="id_baseline_year_error"' in html
    assert 'class="error-summary"' in html and 'href="#id_name"' in html
    assert 'value="12 Trần Hưng Đạo"' in html and 'value="KT-9"' in html
    assert not Establishment.objects.filter(code="KT-9").exists()


def test_duplicate_code_is_refused_next_to_the_code(entry_client):
    f.establishment(code="KT-DUP")
    response = entry_client.post(reverse("establishments:create"), {"code": "KT-DUP", "name": "Other"})
    assert response.status_code == 200
    assert 'id="id_code_error"' in response.content.decode()
    assert Establishment.objects.filter(code="KT-DUP").count() == 1


def test_second_edit_from_the_same_version_is_refused_and_shows_the_other_change(client, data_entry_user,
                                                                                 admin_user_role):
    est = f.establishment(code="KT-LOCK", name="Original", address="Old address")
    url = reverse("establishments:edit", args=["KT-LOCK"])
    opened_version = str(est.version)

    client.force_login(admin_user_role)
    first = client.post(url, {"name": "Changed by the administrator", "address": "Old address",
                              "version": opened_version})
    assert first.status_code == 302

    client.force_login(data_entry_user)
    second = client.post(url, {"name": "Changed by data entry", "address": "New address",
                               "version": opened_version})
    assert second.status_code == 409
    html = second.content.decode()
    assert vi(STALE_MESSAGE) in html
    assert "Changed by the administrator" in html  # the other change is shown
    assert 'value="Changed by data entry"' in html and 'value="New address"' in html  # nothing typed is lost
    est.refresh_from_db()
    assert est.name == "Changed by the administrator"
    # The form now carries the current version: saving again knowingly overwrites.
    assert f'name="version" value="{est.version}"' in html
    third = client.post(url, {"name": "Changed by data entry", "address": "New address",
                              "version": str(est.version)})
    assert third.status_code == 302
    est.refresh_from_db()
    assert est.name == "Changed by data entry" and est.version == 3


def test_close_needs_confirmation_and_never_deletes(entry_client):
    est = f.establishment(code="KT-CL", established_year=2010)
    url = reverse("establishments:close", args=["KT-CL"])
    unconfirmed = entry_client.post(url, {"closed_year": "2019", "version": str(est.version)})
    assert unconfirmed.status_code == 200
    assert 'id="id_confirm_error"' in unconfirmed.content.decode()
    before_established = entry_client.post(url, {"closed_year": "2005", "confirm": "on",
                                                 "version": str(est.version)})
    assert before_established.status_code == 200
    est.refresh_from_db()
    assert est.status == "active"
    done = entry_client.post(url, {"closed_year": "2019", "confirm": "on", "version": str(est.version)})
    assert done.status_code == 302
    est.refresh_from_db()
    assert (est.status, est.closed_year) == ("closed", 2019)


def test_measure_title_must_be_unique_per_establishment(entry_client):
    est = f.establishment(code="KT-M")
    f.measure(est, title="Biogas")
    response = entry_client.post(reverse("establishments:measure_create", args=["KT-M"]),
                                 {"title": "Biogas", "category": "onsite_recovery", "status": "planned",
                                  "year": "2019"})
    assert response.status_code == 200
    assert 'id="id_title_error"' in response.content.decode()
    assert 'value="2019"' in response.content.decode()
    assert CPMeasure.objects.filter(establishment=est).count() == 1


def test_measure_edit_conflict_is_refused(client, data_entry_user, admin_user_role):
    est = f.establishment(code="KT-ML")
    m = f.measure(est, title="Old title")
    url = reverse("establishments:measure_edit", args=["KT-ML", m.pk])
    base = {"category": "good_housekeeping", "status": "implemented", "year": "2016", "version": str(m.version)}
    client.force_login(admin_user_role)
    assert client.post(url, {**base, "title": "Admin title"}).status_code == 302
    client.force_login(data_entry_user)
    response = client.post(url, {**base, "title": "Entry title"})
    assert response.status_code == 409
    assert 'value="Entry title"' in response.content.decode()
    m.refresh_from_db()
    assert m.title == "Admin title"


def test_assistance_needs_a_year_or_a_date_and_takes_the_year_of_the_date(entry_client):
    est = f.establishment(code="KT-A")
    url = reverse("establishments:assistance_create", args=["KT-A"])
    missing = entry_client.post(url, {"kind": "survey"})
    assert missing.status_code == 200 and 'id="id_date_error"' in missing.content.decode()
    ok = entry_client.post(url, {"kind": "survey", "date": "15/03/2017"})
    assert ok.status_code == 302
    assert est.assistance.get().year == 2017


def test_manager_sees_no_edit_controls(manager_client):
    est = f.establishment(code="KT-MG")
    m = f.measure(est)
    f.report(est, 2017, 100, {"water": 10})
    html = manager_client.get(reverse("establishments:detail", args=["KT-MG"])).content.decode()
    for name, args in [("establishments:edit", ["KT-MG"]), ("establishments:close", ["KT-MG"]),
                       ("establishments:measure_create", ["KT-MG"]),
                       ("establishments:measure_edit", ["KT-MG", m.pk]),
                       ("establishments:assistance_create", ["KT-MG"]),
                       ("indicators:report_create", ["KT-MG"])]:
        assert reverse(name, args=args) not in html
    list_html = manager_client.get(reverse("establishments:list")).content.decode()
    assert reverse("establishments:create") not in list_html


def test_editor_sees_the_edit_controls(entry_client):
    f.establishment(code="KT-ED")
    html = entry_client.get(reverse("establishments:detail", args=["KT-ED"])).content.decode()
    assert reverse("establishments:edit", args=["KT-ED"]) in html
    assert reverse("indicators:report_create", args=["KT-ED"]) in html


def test_list_filters_search_and_sort(entry_client):
    a = f.establishment(code="KT-A1", name="Alpha starch", cp_potential=True)
    f.measure(a, status="implemented", category="good_housekeeping", year=2015)
    b = f.establishment(code="KT-B1", name="Beta rubber", cp_potential=False)
    f.measure(b, status="implemented", category="end_of_pipe", year=2015)  # does not count
    f.establishment(code="KT-C1", name="Gamma closed", status="closed", closed_year=2018)
    url = reverse("establishments:list")

    def codes(params):
        page = entry_client.get(url, params).context["page_obj"]
        return [e.code for e in page]

    assert codes({"q": "rubber"}) == ["KT-B1"]
    assert codes({"q": "kt-a"}) == ["KT-A1"]
    assert codes({"applying": "yes"}) == ["KT-A1"]
    assert codes({"applying": "no"}) == ["KT-B1", "KT-C1"]
    assert codes({"cp_potential": "no"}) == ["KT-B1"]
    assert codes({"status": "closed"}) == ["KT-C1"]
    assert codes({"sort": "-name"}) == ["KT-C1", "KT-B1", "KT-A1"]
    response = entry_client.get(url, {"applying": "yes"})
    assert response.context["page_obj"].paginator.count == 1
    assert response.context["page_obj"][0].applying_since == 2015


def test_history_says_who_changed_what(entry_client):
    est = f.establishment(code="KT-H", name="Before")
    entry_client.post(reverse("establishments:edit", args=["KT-H"]),
                      {"name": "After", "place": est.place_id, "sector": est.sector_id, "cp_potential": "on",
                       "version": str(est.version)})
    water = f.resource_type("water").pk
    entry_client.post(reverse("indicators:report_create", args=["KT-H"]), {
        "year": "2017", "product": "x", "product_unit": "t", "output": "10",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-0-resource_type": str(water),
        "lines-0-quantity": "5"})
    history = entry_client.get(reverse("establishments:detail", args=["KT-H"])).context["history"]
    edit = next(h for h in history if h["type"] == "~" and h["object"] == "KT-H")
    assert edit["user"].username == "entry"
    assert edit["changed"] == [vi(Establishment._meta.get_field("name").verbose_name)]
    assert any(h["type"] == "+" and h["object"].startswith("2017: ") for h in history)  # the resource line
