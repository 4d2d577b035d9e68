"""Shared fixtures: users of each role, a client signed in as each."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kontum_cp.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER


@pytest.fixture(autouse=True)
def _plain_locmem_cache(settings):
    # Each test starts with an empty cache (chart cache included).
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _make_user(username, role):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username + "-123")
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def data_entry_user(db):
    return _make_user("entry", DATA_ENTRY)


@pytest.fixture
def manager_user(db):
    return _make_user("manager", MANAGER)


@pytest.fixture
def admin_user_role(db):
    return _make_user("administrator", ADMINISTRATOR)


@pytest.fixture
def entry_client(client, data_entry_user):
    client.force_login(data_entry_user)
    return client


@pytest.fixture
def manager_client(client, manager_user):
    client.force_login(manager_user)
    return client


@pytest.fixture
def admin_client_role(client, admin_user_role):
    client.force_login(admin_user_role)
    return client


@pytest.fixture
def official_data(db):
    from django.core.management import call_command

    call_command("loaddata", "kontum_2009_2018", verbosity=0)
