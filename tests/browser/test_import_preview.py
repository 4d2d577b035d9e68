"""Import preview in a real browser: a jump of specific consumption is confirmed with a tick."""
import pytest

from establishments.models import Establishment, Sector
from indicators.models import AnnualReport
from tests.browser.helpers import assert_accessible_on_a_desk_and_a_phone, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Electricity per tonne of starch: 0.36 GJ/t in 2016, 0.90 GJ/t in 2017 (+150 %); water stays at 20 m³/t.
REPORTS_CSV = """establishment_code,year,product,product_unit,output,resource,quantity
KT-0101,2016,Tinh bột sắn,t,1000,electricity,100000
KT-0101,2016,Tinh bột sắn,t,1000,water,20000
KT-0101,2017,Tinh bột sắn,t,1000,electricity,250000
KT-0101,2017,Tinh bột sắn,t,1000,water,20000
"""


def test_large_change_is_imported_only_after_the_tick(login, live_server, data_entry_user, tmp_path):
    Establishment.objects.create(code="KT-0101", name="Nhà máy tinh bột sắn Đắk Tô",
                                 sector=Sector.objects.get(code="tapioca_starch"), cp_potential=True)
    path = tmp_path / "bao-cao-nam.csv"
    path.write_text(REPORTS_CSV, encoding="utf-8")
    page = login("entry", "pw-entry-123")
    page.click("nav.mainnav a[href='/data/']")
    page.wait_for_load_state()
    upload(page, "reports", path)

    warning = page.locator("#large-changes")
    assert warning.is_visible()
    assert "KT-0101" in warning.inner_text() and "2017" in warning.inner_text()
    assert "0,900 GJ/t" in warning.inner_text() and "0,360 GJ/t" in warning.inner_text()

    page.click("form[action$='confirm/'] button")  # without the tick
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert page.locator("#large-changes").is_visible()
    assert AnnualReport.objects.count() == 0
    assert_accessible_on_a_desk_and_a_phone(page)

    page.check("#id_confirm_large_changes")
    page.click("form[action$='confirm/'] button")
    page.wait_for_load_state()
    assert page.url.endswith("/data/history/")
    assert sorted(AnnualReport.objects.values_list("year", flat=True)) == [2016, 2017]
