"""Every page carries a Content-Security-Policy (django-csp) that allows only the portal's own scripts, styles
and images; the chart SVGs carry a stricter one of their own (no script, nothing loaded, inline styles only).

The browser test tests/browser/test_content_security_policy.py checks that no page breaks under it.
"""
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def _directives(response):
    policy = response["Content-Security-Policy"]
    parts = [part.strip().split(None, 1) for part in policy.split(";") if part.strip()]
    return {name: value for name, value in parts}


@pytest.mark.parametrize("url", ["/accounts/login/", "/healthz", "/no-such-page/"])
def test_anonymous_pages_and_errors_carry_the_policy(client, url):
    assert _directives(client.get(url)) == EXPECTED, url


def test_signed_in_pages_and_the_admin_carry_the_policy(admin_client_role, official_data):
    for url in (reverse("home"), reverse("establishments:list"), reverse("indicators:dashboard"),
                reverse("indicators:dashboard_report"), "/admin/", "/admin/establishments/establishment/"):
        response = admin_client_role.get(url)
        assert response.status_code == 200, url
        assert _directives(response) == EXPECTED, url
        # No inline script or style attribute, which the policy would block (the admin's own pages aside).
        if not url.startswith("/admin/"):
            html = response.content.decode()
            assert " onclick=" not in html and " style=" not in html and "<script>" not in html, url


def test_a_chart_svg_may_use_its_inline_styles_and_nothing_else(manager_client, official_data):
    response = manager_client.get(reverse("indicators:dashboard_chart", args=["by-place"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert _directives(response) == {**EXPECTED, "default-src": "'none'", "script-src": "'none'",
                                     "img-src": "'none'", "style-src": "'unsafe-inline'"}


def test_the_print_button_runs_no_inline_script(manager_client, official_data):
    response = manager_client.get(reverse("indicators:dashboard_report"))
    assert b'<button type="button" class="btn btn--primary" data-print>' in response.content


def test_the_permissions_policy_stays(client):
    assert "camera=()" in client.get("/accounts/login/")["Permissions-Policy"]
