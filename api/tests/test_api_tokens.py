"""Personal tokens (DRF's authtoken): administrators issue and revoke them in the admin; a revoked token
reads nothing; each user is held to API_THROTTLE_RATE requests; the documentation page and the schema come
from the portal itself under its Content-Security-Policy."""
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from kontum_cp.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER
from kontum_cp.tests.test_content_security_policy import EXPECTED, _directives
from tests import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db


def test_an_administrator_issues_and_revokes_a_token_in_the_admin(admin_client_role):
    reader = f.user("other-system", MANAGER)
    add = reverse("admin:authtoken_tokenproxy_add")
    assert admin_client_role.get(add).status_code == 200
    assert admin_client_role.post(add, {"user": reader.pk}).status_code == 302
    token = Token.objects.get(user=reader)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(reverse("api:establishment-list")).status_code == 200
    delete = reverse("admin:authtoken_tokenproxy_delete", args=[reader.pk])
    assert admin_client_role.post(delete, {"post": "yes"}).status_code == 302
    assert not Token.objects.filter(user=reader).exists()
    assert api.get(reverse("api:establishment-list")).status_code == 401


@pytest.mark.parametrize("role", [DATA_ENTRY, MANAGER])
def test_only_administrators_reach_the_tokens(client, role):
    client.force_login(f.user("not-admin", role))
    assert client.get(reverse("admin:authtoken_tokenproxy_changelist")).status_code in (302, 403)


def test_each_token_is_held_to_the_rate(settings):
    settings.API_THROTTLE_RATE = "3/minute"
    first, second = token_client(f.user("first", MANAGER)), token_client(f.user("second", MANAGER))
    url = reverse("api:plan-list")
    assert [first.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get(url)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert second.get(url).status_code == 200  # another token has its own count


def test_the_schema_lists_every_endpoint(client):
    api = token_client(f.user("reader", MANAGER))
    schema = api.get(reverse("api:schema"), {"format": "json"}).json()
    assert {path for path in schema["paths"]} == {
        "/api/v1/plans/", "/api/v1/targets/", "/api/v1/publications/", "/api/v1/publications/{id}/",
        "/api/v1/progress/", "/api/v1/establishments/",
        "/api/v1/establishments/{code}/", "/api/v1/reports/", "/api/v1/measures/", "/api/v1/assistance/",
        "/api/v1/events/", "/api/v1/events/{code}/", "/api/v1/attendance/"}
    # Read-only: GET only.
    assert {method for path in schema["paths"].values() for method in path} == {"get"}
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_the_documentation_page_loads_only_the_portals_own_files_under_its_policy():
    client = Client()
    client.force_login(f.user("reader", ADMINISTRATOR))
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    # The portal's policy; the icons of Swagger UI's stylesheet are data: images, allowed on this page alone.
    assert _directives(page) == {**EXPECTED, "img-src": "'self' data:"}
    html = page.content.decode()
    assert "<style" not in html and " style=" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert len(scripts) == 3 and all('src="' in attrs for attrs in scripts)  # no inline script
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(src.startswith("/") and not src.startswith("//") for src in sources), sources
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
    init = client.get(reverse("api:docs") + "?script=")
    assert init.status_code == 200 and init["Content-Type"].startswith("application/javascript")
    assert reverse("api:schema") in init.content.decode()
