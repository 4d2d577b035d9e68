"""Every URL of the portal, walked from the URL configuration: a POST from a manager is
refused with 403 and changes nothing; an anonymous POST is sent to sign in and changes nothing.

A new page is caught here too: the walk fails until the page is listed in the URL table
(tests/url_table.py), with its arguments and who may read and post.
"""
import re

import pytest
from django.apps import apps
from django.urls import reverse

from tests.url_table import BY_NAME, FORMS, PROGRAMME, urlconf_names

pytestmark = pytest.mark.django_db


URL_NAMES = urlconf_names()


def test_every_url_is_walked():
    assert [name for name in URL_NAMES if name not in BY_NAME] == []
    # Every URL of the table is one of the URLconf's, and a programme page unless marked otherwise.
    assert sorted(BY_NAME) == URL_NAMES
    assert {page.name for page in BY_NAME.values() if page.outside} == {
        "login", "logout", "set_language", "healthz", "password_change", "password_change_done"}


def _history_rows():
    return sum(model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


def _refused_post(client, world, page):
    """POST the page's valid form data (or anything) and check that nothing changed."""
    before = _history_rows()
    response = client.post(page.url(world), page.form(world) if page.form else {"anything": "1"})
    assert _history_rows() == before, page.name
    assert not (page.saved and page.saved(world)), page.name
    return response


@pytest.mark.parametrize("page", PROGRAMME, ids=[page.name for page in PROGRAMME])
def test_a_manager_post_is_refused_and_changes_nothing(manager_client, world, page):
    assert _refused_post(manager_client, world, page).status_code == 403, page.name


@pytest.mark.parametrize("page", PROGRAMME, ids=[page.name for page in PROGRAMME])
def test_an_anonymous_post_is_sent_to_sign_in(client, world, page):
    response = _refused_post(client, world, page)
    assert response.status_code == 302, page.name
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_a_manager_finds_no_edit_control_on_any_page(manager_client, world):
    # Pages that change data: a manager must find no link or form leading to them on any page.
    edit_urls = {page.url(world) for page in FORMS}
    allowed_forms = {reverse("set_language"), reverse("logout")}
    found = []
    for page in PROGRAMME:
        if page.form or not page.html:
            continue
        html = manager_client.get(page.url(world)).content.decode()
        for url in edit_urls:
            if f'href="{url}' in html or f'action="{url}' in html:
                found.append((page.name, url))
        for action in re.findall(r'<form[^>]*method="post"[^>]*>', html, flags=re.I):
            if not any(f'action="{ok}"' in action for ok in allowed_forms):
                found.append((page.name, action))
    assert found == []


READ_ONLY_PAGES = [page for page in PROGRAMME if not page.form]


@pytest.mark.parametrize("page", READ_ONLY_PAGES, ids=[page.name for page in READ_ONLY_PAGES])
def test_a_head_request_is_answered_like_a_get(manager_client, world, page):
    """Link checkers and proxies send HEAD: a page answers it as GET does (200 for a page, 405 only for
    the POST-only import steps), without a body."""
    url = page.url(world)
    get = manager_client.get(url)
    head = manager_client.head(url)
    assert head.status_code == get.status_code, url
    assert get.status_code != 405 or page.name in ("dataio:confirm", "dataio:cancel"), url
    assert head.getvalue() == b""  # getvalue: the downloads are streamed
