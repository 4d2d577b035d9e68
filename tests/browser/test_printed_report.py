"""The printed report as a manager makes it: from the dashboard's button, printed to PDF in Chromium.

It is what the Department sends to the Provincial People's Committee: at most four A4 pages,
whatever the number of establishments; tables per establishment only in the annex.
"""
import re

import pytest
from django.core.management import call_command

from tests.browser.helpers import open_dashboard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PAGES = 4


def _pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _open_report(page, login, language="vi"):
    open_dashboard(page, login, language)
    page.click(".page-head .actions a[href*='/indicators/dashboard/report/']")
    page.wait_for_load_state("networkidle")
    return page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_report_of_the_official_data_fits_four_pages(page, login, manager_user, official_data, language):
    _open_report(page, login, language)
    text = page.locator("article.report").inner_text()
    assert ("1. Mục tiêu và kết quả thực hiện" if language == "vi" else "1. Targets and results") in text
    assert page.locator(".report-findings p").count() == page.locator(".report-summary tbody tr").count()
    assert page.locator(".report-annex").count() == 0
    assert _pages(page.pdf(format="A4")) <= MAX_PAGES


def test_report_with_many_establishments_stays_short_and_the_annex_is_a_choice(page, login, manager_user,
                                                                                official_data):
    call_command("generate_demo_data", establishments=300, seed=3, verbosity=0)
    _open_report(page, login)
    assert _pages(page.pdf(format="A4")) <= MAX_PAGES
    # The two key charts are drawn (one page of two charts).
    images = page.locator(".report-charts img")
    assert images.count() == 2
    assert all(images.nth(i).evaluate("el => el.complete && el.naturalWidth > 0") for i in range(images.count()))

    page.check("#id_annex")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "annex=1" in page.url
    assert page.locator(".report-annex tbody tr").count() > 100
    assert _pages(page.pdf(format="A4")) > MAX_PAGES
