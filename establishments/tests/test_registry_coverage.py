"""RegistryCoverage: administrators confirm, year by year, that the registry of establishments is complete."""
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from establishments import rules
from establishments.models import RegistryCoverage

pytestmark = pytest.mark.django_db

ADD = "admin:establishments_registrycoverage_add"


@pytest.mark.parametrize("action", ["add", "change", "delete"])
def test_only_administrators_change_it_managers_and_data_entry_view_it(
        action, data_entry_user, manager_user, admin_user_role):
    perm = f"establishments.{action}_registrycoverage"
    assert admin_user_role.has_perm(perm)
    assert not data_entry_user.has_perm(perm)
    assert not manager_user.has_perm(perm)
    for user in (data_entry_user, manager_user, admin_user_role):
        assert user.has_perm("establishments.view_registrycoverage")


def test_the_admin_records_who_confirmed_and_when_from_the_request(admin_client_role, admin_user_role):
    response = admin_client_role.post(reverse(ADD), {"year": "2018", "complete": "on", "note": "Đã rà soát"})
    assert response.status_code == 302, response.content.decode()[:2000]
    row = RegistryCoverage.objects.get(year=2018)
    assert row.complete and row.confirmed_by == admin_user_role and row.confirmed_at is not None
    assert row.history.get().history_user == admin_user_role
    # The form cannot name somebody else: confirmed_by/at are read-only there.
    change = reverse("admin:establishments_registrycoverage_change", args=[row.pk])
    admin_client_role.post(change, {"year": "2018", "note": "Thiếu cơ sở", "confirmed_by": "", "confirmed_at": ""})
    row.refresh_from_db()
    assert (row.complete, row.confirmed_by, row.confirmed_at) == (False, None, None)
    assert row.history.count() == 2


def test_a_note_change_keeps_the_confirmation(admin_client_role, admin_user_role):
    admin_client_role.post(reverse(ADD), {"year": "2017", "complete": "on", "note": ""})
    row = RegistryCoverage.objects.get(year=2017)
    at = row.confirmed_at
    change = reverse("admin:establishments_registrycoverage_change", args=[row.pk])
    admin_client_role.post(change, {"year": "2017", "complete": "on", "note": "Theo báo cáo 2018"})
    row.refresh_from_db()
    assert (row.note, row.confirmed_by, row.confirmed_at) == ("Theo báo cáo 2018", admin_user_role, at)


def test_data_entry_and_managers_cannot_reach_the_admin_form(entry_client, manager_client):
    for client in (entry_client, manager_client):
        assert client.post(reverse(ADD), {"year": "2018", "complete": "on"}).status_code in (302, 403)
    assert not RegistryCoverage.objects.exists()


def test_one_row_per_year_and_the_year_in_range():
    RegistryCoverage.objects.create(year=2018)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryCoverage.objects.create(year=2018)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistryCoverage.objects.create(year=1800)


def test_confirmed_rule_and_its_filter_agree():
    RegistryCoverage.objects.create(year=2016, complete=True)
    RegistryCoverage.objects.create(year=2017, complete=False)
    assert [rules.registry_confirmed(c) for c in (True, False, None)] == [True, False, False]
    confirmed = set(RegistryCoverage.objects.filter(rules.registry_confirmed_q()).values_list("year", flat=True))
    assert confirmed == {y for y, c in RegistryCoverage.objects.values_list("year", "complete")
                         if rules.registry_confirmed(c)} == {2016}


def test_the_admin_lists_the_years_with_who_confirmed_them(admin_client_role, admin_user_role):
    RegistryCoverage.objects.create(year=2018, complete=True, note="Đủ", confirmed_by=admin_user_role)
    admin_client_role.cookies["django_language"] = "en"
    listing = admin_client_role.get(reverse("admin:establishments_registrycoverage_changelist"))
    assert listing.status_code == 200 and "administrator" in listing.content.decode()
    row = RegistryCoverage.objects.get()
    form = admin_client_role.get(reverse("admin:establishments_registrycoverage_change", args=[row.pk]))
    assert form.status_code == 200 and 'name="confirmed_by"' not in form.content.decode()  # read-only
    history = admin_client_role.get(reverse("admin:establishments_registrycoverage_history", args=[row.pk]))
    assert history.status_code == 200
