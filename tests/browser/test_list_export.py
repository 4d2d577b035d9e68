"""Export from a list page in a real browser: filter, click the export link, import the download unchanged."""
import io

import pytest
from openpyxl import load_workbook

from dataio.services import import_file
from establishments.models import Establishment, Sector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_exports_the_filtered_list(login, live_server, manager_user):
    tapioca = Sector.objects.get(code="tapioca_starch")
    Establishment.objects.create(code="KT-0001", name="Nhà máy tinh bột sắn Đắk Tô", sector=tapioca)
    Establishment.objects.create(code="KT-0002", name="Hợp tác xã Vạn Thành")
    Establishment.objects.create(code="KT-0003", name="=1+1", sector=tapioca)
    page = login("manager", "pw-manager-123")
    page.goto(f"{live_server.url}/establishments/")
    page.select_option("#id_sector", "tapioca_starch")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    with page.expect_download() as info:
        page.click(".export-links a:has-text('XLSX')")
    download = info.value
    assert download.suggested_filename.startswith("establishments-")
    assert download.suggested_filename.endswith(".xlsx")
    content = open(download.path(), "rb").read()
    rows = list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    assert [r[:2] for r in rows[1:]] == [("KT-0001", "Nhà máy tinh bột sắn Đắk Tô"), ("KT-0003", "'=1+1")]
    result = import_file(kind="establishments", file_name=download.suggested_filename, data=content)
    assert result.ok and result.all_unchanged, (result.errors, result.counts)
