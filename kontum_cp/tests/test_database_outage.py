"""Database outages (issue 10): a 503 page in the user's language with Retry-After, /healthz as JSON,
and recovery by itself when the database returns.

The outage is real, not a mock: the default connection is pointed at a database that cannot be
opened (SQLite: a file in a folder that does not exist; PostgreSQL, as in CI: a closed port), so every
connection attempt fails as it would with the server stopped; the test database's own connection is
put aside meanwhile and given back afterwards.
"""
import html
import os
import shlex
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import close_old_connections, connection
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


# ---- The real thing: the test PostgreSQL stopped and started again (CI) --------------------------------------

PG_DATA = os.environ.get("KONTUM_TEST_PG_DATA")  # .ci/run names its throw-away cluster here
PG_BIN = os.environ.get("KONTUM_TEST_PG_BIN")


def _pg_ctl(*args):
    command = [str(Path(PG_BIN) / "pg_ctl"), "-D", PG_DATA, *args]
    if os.geteuid() == 0:  # root cannot run the server: as the cluster's owner, as .ci/run started it
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, cwd="/tmp", capture_output=True, timeout=60)


def _server_options():
    """The options the server was started with (port, socket folder...), to start it again the same way."""
    words = shlex.split((Path(PG_DATA) / "postmaster.opts").read_text())[1:]
    if "-D" in words:
        at = words.index("-D")
        del words[at:at + 2]
    return " ".join(shlex.quote(word) for word in words)


@pytest.mark.skipif(not (PG_DATA and PG_BIN), reason="needs KONTUM_TEST_PG_DATA and KONTUM_TEST_PG_BIN: the "
                                                      "throw-away PostgreSQL cluster that .ci/run starts")
def test_postgresql_stopped_and_started_again(entry_client):
    """The server really stops. A production server (runserver, gunicorn) closes an unusable connection at the
    start and the end of each request (`close_old_connections` on request_started/finished); Django's test
    client leaves that out on purpose, so `get` here does it as the server does."""
    if connection.vendor != "postgresql":
        pytest.skip("the cluster named by KONTUM_TEST_PG_DATA is PostgreSQL; this run uses another database")
    entry_client.raise_request_exception = False
    client = Client()

    def get(through, url):
        close_old_connections()
        try:
            return through.get(url)
        finally:
            close_old_connections()

    assert get(entry_client, reverse("home")).status_code == 200
    options = _server_options()
    _pg_ctl("stop", "-m", "fast", "-w")
    try:
        down = get(client, reverse("healthz"))
        assert (down.status_code, down.json()["database"]) == (503, "unavailable")
        page = get(entry_client, reverse("establishments:list"))
        assert page.status_code == 503 and int(page["Retry-After"]) > 0
        with translation.override("vi"):
            assert gettext(UNAVAILABLE) in _page(page)
    finally:
        _pg_ctl("start", "-w", "-t", "30", "-l", str(Path(PG_DATA) / "server.log"), "-o", options)
    # No restart of the portal: the next requests open a new connection by themselves.
    back = get(client, reverse("healthz"))
    assert (back.status_code, back.json()["database"]) == (200, "ok")
    assert get(entry_client, reverse("establishments:list")).status_code == 200
