"""A signed-in user without a role sees the "no role yet" page on every page of the URLconf (403, in the
layout, with a way to sign out), except sign-in and sign-out, the password change, the language switch and
the liveness probe (kontum_cp.middleware.NoRoleMiddleware). The read-only API (/api/v1/) refuses such a user
itself, 403 in its own format (api/tests/test_api_walks.py)."""
import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from kontum_cp.roles import MANAGER
from tests import factories as f
from tests.url_table import BY_NAME, urlconf_names

pytestmark = pytest.mark.django_db

OPEN = {"login", "logout", "password_change", "password_change_done", "set_language", "healthz"}
URL_NAMES = urlconf_names()
API = {name for name in URL_NAMES if BY_NAME[name].api}
CLOSED = [name for name in URL_NAMES if name not in OPEN and name not in API]
ADMIN_PAGES = ["/admin/", "/admin/establishments/establishment/", "/admin/auth/user/", "/admin/axes/accessattempt/"]


@pytest.fixture
def newcomer(db):
    return f.user("newcomer")  # no group


@pytest.fixture
def newcomer_client(client, newcomer):
    client.force_login(newcomer)
    return client


def _history_rows():
    return sum(model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


def _assert_no_role_page(response, url):
    assert response.status_code == 403, url
    assert [t.name for t in response.templates][:1] == ["no_role.html"], url
    html = response.content.decode()
    assert 'id="no-role-title"' in html and 'id="no-role-sign-out"' in html, url
    # Nothing else: no menu of the portal's pages.
    for other in ("establishments:list", "indicators:report_list", "training:event_list", "dataio:index"):
        assert f'href="{reverse(other)}"' not in html, (url, other)


def test_every_url_of_the_urlconf_is_known():
    assert set(OPEN) <= set(URL_NAMES)
    assert [name for name in URL_NAMES if name not in BY_NAME] == []
    assert API and all(name.startswith("api:") for name in API)


@pytest.mark.parametrize("name", CLOSED)
def test_a_user_without_a_role_gets_the_no_role_page(newcomer_client, world, name):
    page = BY_NAME[name]
    url = page.url(world)
    _assert_no_role_page(newcomer_client.get(url), url)
    before = _history_rows()
    response = newcomer_client.post(url, page.form(world) if page.form else {"anything": "1"})
    _assert_no_role_page(response, url)
    assert _history_rows() == before
    assert not (page.saved and page.saved(world)), name


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_the_admin_answers_the_no_role_page_too(newcomer_client, url):
    _assert_no_role_page(newcomer_client.get(url), url)


def test_the_page_is_in_the_users_language(newcomer_client):
    html = newcomer_client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in html
    newcomer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = newcomer_client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "You have no role yet" in html
    assert "You are signed in as newcomer" in html


def test_the_open_pages_still_work(newcomer_client):
    assert newcomer_client.get(reverse("healthz")).status_code == 200
    assert newcomer_client.get(reverse("login")).status_code == 200
    assert newcomer_client.get(reverse("password_change")).status_code == 200
    assert newcomer_client.get(reverse("password_change_done")).status_code == 200
    response = newcomer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert newcomer_client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert newcomer_client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in newcomer_client.session


def test_an_unknown_address_is_still_a_404(newcomer_client):
    assert newcomer_client.get("/no-such-page/").status_code == 404


def test_a_role_opens_the_pages_and_a_superuser_counts_as_administrator(client):
    client.force_login(f.user("reader", MANAGER))
    assert client.get(reverse("home")).status_code == 200
    superuser = f.user("root")
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/admin/").status_code == 200
