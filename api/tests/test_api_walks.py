"""Every URL of the API (tests/url_table.py, `API`) × who asks × how.

The same role rules as the pages: anonymous → 401 (a token or a session is needed), a signed-in user or a
token whose user has no role → 403, any role reads (200) with a token or with the session; every write
method → 405 and nothing changes; garbage in the query string or the URL → a 4xx, never a server error.
The walk of the pages over the same table (anonymous, each role, GET and POST) is
kontum_cp/tests/test_access.py.
"""
import pytest
from django.apps import apps
from django.test import Client
from django.urls import NoReverseMatch, reverse

from kontum_cp.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER
from tests import factories as f
from tests.url_table import API

pytestmark = pytest.mark.django_db
IDS = [page.name for page in API]
ROLES = (DATA_ENTRY, MANAGER, ADMINISTRATOR)
GARBAGE = ["abc", "-1", "99999999999999999999", "2018.5", "' OR 1=1 --", "%00", "\u0301", "x" * 500, "1e9"]


def _history_rows():
    return sum(model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


@pytest.mark.parametrize("page", API, ids=IDS)
def test_each_role_reads_with_a_token_and_with_the_session(world, token_for, page):
    url = page.url(world)
    for role in ROLES:
        assert token_for(role).get(url).status_code == 200, (role, url)
        session = Client()
        session.force_login(f.user(f"session-{f.next_number()}", role))
        assert session.get(url).status_code == 200, (role, url)


@pytest.mark.parametrize("page", API, ids=IDS)
def test_no_role_reads_nothing_and_anonymous_must_sign_in(world, token_for, page):
    url = page.url(world)
    assert token_for(None).get(url).status_code == 403, url
    session = Client()
    session.force_login(f.user("nobody-session"))
    refused = session.get(url)
    assert refused.status_code == 403, url
    if page.name not in ("api:schema", "api:docs"):  # those two answer in their own format (YAML, HTML)
        assert refused["Content-Type"] == "application/json", url  # the API's answer, not the "no role" page
    anonymous = Client().get(url)
    assert anonymous.status_code == 401, url
    assert anonymous["WWW-Authenticate"] == "Token"
    assert Client(HTTP_AUTHORIZATION="Token not-a-token").get(url).status_code == 401, url


@pytest.mark.parametrize("page", API, ids=IDS)
def test_every_write_method_answers_405_and_changes_nothing(world, token_for, page):
    url = page.url(world)
    before = _history_rows()
    for role in ROLES:
        client = token_for(role)
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(url, data={"code": "X"}, content_type="application/json")
            assert response.status_code == 405, (role, method, url)
    assert _history_rows() == before


@pytest.mark.parametrize("page", API, ids=IDS)
def test_a_head_request_is_answered_like_a_get(world, token_for, page):
    client = token_for(MANAGER)
    url = page.url(world)
    assert client.head(url).status_code == client.get(url).status_code == 200


@pytest.mark.parametrize("page", API, ids=IDS)
def test_garbage_in_the_query_string_or_the_url_never_gives_a_server_error(world, token_for, page):
    client = token_for(ADMINISTRATOR)
    client.raise_request_exception = False
    url = page.url(world)
    bad = []
    for name in page.params:
        for value in GARBAGE:
            status = client.get(url, {name: value}).status_code
            if status >= 500 or status in (401, 403):
                bad.append((name, value[:20], status))
    for arg in GARBAGE if page.args(world) else []:
        try:
            other = reverse(page.name, args=[arg])
        except NoReverseMatch:
            continue
        status = client.get(other).status_code
        if status != 404:
            bad.append(("url", arg[:20], status))
    assert bad == []
