"""Import in a real browser: upload, check, confirm."""
import pytest

from tests.browser.helpers import upload
from training.models import StaffHeadcount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_check_and_confirm(login, live_server, data_entry_user, tmp_path):
    path = tmp_path / "so-luong-can-bo.csv"
    path.write_text("Năm;Đối tượng;Số lượng\n2018;Cán bộ phụ trách SXSH;6\n2018;gov_staff;45\n", encoding="utf-8")
    page = login("entry", "pw-entry-123")
    page.goto(f"{live_server.url}/data/")
    upload(page, "headcounts", path)
    assert "so-luong-can-bo.csv" in page.inner_text("h1")
    assert StaffHeadcount.objects.count() == 0
    page.click("form[action$='confirm/'] button")
    page.wait_for_load_state()
    assert page.url.endswith("/data/history/")
    assert sorted(StaffHeadcount.objects.values_list("category", "headcount")) == [("cp_staff", 6), ("gov_staff", 45)]
