"""Several app servers (issue 10): two gunicorn servers, as `make serve` starts them (gunicorn.conf.py), on two
loopback ports, against one PostgreSQL database (the test database) and one Redis (CACHE_URL), share what a user
sees: a change saved through one is seen at once through the other, on the dashboard too, and a session signed in
on one works on the other.

Real processes and real HTTP: sign-in through the sign-in form, forms posted with their CSRF token. The test
commits its data (transaction=True) so that the servers' own connections see it. PostgreSQL only (a SQLite file
shared by several servers is not a set-up the portal supports); it needs Debian's redis-server, which .ci/run
installs (REQUIRE_REDIS=1 there turns a missing one into a failure instead of a skip).
"""
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.db import connection

from establishments.models import CPMeasure, Establishment
from indicators import selectors
from kontum_cp.roles import DATA_ENTRY
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
START_SECONDS = 30


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(ready, what, process, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped at start:\n{Path(log).read_text(errors='replace')[-3000:]}")
        if ready():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} did not start in {START_SECONDS} s:\n{Path(log).read_text(errors='replace')[-3000:]}")


def _stop(process):
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("several app servers share one PostgreSQL database; run with DATABASE_URL=postgres://… "
                    "(a SQLite file shared by several servers is not supported)")


@pytest.fixture
def redis_url(tmp_path):
    if not os.path.exists(REDIS_SERVER):
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("REQUIRE_REDIS=1 but redis-server is missing: install Debian's 'redis-server'.")
        pytest.skip("redis-server not found: install Debian's 'redis-server' package (.ci/run does)")
    import redis

    port, log = _free_port(), tmp_path / "redis.log"
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path), "--logfile", str(log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    log.touch()
    client = redis.Redis(host="127.0.0.1", port=port)

    def ready():
        try:
            return client.ping()
        except redis.ConnectionError:
            return False

    try:
        _wait_until(ready, "redis-server", process, log)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        client.close()
        _stop(process)


def _database_url():
    db = settings.DATABASES["default"]  # the test database that pytest-django created
    quote = urllib.parse.quote
    return (f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{quote(db['NAME'])}")


@pytest.fixture
def two_servers(postgresql, redis_url, tmp_path):
    """Two gunicorn servers with the production settings (DEBUG off) but plain HTTP on loopback."""
    env = {
        **os.environ,
        "DEBUG": "False", "DATABASE_URL": _database_url(), "CACHE_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "False", "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False", "SECURE_HSTS_SECONDS": "0",
        # Plain static storage: no collectstatic needed for pages that are read, not rendered, here.
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DASHBOARD_WARMUP": "False", "WEB_CONCURRENCY": "1", "GUNICORN_ACCESS_LOG": "",
        "SECRET_KEY": settings.SECRET_KEY, "MPLCONFIGDIR": str(tmp_path / "matplotlib"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    servers, processes = [], []
    try:
        for name in ("a", "b"):
            port, log = _free_port(), tmp_path / f"gunicorn-{name}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                 "--bind", f"127.0.0.1:{port}", "kontum_cp.wsgi:application"],
                cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                stdout=log.open("wb"), stderr=subprocess.STDOUT)
            processes.append(process)
            servers.append((f"http://127.0.0.1:{port}", process, log))
        for url, process, log in servers:
            _wait_until(lambda url=url: _healthy(url), f"gunicorn at {url}", process, log)
        yield [url for url, _p, _l in servers]
    finally:
        for process in processes:
            _stop(process)


def _healthy(url):
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


class Browser:
    """Cookies kept across both servers, as a browser keeps them for one host name (127.0.0.1, any port)."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        with self.opener.open(url, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def post(self, url, fields):
        with self.opener.open(url, data=urllib.parse.urlencode(fields).encode(), timeout=30) as response:
            return response.geturl(), response.read().decode()


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the values a browser would send as they are."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"][a["name"]] = a.get("value", "on")
            else:
                self._form["fields"][a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
            self._form["fields"].setdefault(self._select, "")
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form["fields"][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data


def page_form(page, field):
    """The fields of the page's own POST form (the one with `field`; not the language switch or sign-out)."""
    parser = _Forms()
    parser.feed(page)
    forms = [f for f in parser.forms if f["method"] == "post" and field in f["fields"]]
    assert len(forms) == 1, [f["fields"].keys() for f in parser.forms]
    return dict(forms[0]["fields"])


def adoption(page):
    """(numerator, denominator) of the CP adoption card of a dashboard page."""
    card = page[page.index('id="ind-cp_adoption"'):]
    card = card[:card.index("</article>")]
    found = re.search(r"<dd><a [^>]*>([\d.,]+) / ([\d.,]+)</a></dd>", card)
    assert found, card
    return tuple(int(re.sub(r"\D", "", n)) for n in found.groups())


def test_two_servers_share_the_data_the_dashboard_and_the_session(postgresql, settings, reference_data,
                                                                  official_data, redis_url, two_servers):
    import redis

    a, b = two_servers
    # The servers check passwords with the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    factories.user("clerk", DATA_ENTRY, password="pw-clerk-123-long")
    plan = selectors.default_plan()  # plan 835: Kon Tum as it was
    est = factories.establishment(name="Nhà máy A", place=plan.territory)
    dashboard = f"/indicators/dashboard/?plan={plan.pk}&year=2018"

    browser = Browser()
    # Signed in on server A …
    url, page = browser.get(a + "/accounts/login/")
    form = page_form(page, "username")
    url, page = browser.post(a + "/accounts/login/", {**form, "username": "clerk", "password": "pw-clerk-123-long"})
    assert urllib.parse.urlsplit(url).path == "/", page[:2000]
    # … the session works on server B.
    url, page = browser.get(b + f"/establishments/{est.code}/edit/")
    assert urllib.parse.urlsplit(url).path == f"/establishments/{est.code}/edit/"
    assert "clerk" in page

    # The dashboard as server B shows it, computed once and kept in the shared cache.
    _url, before = browser.get(b + dashboard)
    numerator, denominator = adoption(before)
    keys = redis.Redis.from_url(redis_url).keys("*dashboard:*")
    assert keys, "the dashboard is kept in Redis, not in one server's memory"

    # A change saved through server B (its form, with the CSRF token of the session signed in on A) …
    fields = page_form(page, "name")
    _url, saved = browser.post(b + f"/establishments/{est.code}/edit/", {**fields, "name": "Nhà máy Ánh Dương"})
    assert Establishment.objects.get(pk=est.pk).name == "Nhà máy Ánh Dương"
    # … is seen at once through server A.
    _url, page = browser.get(a + f"/establishments/{est.code}/")
    assert "Nhà máy Ánh Dương" in html.unescape(page)

    # An implemented CP measure saved through server A changes the dashboard that server B serves at once.
    _url, page = browser.get(a + f"/establishments/{est.code}/measures/new/")
    fields = page_form(page, "title")
    fields.update(title="Thu hồi nước ngưng", category="onsite_recovery", status="implemented", year="2018")
    url, page = browser.post(a + f"/establishments/{est.code}/measures/new/", fields)
    assert CPMeasure.objects.filter(establishment=est, status="implemented").count() == 1, page[:3000]
    _url, after = browser.get(b + dashboard)
    assert adoption(after) == (numerator + 1, denominator)
