"""The browser flow over HTTP: upload → preview → confirm, rights, limits, downloads."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dataio.models import ImportRecord
from dataio.tests.conftest import csv_bytes, xlsx_bytes
from training.models import StaffHeadcount

pytestmark = pytest.mark.django_db

HEAD = ["year", "category", "headcount"]


def upload(client, rows=None, name="h.csv", data=None, kind="headcounts"):
    data = csv_bytes(rows) if data is None else data
    return client.post(reverse("dataio:upload"), {"kind": kind, "file": SimpleUploadedFile(name, data)})


def test_manager_gets_403_on_upload_but_may_export(manager_client):
    assert upload(manager_client, [HEAD, ["2018", "gov_staff", "4"]]).status_code == 403
    assert manager_client.get(reverse("dataio:upload")).status_code == 403
    page = manager_client.get(reverse("dataio:index"))
    assert page.status_code == 200 and b'name="file"' not in page.content
    assert manager_client.get(reverse("dataio:export", args=["headcounts", "csv"])).status_code == 200
    assert StaffHeadcount.objects.count() == 0


def test_upload_preview_confirm(entry_client):
    response = upload(entry_client, [HEAD, ["2018", "gov_staff", "45"], ["2018", "cp_staff", "6"]])
    assert response.status_code == 302
    preview = entry_client.get(response["Location"])
    assert preview.status_code == 200
    assert preview.context["created"] == 2 and not preview.context["errors"]
    assert preview.context["result"].columns == [("A", "year", "year"), ("B", "category", "category"),
                                                 ("C", "headcount", "headcount")]
    assert StaffHeadcount.objects.count() == 0  # nothing written before the confirmation
    confirm_url = reverse("dataio:confirm", args=[preview.context["token"]])
    done = entry_client.post(confirm_url)
    assert done.status_code == 302 and done["Location"] == reverse("dataio:history")
    assert StaffHeadcount.objects.count() == 2
    record = ImportRecord.objects.get()
    assert (record.user.username, record.created, record.source) == ("entry", 2, "web")
    history = StaffHeadcount.history.order_by("history_id")
    assert [(h.history_type, h.history_user.username) for h in history] == [("+", "entry"), ("+", "entry")]
    assert "h.csv" in history[0].history_change_reason
    assert entry_client.post(confirm_url).status_code == 302  # the upload is gone: back to the index
    assert StaffHeadcount.objects.count() == 2
    history = entry_client.get(reverse("dataio:history"))
    assert b"h.csv" in history.content


def test_preview_lists_every_error_in_vietnamese(client, data_entry_user):
    client.force_login(data_entry_user)
    response = upload(client, [HEAD, ["2018", "gov_staff", "45"], ["1980", "gov_staff", "-4"]])
    preview = client.get(response["Location"])  # the default language is Vietnamese
    errors = preview.context["errors"]
    assert [(e.row, e.column, e.letter) for e in errors] == [(3, "year", "A"), (3, "headcount", "C")]
    html = preview.content.decode()
    assert b"confirm/" not in preview.content  # no import button when there are errors
    from django.utils import translation

    from kontum_cp.models import YEAR_MESSAGE

    with translation.override("vi"):
        year_message = str(YEAR_MESSAGE)
    assert year_message != "The year must be between 1990 and 2100."  # translated
    assert errors[0].message == year_message and year_message in html
    assert "1980" in html


def test_confirm_revalidates(entry_client):
    response = upload(entry_client, [HEAD, ["2018", "gov_staff", "45"]])
    token = entry_client.get(response["Location"]).context["token"]
    # Meanwhile somebody imports the same key: the confirmation sees an update, not a duplicate.
    StaffHeadcount.objects.create(year=2018, category="gov_staff", headcount=40)
    entry_client.post(reverse("dataio:confirm", args=[token]))
    assert StaffHeadcount.objects.get().headcount == 45


def test_another_session_cannot_use_the_token(entry_client, client, admin_user_role):
    response = upload(entry_client, [HEAD, ["2018", "gov_staff", "45"]])
    token = entry_client.get(response["Location"]).context["token"]
    from django.test import Client

    other = Client()
    other.force_login(admin_user_role)
    assert other.post(reverse("dataio:confirm", args=[token])).status_code == 302
    assert StaffHeadcount.objects.count() == 0


@pytest.mark.parametrize("name,data,message", [
    ("h.csv", b"", "empty"),
    ("h.pdf", b"%PDF", ".csv and .xlsx"),
    ("h.xls", b"\xd0\xcf\x11\xe0", ".xls"),
])
def test_bad_files_get_a_clear_message(entry_client, name, data, message, settings):
    settings.LANGUAGE_CODE = "en"
    entry_client.cookies["django_language"] = "en"
    response = upload(entry_client, name=name, data=data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_broken_xlsx_and_non_utf8_csv_are_reported_not_500(entry_client):
    entry_client.cookies["django_language"] = "en"
    for name, data in (("h.xlsx", b"PK\x03\x04broken"), ("h.csv", "năm".encode("utf-16"))):
        preview = entry_client.get(upload(entry_client, name=name, data=data)["Location"])
        assert preview.status_code == 200 and preview.context["errors"]


def test_size_cap(entry_client, settings):
    settings.IMPORT_MAX_BYTES = 50
    entry_client.cookies["django_language"] = "en"
    response = upload(entry_client, [HEAD] + [["2018", "gov_staff", "45"]] * 10)
    assert response.status_code == 400 and "too large" in response.content.decode()


def test_xlsx_upload(entry_client):
    response = upload(entry_client, name="h.xlsx", data=xlsx_bytes([HEAD, [2018, "gov_staff", 45]]))
    preview = entry_client.get(response["Location"])
    assert preview.context["created"] == 1


def test_templates_and_exports_download(entry_client, sample_data):
    for kind in ("establishments", "reports", "measures", "assistance", "attendance", "headcounts"):
        xlsx = entry_client.get(reverse("dataio:template", args=[kind, "xlsx"]))
        assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["data", "notes"]
        assert entry_client.get(reverse("dataio:template", args=[kind, "csv"])).status_code == 200
        exported = entry_client.get(reverse("dataio:export", args=[kind, "csv"]))
        assert exported.status_code == 200 and exported.getvalue().startswith("\ufeff".encode())
    filtered = entry_client.get(reverse("dataio:export", args=["reports", "csv"]) + "?establishment=KT-0002")
    lines = filtered.getvalue().decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("KT-0002,2017")
    assert entry_client.get(reverse("dataio:export", args=["nothing", "csv"])).status_code == 404
    assert entry_client.get(reverse("dataio:export", args=["reports", "pdf"])).status_code == 404


def test_index_shows_columns_in_both_languages(entry_client):
    page = entry_client.get(reverse("dataio:index")).content.decode()
    assert "Mã cơ sở" in page and "establishment_code" in page and 'name="file"' in page


def test_navigation_shows_import_export(entry_client):
    page = entry_client.get(reverse("dataio:index")).content.decode()
    assert reverse("dataio:index") in page and "Nhập/Xuất dữ liệu" in page


def test_error_report_download_and_cancel(entry_client):
    response = upload(entry_client, [HEAD, ["2018", "gov_staff", "=1+1"]])
    token = entry_client.get(response["Location"]).context["token"]
    report = entry_client.get(reverse("dataio:preview_errors", args=[token]))
    lines = report.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("2,") and "'=1+1" in lines[1]  # neutralised there too
    assert entry_client.post(reverse("dataio:cancel", args=[token])).status_code == 302
    assert entry_client.get(reverse("dataio:preview", args=[token])).status_code == 302  # gone
    assert ImportRecord.objects.count() == 0  # previews are not recorded
