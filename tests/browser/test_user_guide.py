import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guide_from_the_footer_with_its_screenshots(page, live_server, login, manager_user):
    login("manager", "pw-manager-123")
    page.click("footer a")
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Hướng dẫn sử dụng Cổng theo dõi sản xuất sạch hơn"
    images = page.locator("article.guide img")
    assert images.count() >= 5
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete", arg=image.element_handle())
        assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")
    # The table of contents jumps to its section.
    page.locator("nav.guide-toc a").last.click()
    assert page.url.endswith("#" + page.locator("article.guide h2").last.get_attribute("id"))
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Cleaner Production Portal — user guide"
