"""Year menus chosen as a person does: open the menu, pick a year, press the button.

A year printed through Django's number localisation reads "2.018" in Vietnamese and
"2,018" in English; sent back from a menu it is not a year, and the page silently
showed the latest year instead. These tests choose from the menus, never type a URL.
"""
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUPED_YEAR = re.compile(r"\b(19|20)\d[.,]\d{3}\b")


def _switch_language(page, code):
    page.click(f".lang-switch button[value='{code}']")
    page.wait_for_load_state()


def _pick_dashboard_year(page, year):
    page.select_option("#id_year", label=str(year))
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")


@pytest.mark.parametrize("language, heading", [
    ("vi", "tính đến năm 2016"),
    ("en", "as of 2016"),
])
def test_manager_picks_a_year_from_the_dashboard_menu(page, login, manager_user, official_data, language, heading):
    login("manager", "pw-manager-123")
    if language == "en":
        _switch_language(page, "en")
    page.click("nav.mainnav a[href='/indicators/dashboard/']")
    page.wait_for_load_state()
    values = page.locator("#id_year option").evaluate_all("opts => opts.map(o => o.value)")
    assert "2018" in values and "2016" in values
    assert all(re.fullmatch(r"\d{4}", v) for v in values), values

    _pick_dashboard_year(page, 2016)
    assert "year=2016" in page.url
    assert heading in page.locator("h1").inner_text().lower()
    assert page.locator("#id_year option:checked").inner_text() == "2016"

    _pick_dashboard_year(page, 2018)
    assert heading.replace("2016", "2018") in page.locator("h1").inner_text().lower()
    assert not GROUPED_YEAR.search(page.locator("main").inner_text())


def test_event_list_year_filter_keeps_the_chosen_year(page, login, manager_user):
    from indicators.tests import dashboard_data as d

    d.event(2016)
    d.event(2017, kind="training_course")
    login("manager", "pw-manager-123")
    page.click("nav.mainnav a[href='/training/']")
    page.wait_for_load_state()
    years = page.locator("#f-year option").evaluate_all("opts => opts.map(o => o.value).filter(Boolean)")
    assert years and all(re.fullmatch(r"\d{4}", y) for y in years), years
    assert set(years) == {"2016", "2017"}
    chosen = "2016"
    page.select_option("#f-year", value=chosen)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert f"year={chosen}" in page.url
    assert page.locator("#f-year option:checked").inner_text() == chosen
    assert page.locator("#event-count").inner_text().startswith("1 ")  # only the 2016 event
    assert not GROUPED_YEAR.search(page.locator("main").inner_text())
