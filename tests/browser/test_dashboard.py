import pytest

from tests.browser.helpers import open_dashboard

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
    # The drill-down's search keeps the rows of one establishment, on the same plan and year.
    rows = page.locator("#adoption-title ~ .table-wrap tbody tr")
    assert rows.count() > 1
    page.fill("#drill-q", "KT-0001")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert "q=KT-0001" in page.url and "plan=" in page.url and "year=" in page.url
    assert rows.count() == 1 and "KT-0001" in rows.first.inner_text()


def _open_dashboard(page, login, language="vi"):
    open_dashboard(page, login, language, load_state="networkidle")
    return page.locator("#chart-indicator-cp_adoption")


def test_charts_follow_the_language_switch(page, live_server, login, manager_user, official_data):
    chart = _open_dashboard(page, login)
    vietnamese = chart.locator("img").get_attribute("src")
    page.click(".lang-switch button[value='en']")
    page.wait_for_load_state("networkidle")
    english = chart.locator("img").get_attribute("src")
    assert english != vietnamese  # a new URL: the browser cannot show the Vietnamese drawing it cached
    assert chart.locator("img").evaluate("el => el.complete && el.naturalWidth > 0")
    svg = page.request.get(live_server.url + english).text()
    assert "Establishments applying CP" in svg and "Cơ sở áp dụng SXSH" not in svg


@pytest.mark.parametrize("language", ["vi", "en"])
def test_on_a_phone_each_chart_gives_way_to_its_table_in_readable_text(page, login, manager_user, official_data,
                                                                      language):
    page.set_viewport_size({"width": 390, "height": 844})
    chart = _open_dashboard(page, login, language)
    assert not chart.locator("img").is_visible()  # its text would be about 8 px wide on this screen
    assert chart.locator("caption").is_visible()  # the chart's title
    assert chart.locator("tbody tr").first.is_visible()
    assert chart.locator("a.chart__full").is_visible()  # the drawing at full size, to zoom
    small_text = 14  # px: the page's small text (.875rem)
    sizes = chart.locator("caption, th, td").evaluate_all(
        "cells => cells.map(c => parseFloat(getComputedStyle(c).fontSize))")
    assert min(sizes) >= small_text
    # The table fits the phone's width, without scrolling sideways.
    assert chart.locator(".table-wrap").evaluate("el => el.scrollWidth <= el.clientWidth + 1")
    # A printed page keeps its charts whatever the width of the screen.
    page.emulate_media(media="print")
    assert chart.locator("img").is_visible()


def test_on_a_wide_screen_the_chart_is_shown_and_its_table_folded(page, login, manager_user, official_data):
    page.set_viewport_size({"width": 1366, "height": 768})
    chart = _open_dashboard(page, login)
    assert chart.locator("img").is_visible()
    assert not chart.locator("tbody tr").first.is_visible()
    assert not chart.locator("a.chart__full").is_visible()


def test_figures_being_computed_reload_by_themselves_into_the_dashboard(page, live_server, login, manager_user,
                                                                       official_data, settings):
    """A manager who opens the dashboard while its figures are still being computed (a long engine run at
    100,000 establishments, held back here by the computation's own lock) sees the "being brought up to
    date" page, which reloads itself into the dashboard once they are computed (indicators/pending.py)."""
    import zlib

    from establishments.models import Establishment
    from indicators import dashboard_cache, pending
    from indicators.charts import data_fingerprint
    from indicators.selectors import default_plan

    settings.DASHBOARD_FIGURES_WAIT = 0
    login("manager", "pw-manager-123")        # the home page had the figures computed
    pending.wait_all(30)
    Establishment.objects.create(code="KT-NEW", name="Cơ sở mới", cp_potential=True)  # new data, none yet
    key = dashboard_cache._years_key(default_plan().pk, data_fingerprint())
    with dashboard_cache._LOCKS[zlib.crc32(key.encode()) % len(dashboard_cache._LOCKS)]:
        page.click("nav.mainnav a[href='/indicators/dashboard/']")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Số liệu đang được cập nhật"
        assert page.locator(".ind-card").count() == 0
    page.wait_for_selector(".ind-card", timeout=15_000)       # reloaded by itself (every 3 s)
    assert page.locator(".ind-card").count() == 8
    page.wait_for_load_state("networkidle")                   # its charts too, before the server stops
    pending.wait_all(30)
