"""Every URL of the portal, walked from the URL configuration: a POST from a manager is
refused with 403 and changes nothing; an anonymous POST is sent to sign in.

A new page is caught here too: the walk fails until the page's arguments are listed.
"""
import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .test_bad_input import FORMS, PAGES

pytestmark = pytest.mark.django_db

ARGS = {name: args for name, args, _params in PAGES} | {name: args for name, args, _data in FORMS}
# Not programme pages: sign-in and language (open), the user's own password, the liveness probe,
# and the Django admin (administrators only; see test_access).
OUTSIDE = {"login", "logout", "set_language", "healthz", "password_change", "password_change_done"}


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not str(entry.pattern).startswith("^static"):
            yield namespace + entry.name


URL_NAMES = sorted(set(_url_names()) - OUTSIDE)


def test_every_url_is_walked():
    assert [name for name in URL_NAMES if name not in ARGS] == []


def _history_rows():
    return sum(model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


@pytest.mark.parametrize("name", URL_NAMES)
def test_a_manager_post_is_refused_and_changes_nothing(manager_client, world, name):
    url = reverse(name, args=ARGS[name](world))
    before = _history_rows()
    data = next((d(world) for n, _a, d in FORMS if n == name), {"anything": "1"})
    response = manager_client.post(url, data)
    assert response.status_code == 403, url
    assert _history_rows() == before


@pytest.mark.parametrize("name", URL_NAMES)
def test_an_anonymous_post_is_sent_to_sign_in(client, world, name):
    url = reverse(name, args=ARGS[name](world))
    response = client.post(url, {"anything": "1"})
    assert response.status_code == 302, url
    assert response["Location"].startswith(reverse("login") + "?next=")


# Pages that change data: a manager must find no link or form leading to them on any page.
EDIT_URL_NAMES = [name for name, _args, _data in FORMS]


def test_a_manager_finds_no_edit_control_on_any_page(manager_client, world):
    import re

    edit_urls = {reverse(name, args=ARGS[name](world)) for name in EDIT_URL_NAMES}
    edit_urls |= {reverse("establishments:create"), reverse("training:event_create"),
                  reverse("training:headcount_create")}
    allowed_forms = {reverse("set_language"), reverse("logout")}
    found = []
    for name, args, _params in PAGES:
        if name in EDIT_URL_NAMES or name in ("indicators:dashboard_export", "indicators:dashboard_chart",
                                              "dataio:template", "dataio:export", "dataio:preview_errors"):
            continue
        page = manager_client.get(reverse(name, args=args(world))).content.decode()
        for url in edit_urls:
            if f'href="{url}' in page or f'action="{url}' in page:
                found.append((name, url))
        for action in re.findall(r'<form[^>]*method="post"[^>]*>', page, flags=re.I):
            if not any(f'action="{ok}"' in action for ok in allowed_forms):
                found.append((name, action))
    assert found == []


READ_ONLY_PAGES = [name for name, _args, _params in PAGES if name not in EDIT_URL_NAMES]


@pytest.mark.parametrize("name", READ_ONLY_PAGES)
def test_a_head_request_is_answered_like_a_get(manager_client, world, name):
    """Link checkers and proxies send HEAD: a page answers it as GET does (200 for a page, 405 only for
    the POST-only import steps), without a body."""
    url = reverse(name, args=ARGS[name](world))
    get = manager_client.get(url)
    head = manager_client.head(url)
    assert head.status_code == get.status_code, url
    assert get.status_code != 405 or name in ("dataio:confirm", "dataio:cancel"), url
    assert head.content == b""
