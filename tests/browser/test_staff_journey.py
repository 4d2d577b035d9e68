"""A data-entry user records an establishment, two annual reports and a CP measure;
a manager then sees the same establishment without any edit control."""
import pytest

from indicators.models import ResourceType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, selector="main form.form-card button[type=submit]"):
    with page.expect_navigation():
        page.click(selector)


def fill_report(page, year, output, lines):
    page.fill("#id_year", str(year))
    page.fill("#id_product", "Tinh bột sắn")
    page.fill("#id_product_unit", "t")
    page.fill("#id_output", output)
    for i, (code, quantity) in enumerate(lines):
        page.select_option(f"#id_lines-{i}-resource_type", value=str(ResourceType.objects.get(code=code).pk))
        page.fill(f"#id_lines-{i}-quantity", quantity)
    submit(page, "#save-report")


def test_data_entry_journey_then_manager_sees_no_edit_controls(page, live_server, login, data_entry_user,
                                                              manager_user, official_data):
    login("entry", "pw-entry-123")
    page.goto(f"{live_server.url}/establishments/")
    with page.expect_navigation():
        page.click("a[href='/establishments/new/']")
    page.fill("#id_code", "KT-9001")
    page.fill("#id_name", "Nhà máy tinh bột sắn Đắk Tô")
    page.check("#id_cp_potential")
    submit(page)
    assert page.url.endswith("/establishments/KT-9001/")
    assert "KT-9001" in page.locator("h1").inner_text()

    # Report 2017: water 20000 m³ / 1000 t = 20 m³/t; electricity 200000 kWh × 0.0036 / 1000 = 0,72 GJ/t.
    with page.expect_navigation():
        page.click("a[href='/indicators/reports/KT-9001/new/']")
    fill_report(page, 2017, "1000", [("water", "20000"), ("electricity", "200000")])
    assert page.url.endswith("/indicators/reports/KT-9001/2017/")
    sc = page.locator("section[aria-labelledby=sc-title]").inner_text()
    assert "20,000" in sc and "0,720" in sc

    # Report 2018: water 16000 / 1000 = 16 m³/t → −20 %; energy 180000 × 0.0036 / 1000 = 0,648 → −10 %.
    page.goto(f"{live_server.url}/indicators/reports/KT-9001/new/")
    fill_report(page, 2018, "1000", [("water", "16000"), ("electricity", "180000")])
    sc = page.locator("section[aria-labelledby=sc-title]").inner_text()
    assert "16,000" in sc and "-20,0 %" in sc and "-10,0 %" in sc

    page.goto(f"{live_server.url}/establishments/KT-9001/")
    table = page.locator("table.consumption").inner_text()
    assert "2017" in table and "2018" in table and "-20,0 %" in table
    assert page.locator("svg.chart").count() == 1

    with page.expect_navigation():
        page.click("a[href='/establishments/KT-9001/measures/new/']")
    page.fill("#id_title", "Thu hồi biogas từ nước thải")
    page.select_option("#id_category", "onsite_recovery")
    page.select_option("#id_status", "implemented")
    page.fill("#id_year", "2018")
    submit(page)
    assert page.url.endswith("/establishments/KT-9001/")
    measures = page.locator("section[aria-labelledby=measures-title]").inner_text()
    assert "Thu hồi biogas từ nước thải" in measures

    # The manager sees everything, and no control to change it.
    with page.expect_navigation():
        page.click("header form[action='/accounts/logout/'] button")
    login("manager", "pw-manager-123")
    page.goto(f"{live_server.url}/establishments/KT-9001/")
    assert "KT-9001" in page.locator("h1").inner_text()
    assert "Thu hồi biogas từ nước thải" in page.content()
    assert "-20,0 %" in page.locator("table.consumption").inner_text()
    main = page.locator("main")
    assert main.locator("a[href*='/edit/'], a[href$='/new/'], a[href$='/close/']").count() == 0
    assert main.locator("form[method=post]").count() == 0
    page.goto(f"{live_server.url}/establishments/")
    assert page.locator("main a[href='/establishments/new/']").count() == 0
