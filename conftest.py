"""Shared fixtures: users of each role, a client signed in as each."""
import pytest

from kontum_cp.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER
from tests import factories


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests (browser tests, real commits) run after every other database test, as Django orders them.

    pytest-django sorts the tests so, but pytest's own grouping of tests by parametrized fixtures (the browser
    tests' session-wide `browser_name`) may run after it and put database tests behind transactional ones,
    which flush the database (reference data from the migrations included) when they end.
    """
    def transactional(item):
        marker = item.get_closest_marker("django_db")
        flagged = marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
        return bool(flagged or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))

    items.sort(key=transactional)


# Data migrations that load reference data (places, sectors, resource types, the Department's names).
REFERENCE_DATA_MIGRATIONS = (
    "establishments.migrations.0002_reference_data",
    "indicators.migrations.0002_resource_types",
    "establishments.migrations.0008_place_history",
    "establishments.migrations.0010_department",
)


@pytest.fixture
def reference_data(transactional_db):
    """For tests that commit (transactional): the reference data that the migrations load, loaded again.

    A transactional test ends by flushing the database, which leaves the next one without places, sectors
    and resource types (the roles come back by themselves: `sync_role_permissions` runs after a flush). The
    loaders are idempotent (update_or_create).
    """
    from importlib import import_module

    from django.apps import apps

    for module in REFERENCE_DATA_MIGRATIONS:
        import_module(module).load(apps, None)


@pytest.fixture(autouse=True)
def _plain_locmem_cache(settings):
    # Each test starts with an empty cache (chart cache included).
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Users are created in almost every test; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def data_entry_user(db):
    return factories.user("entry", DATA_ENTRY)  # password pw-entry-123


@pytest.fixture
def manager_user(db):
    return factories.user("manager", MANAGER)


@pytest.fixture
def admin_user_role(db):
    return factories.user("administrator", ADMINISTRATOR)


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
