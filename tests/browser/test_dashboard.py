import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_opens_dashboard_sees_cards_and_chart_and_drills_down(page, live_server, login, manager_user,
                                                                     official_data):
    login("manager", "pw-manager-123")
    page.click("nav.mainnav a[href='/indicators/dashboard/']")
    page.wait_for_load_state()
    assert page.url.startswith(f"{live_server.url}/indicators/dashboard/")
    assert page.locator(".ind-card").count() == 8
    # The report's 70 % appears as a reported value with its source.
    dissem = page.locator("article.ind-card", has=page.locator("#ind-establishments_disseminated"))
    assert "70,0 %" in dissem.inner_text()
    # A chart image that loaded, with its data table beneath.
    chart = page.locator("#chart-indicator-cp_adoption")
    img = chart.locator("img")
    assert img.get_attribute("alt")
    assert img.evaluate("el => el.complete && el.naturalWidth > 0")
    chart.locator("summary").click()
    assert chart.locator("table tbody tr").count() >= 10  # 2009 .. 2020
    # Drill down from the adoption card.
    page.click("#ind-cp_adoption a")
    page.wait_for_load_state()
    assert "/indicators/dashboard/cp_adoption/" in page.url
    assert "KT-0001" in page.locator("main").inner_text()
