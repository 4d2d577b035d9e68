"""The API's documentation page (Swagger UI from the portal's own static files) draws the API's operations in
Chromium under the portal's Content-Security-Policy: nothing blocked, nothing loaded from outside."""
import pytest

from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_draws_the_operations_under_the_policy(page, live_server, login, manager_user):
    messages, outside = [], []
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"page error: {error}"))
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:") else None)
    f.establishment(code="KT-DOC")
    login("manager", "pw-manager-123")
    response = page.goto(live_server.url + "/api/v1/docs/")
    assert response.status == 200
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/establishments/" in [p.replace("\u200b", "") for p in paths]
    assert [m for m in messages if "Content Security Policy" in m or "page error" in m] == []
    assert outside == []
