import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_shows_home_and_language_switch(page, live_server, login, data_entry_user, official_data):
    login("entry", "pw-entry-123")
    assert page.locator(".brand__org").inner_text() == "Sở Công Thương tỉnh Quảng Ngãi"  # today's Department
    assert page.locator("html").get_attribute("lang") == "vi"
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Cleaner production in industry"
    assert page.locator(".brand__org").inner_text() == "Quang Ngai Department of Industry and Trade"
    assert "835/QĐ-UBND" in page.content()
    page.click("button[name=language][value=vi]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"


def test_wrong_password_is_refused(page, live_server, login, data_entry_user):
    login("entry", "wrong")
    assert "/accounts/login/" in page.url
    assert page.locator(".error-summary").is_visible()
