"""Error pages (400, 403, 404, 500, CSRF failure): inside the portal's layout, in the user's language,
with a way back. Tests run with DEBUG off, as in production, so Django shows these pages."""
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kontum_cp import views

pytestmark = pytest.mark.django_db

FORBIDDEN = "You cannot open this page"
NOT_FOUND = "Page not found"
SERVER_ERROR = "An error occurred on the server"
BAD_REQUEST = "The request is not valid"
FORM_EXPIRED = "The form has expired"
HOME_LINK = "Go to the home page"
BACK_LINK = "Back to the previous page"


def vi(text):
    with translation.override("vi"):
        return gettext(text)


def _page(response):
    return html.unescape(response.content.decode())


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def _has_home_link(page, label):
    return f'href="/" id="error-home">{label}</a>' in page


def test_manager_refused_an_edit_page_gets_the_portal_page_in_vietnamese(manager_client):
    response = manager_client.get(reverse("training:event_create"))
    assert response.status_code == 403
    page = _page(response)
    assert '<html lang="vi">' in page
    assert f"<h1 id=\"error-title\">{vi(FORBIDDEN)}</h1>" in page
    assert 'class="mainnav"' in page and vi("Main navigation") in page  # the layout, with the menus
    assert vi("Manager") in page
    assert _has_home_link(page, vi(HOME_LINK))
    assert 'id="error-back"' not in page  # no previous page known


def test_manager_refused_an_edit_page_in_english_with_a_way_back(manager_client):
    came_from = reverse("training:event_list") + "?year=2018"
    response = _english(manager_client).get(
        reverse("training:event_create"), HTTP_REFERER=f"http://testserver{came_from}")
    assert response.status_code == 403
    page = _page(response)
    assert '<html lang="en">' in page and f"<h1 id=\"error-title\">{FORBIDDEN}</h1>" in page
    assert "You are signed in with the role Manager." in page
    assert f'href="{came_from}" id="error-back">{BACK_LINK}</a>' in page
    assert _has_home_link(page, HOME_LINK)


def test_refused_post_gets_the_same_page(manager_client):
    response = manager_client.post(reverse("training:event_list"))
    assert response.status_code == 403
    assert vi(FORBIDDEN) in _page(response)


@pytest.mark.parametrize("referer", [
    "http://elsewhere.example/training/",  # another site: no link off the portal
    "http://testserver//elsewhere.example/x",  # a path that a browser reads as another site
    "not a URL",
])
def test_previous_page_link_only_for_a_page_of_this_site(manager_client, referer):
    page = _page(manager_client.get(reverse("training:event_create"), HTTP_REFERER=referer))
    assert 'id="error-back"' not in page


def test_unknown_address_is_404_in_vietnamese_and_in_english(entry_client):
    response = entry_client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = _page(response)
    assert '<html lang="vi">' in page and vi(NOT_FOUND) in page
    assert "<code>/khong-co-trang-nay/</code>" in page
    assert 'class="mainnav"' in page and _has_home_link(page, vi(HOME_LINK))

    response = _english(entry_client).get("/no-such-page/")
    assert response.status_code == 404
    page = _page(response)
    assert '<html lang="en">' in page and f"<h1 id=\"error-title\">{NOT_FOUND}</h1>" in page
    assert _has_home_link(page, HOME_LINK)


def test_unknown_record_is_404_without_the_developer_message(entry_client):
    response = _english(entry_client).get(reverse("training:event_detail", args=["KHONG-CO"]))
    assert response.status_code == 404
    page = _page(response)
    assert NOT_FOUND in page and "No Event matches" not in page


def test_404_signed_out_has_the_layout_without_menus(client):
    response = _english(client).get("/no-such-page/")
    assert response.status_code == 404
    page = _page(response)
    assert NOT_FOUND in page and 'class="topbar"' in page and 'class="mainnav"' not in page


@pytest.mark.urls("kontum_cp.tests.urls_errors")
def test_failing_view_gives_the_500_page_in_the_users_language(entry_client):
    entry_client.raise_request_exception = False
    response = entry_client.get("/test-broken/")
    assert response.status_code == 500
    page = _page(response)
    assert '<html lang="vi">' in page and f"<h1 id=\"error-title\">{vi(SERVER_ERROR)}</h1>" in page
    assert 'href="/static/css/portal.css"' in page  # styled like the rest of the portal
    assert _has_home_link(page, vi(HOME_LINK))

    response = _english(entry_client).get("/test-broken/", HTTP_REFERER="http://testserver/training/")
    assert response.status_code == 500
    page = _page(response)
    assert '<html lang="en">' in page and SERVER_ERROR in page
    assert f'href="/training/" id="error-back">{BACK_LINK}</a>' in page


def test_500_page_needs_no_database_and_no_context_processors(rf, django_assert_num_queries):
    request = rf.get("/somewhere/")
    request.COOKIES["django_language"] = "en"
    with django_assert_num_queries(0):
        response = views.server_error(request)
    assert response.status_code == 500
    page = _page(response)
    assert SERVER_ERROR in page and 'class="mainnav"' not in page


def test_500_page_falls_back_to_a_bare_page_when_the_layout_fails(rf, settings):
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [], "APP_DIRS": False}]
    response = views.server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"<h1>500</h1>" in response.content


def test_host_not_allowed_gives_the_400_page(client):
    client.raise_request_exception = False
    response = client.get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400
    assert vi(BAD_REQUEST) in _page(response)


@pytest.mark.parametrize("failure_view", ["kontum_cp.views.csrf_failure", "django.views.csrf.csrf_failure"])
def test_form_sent_without_its_security_code(settings, failure_view):
    # kontum_cp.views.csrf_failure (CSRF_FAILURE_VIEW) adds the way back; Django's own view shows the same page.
    settings.CSRF_FAILURE_VIEW = failure_view
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"},
                           HTTP_REFERER="http://testserver/accounts/login/?next=/training/")
    assert response.status_code == 403
    page = _page(response)
    assert '<html lang="vi">' in page and vi(FORM_EXPIRED) in page
    assert _has_home_link(page, vi(HOME_LINK))
    has_back = 'href="/accounts/login/?next=/training/" id="error-back"' in page
    assert has_back is (failure_view == "kontum_cp.views.csrf_failure")
