"""Helpers shared by the test suites (no test runs from here)."""
import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

# The shared model messages as people read them (the tests check the wording, not the constant).
YEAR = "The year must be between 1990 and 2100."
YEAR_VI = "Năm phải nằm trong khoảng 1990–2100."
NEGATIVE = "The value cannot be negative."
NEGATIVE_VI = "Giá trị không được âm."


def assert_refused(instance, field, english, vietnamese=None):
    """full_clean() refuses `instance` with exactly this one message on `field`
    (None: a message about the whole record), in English and, when given, in
    Vietnamese; and the database refuses a raw save of it too."""
    key = field or NON_FIELD_ERRORS
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            instance.full_clean()
        assert caught.value.message_dict == {key: [english]}
    if vietnamese:
        with translation.override("vi"):
            with pytest.raises(ValidationError) as caught:
                instance.full_clean()
            assert caught.value.message_dict == {key: [vietnamese]}
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            instance.save()


def migrate_to(targets=None):
    """Migrate the test database to `targets` ([(app, migration name), ...]; None: the latest of every app)
    and return the app registry of that state, for tests that write rows with the models of an older schema."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def signed_in_client(user, language="en"):
    """A test client of its own, signed in as `user` and asking for `language` (a second role in one test)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client
