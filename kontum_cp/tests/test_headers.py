"""Every response carries a Permissions-Policy header that switches off the browser features no page uses."""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SWITCHED_OFF = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def _policy(response):
    return [part.strip() for part in response["Permissions-Policy"].split(",")]


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/healthz", "/no-such-page/"])
def test_anonymous_pages_and_errors_carry_the_header(client, url):
    response = client.get(url)
    assert set(SWITCHED_OFF) <= set(_policy(response)), url


def test_signed_in_pages_downloads_and_the_admin_carry_the_header(admin_client_role, official_data):
    for url in (reverse("home"), reverse("establishments:list"), "/admin/", reverse("indicators:dashboard")):
        response = admin_client_role.get(url)
        assert response.status_code == 200, url
        assert set(SWITCHED_OFF) <= set(_policy(response)), url


def test_a_refused_request_carries_it_too(client):
    response = client.get("/establishments/?q=%00")
    assert response.status_code == 400
    assert "camera=()" in _policy(response)
