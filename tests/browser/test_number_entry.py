"""A data-entry user types an investment with Vietnamese thousands separators; the portal
keeps every digit and shows it grouped in Vietnamese, then in English after the switch."""
import pytest

from establishments.models import CPMeasure
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grouped_investment_is_saved_whole_and_shown_in_each_language(page, live_server, login,
                                                                        data_entry_user):
    f.establishment(code="KT-7001", name="Nhà máy tinh bột sắn Sa Thầy")
    login("entry", "pw-entry-123")

    with page.expect_navigation():
        page.locator("nav.mainnav").get_by_role("link", name="Cơ sở", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("link", name="KT-7001", exact=True).click()
    with page.expect_navigation():
        page.locator("section[aria-labelledby=measures-title]").get_by_role(
            "link", name="Thêm giải pháp SXSH").first.click()

    page.get_by_label("Tên giải pháp").fill("Thu hồi biogas từ nước thải")
    page.select_option("#id_category", "onsite_recovery")
    page.select_option("#id_status", "implemented")
    page.fill("#id_year", "2018")
    investment = page.get_by_label("Vốn đầu tư (đồng)")
    assert investment.get_attribute("type") == "text"
    assert investment.get_attribute("inputmode") == "numeric"
    investment.fill("350.000.000")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu giải pháp SXSH").click()

    assert page.url.endswith("/establishments/KT-7001/")
    assert CPMeasure.objects.get(establishment__code="KT-7001").investment_vnd == 350_000_000
    measures = page.locator("section[aria-labelledby=measures-title]")
    assert "350.000.000 ₫" in measures.inner_text()

    with page.expect_navigation():
        page.click("form.lang-switch button[value='en']")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/establishments/KT-7001/")
    assert "350,000,000 ₫" in page.locator("section[aria-labelledby=measures-title]").inner_text()
