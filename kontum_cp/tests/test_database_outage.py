"""Database outages (issue 10): a 503 page in the user's language with Retry-After, /healthz as JSON,
and recovery by itself when the database returns.

The outage is real, not a mock: the default connection is pointed at a database that cannot be
opened (SQLite: a file in a folder that does not exist; PostgreSQL, as in CI: a closed port), so every
connection attempt fails as it would with the server stopped; the test database's own connection is
put aside meanwhile and given back afterwards.
"""
import html
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db(transaction=True)

UNAVAILABLE = "The portal is briefly unavailable"


@contextmanager
def database_down():
    saved_connection, saved_settings = connection.connection, dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-kontum-cp-dir/db.sqlite3"
    else:  # PostgreSQL: nothing listens on port 9 of this machine
        connection.settings_dict.update(HOST="127.0.0.1", PORT="9", OPTIONS={
            **connection.settings_dict.get("OPTIONS", {}), "connect_timeout": 2})
    connection.connection = None
    try:
        yield
    finally:
        if connection.connection is not None and connection.connection is not saved_connection:
            connection.connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved_settings)
        connection.connection = saved_connection


def _page(response):
    return html.unescape(response.content.decode())


def test_pages_answer_503_in_the_users_language_and_recover(entry_client):
    entry_client.raise_request_exception = False  # as in production: the error becomes a page
    assert entry_client.get(reverse("home")).status_code == 200
    with database_down():
        response = entry_client.get(reverse("home"))
        assert response.status_code == 503
        assert int(response["Retry-After"]) > 0
        with translation.override("vi"):  # the portal's default language
            assert '<html lang="vi">' in _page(response) and gettext(UNAVAILABLE) in _page(response)
        entry_client.cookies["django_language"] = "en"
        english = entry_client.get(reverse("establishments:list"))
        assert english.status_code == 503 and UNAVAILABLE in _page(english)
        assert 'class="user-badge"' not in _page(english)  # nothing that needs the database
    assert entry_client.get(reverse("home")).status_code == 200  # the next request after it returns


def test_a_sign_in_gets_the_503_page_too():
    client = Client(raise_request_exception=False)
    with database_down():
        assert client.get(reverse("login")).status_code == 200  # the form itself needs no database
        posted = client.post(reverse("login"), {"username": "x", "password": "y"})
        assert posted.status_code == 503 and "Retry-After" in posted
    assert client.get(reverse("login")).status_code == 200


def test_healthz_answers_json_503_while_the_database_is_down_and_200_after():
    client = Client()
    ok = client.get(reverse("healthz"))
    assert (ok.status_code, ok.json()["database"]) == (200, "ok")
    with database_down():
        down = client.get(reverse("healthz"))
        assert down.status_code == 503 and down["Content-Type"] == "application/json"
        assert down.json()["database"] == "unavailable" and "Retry-After" in down
    back = client.get(reverse("healthz"))
    assert (back.status_code, back.json()) == (200, {"status": "ok", "database": "ok"})
