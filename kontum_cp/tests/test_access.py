"""Roles and sign-in: what each group may do, and that every page needs sign-in."""
import pytest
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kontum_cp.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER, can_edit, is_administrator
from tests.url_table import ANONYMOUS, ROLES, TABLE

pytestmark = pytest.mark.django_db


def perms_of(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_the_three_role_groups_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= {DATA_ENTRY, MANAGER, ADMINISTRATOR}


def test_data_entry_adds_and_changes_programme_data_only():
    perms = perms_of(DATA_ENTRY)
    for perm in [
        "establishments.add_establishment", "establishments.change_establishment",
        "establishments.add_cpmeasure", "establishments.change_assistancerecord",
        "indicators.add_annualreport", "indicators.change_annualreport", "indicators.add_resourceline",
        "indicators.delete_resourceline",
        "training.add_event", "training.change_person", "training.add_attendance", "training.add_staffheadcount",
    ]:
        assert perm in perms, perm
    for perm in [
        "indicators.add_actionplan", "indicators.change_actionplan", "indicators.add_target",
        "indicators.change_target", "indicators.delete_target", "indicators.change_resourcetype",
        "establishments.delete_establishment", "establishments.change_place",
        "auth.add_user", "auth.change_user", "auth.view_user", "auth.change_group",
        "establishments.change_historicalestablishment",
    ]:
        assert perm not in perms, perm


def test_manager_only_views():
    perms = perms_of(MANAGER)
    assert "establishments.view_establishment" in perms
    assert "indicators.view_target" in perms
    assert "training.view_attendance" in perms
    assert perms and all(p.split(".")[1].startswith("view_") for p in perms)
    assert not any(p.startswith("auth.") for p in perms)


def test_administrator_holds_every_permission():
    perms = perms_of(ADMINISTRATOR)
    assert len(perms) == Permission.objects.count()
    assert {"auth.add_user", "auth.change_user", "indicators.change_actionplan", "indicators.add_target"} <= perms


def test_role_checks(data_entry_user, manager_user, admin_user_role):
    assert can_edit(data_entry_user) and not is_administrator(data_entry_user)
    assert not can_edit(manager_user) and not is_administrator(manager_user)
    assert can_edit(admin_user_role) and is_administrator(admin_user_role)
    # The Django permission system agrees with the groups.
    assert data_entry_user.has_perm("establishments.change_establishment")
    assert not data_entry_user.has_perm("indicators.change_target")
    assert not manager_user.has_perm("establishments.change_establishment")
    assert manager_user.has_perm("establishments.view_establishment")
    assert admin_user_role.has_perm("auth.add_user")


@pytest.mark.parametrize("fixture", ["entry_client", "manager_client"])
def test_only_administrators_reach_the_admin(request, fixture):
    client = request.getfixturevalue(fixture)
    for url in ["/admin/", "/admin/establishments/establishment/", "/admin/auth/user/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_administrator_reaches_the_admin(admin_client_role, official_data):
    assert admin_client_role.get("/admin/").status_code == 200
    response = admin_client_role.get("/admin/establishments/establishment/")
    assert response.status_code == 200
    assert "KT-0002" in response.content.decode()
    assert admin_client_role.get("/admin/auth/user/").status_code == 200


def test_anonymous_home_redirects_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/"


def test_sign_in_page_is_open(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def _client_as(user):
    client = Client()  # a fresh client for each request: a POST to logout signs out
    if user:
        client.force_login(user)
    return client


@pytest.mark.parametrize("page", TABLE, ids=[page.name for page in TABLE])
def test_every_page_answers_each_role_as_the_url_table_says(world, data_entry_user, manager_user, admin_user_role,
                                                             page):
    """Every page of the URLconf × anonymous / data entry / manager / administrator × GET / POST.

    Anonymous → 302 to sign in unless the page is open to all; a manager reads but never changes anything
    (403); data entry and administrators read, save a form's valid data (302, and the row is saved) and get
    405 from a POST to a page that is only read. A saving POST is rolled back so that every request starts
    from the same rows."""
    url = page.url(world)
    users = {ANONYMOUS: None, DATA_ENTRY: data_entry_user, MANAGER: manager_user, ADMINISTRATOR: admin_user_role}
    wrong = []
    for role in ROLES:
        for method in ("get", "post"):
            with transaction.atomic():
                data = page.form(world) if page.form and method == "post" else {}
                response = getattr(_client_as(users[role]), method)(url, data)
                expected = page.expected_status(role, method)
                if response.status_code != expected:
                    wrong.append((role, method, response.status_code, expected))
                elif role == ANONYMOUS and not page.api and role not in (page.read if method == "get" else page.post):
                    if not response["Location"].startswith(reverse("login") + "?next="):
                        wrong.append((role, method, response["Location"], "to sign in"))
                if page.saved and method == "post" and page.saved(world) != (role in page.post):
                    wrong.append((role, method, "saved" if page.saved(world) else "not saved"))
                transaction.set_rollback(True)
    assert wrong == []


def test_anonymous_admin_goes_to_the_admin_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_sign_in_with_the_form_then_home(client, data_entry_user, official_data):
    response = client.post(reverse("login"), {"username": "entry", "password": "pw-entry-123"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    response = client.get("/")
    assert response.status_code == 200
    assert "835/QĐ-UBND" in response.content.decode()


def test_home_shows_plan_years_without_thousand_separators(entry_client, official_data):
    page = entry_client.get("/").content.decode()
    assert "2013–2020" in page
    assert "2.013" not in page and "2,013" not in page


def _area_user(username, place_code, role=DATA_ENTRY, read_only_area=False):
    from establishments.models import Place, UserArea
    from tests import factories

    user = factories.user(username, role)
    area = UserArea.objects.create(user=user, read_only_area=read_only_area)
    area.places.set([Place.objects.get(code=place_code)])
    return user


@pytest.mark.parametrize("page", TABLE, ids=[page.name for page in TABLE])
def test_every_page_answers_a_data_entry_user_with_an_area_as_the_url_table_says(world, page):
    """A data-entry user limited to an area: inside it (the world's establishment is placed in province 51)
    every page answers as to any data-entry user; limited to Đắk Hà district (615), which does not hold it,
    the pages that change the establishment or its records answer `outside_area` and save nothing, the
    others as to any data-entry user."""
    inside, outside = _area_user("inside", world["est"].place.code), _area_user("outside", "615")
    url = page.url(world)
    wrong = []
    for user in (inside, outside):
        for method in ("get", "post"):
            with transaction.atomic():
                data = page.form(world) if page.form and method == "post" else {}
                response = getattr(_client_as(user), method)(url, data)
                limited = user is outside and page.outside_area is not None
                expected = (page.outside_area[method == "post"] if limited
                            else page.expected_status(DATA_ENTRY, method))
                if response.status_code != expected:
                    wrong.append((user.username, method, response.status_code, expected))
                if page.saved and method == "post":
                    should_save = DATA_ENTRY in page.post and not limited
                    if page.saved(world) != should_save:
                        wrong.append((user.username, method, "saved" if page.saved(world) else "not saved"))
                transaction.set_rollback(True)
    assert wrong == []
