"""The `registry` import kind: per year, whether the registry of establishments is confirmed complete."""
import pytest
from django.core.management import call_command

from dataio.exporters import csv_bytes, export_rows
from dataio.services import import_file
from establishments.models import RegistryCoverage
from tests import factories

from .conftest import csv_bytes as rows_csv

pytestmark = pytest.mark.django_db

HEAD = ["year", "complete", "note"]


def run(rows, user=None, dry_run=False):
    return import_file(kind="registry", file_name="registry.csv", data=rows_csv(rows), user=user, dry_run=dry_run)


def errors_at(result):
    return {(e.row, e.column) for e in result.errors}


@pytest.fixture
def admin(db):
    return factories.user("registry-admin", "Administrator")


def test_complete_changing_to_yes_records_the_importing_user_and_the_time(admin):
    result = run([HEAD, ["2017", "có", "Đã rà soát"], ["2018", "no", "Chỉ 7 doanh nghiệp"]], user=admin)
    assert result.ok, result.errors
    assert result.counts["created"] == 2
    y2017, y2018 = RegistryCoverage.objects.order_by("year")
    assert (y2017.complete, y2017.note, y2017.confirmed_by) == (True, "Đã rà soát", admin)
    assert y2017.confirmed_at is not None
    assert (y2018.complete, y2018.confirmed_by, y2018.confirmed_at) == (False, None, None)
    assert y2017.history.get().history_user_id == admin.pk  # one history row each, with who imported it
    # The same file again changes nothing, the confirmation included.
    first_at = y2017.confirmed_at
    again = run([HEAD, ["2017", "yes", "Đã rà soát"], ["2018", "không", "Chỉ 7 doanh nghiệp"]], user=admin)
    assert again.all_unchanged
    assert RegistryCoverage.objects.get(year=2017).confirmed_at == first_at


def test_confirming_a_year_later_stamps_it_and_withdrawing_clears_it(admin):
    RegistryCoverage.objects.create(year=2018, complete=False, note="")
    result = run([HEAD, ["2018", "1", ""]], user=admin)
    assert result.ok and result.counts["updated"] == 1
    row = RegistryCoverage.objects.get(year=2018)
    assert row.complete and row.confirmed_by == admin and row.confirmed_at is not None
    assert run([HEAD, ["2018", "false", "Thiếu cơ sở ở Ia H'Drai"]], user=admin).ok
    row.refresh_from_db()
    assert (row.complete, row.confirmed_by, row.confirmed_at, row.note) == (
        False, None, None, "Thiếu cơ sở ở Ia H'Drai")


def test_errors_at_their_row_and_column(admin):
    result = run([HEAD, ["1800", "yes", ""], ["2018", "perhaps", ""], ["2019", "yes", ""], ["2019", "no", ""],
                  ["", "yes", ""]], user=admin)
    assert errors_at(result) == {(2, "year"), (3, "complete"), (5, "year"), (6, "year")}
    messages = {e.row: e.message for e in result.errors}
    assert messages[2] == "The year must be between 1990 and 2100."
    assert messages[3] == "Write yes or no (có / không)."
    assert "row 4" in messages[5]
    assert RegistryCoverage.objects.count() == 0  # all or nothing


def test_a_missing_complete_column_is_refused(admin):
    assert errors_at(run([["year", "note"], ["2018", "x"]], user=admin)) == {(1, "complete")}


def test_only_administrators_import_it(data_entry_user, manager_user):
    for user in (data_entry_user, manager_user):
        result = run([HEAD, ["2018", "yes", ""]], user=user)
        assert not result.ok and "Only administrators" in result.errors[0].message
    assert not RegistryCoverage.objects.exists()


def test_export_in_the_import_columns_and_round_trip(admin):
    factories.registry_coverage(2016, complete=True, note="Đủ")
    factories.registry_coverage(2018, complete=False, note="+7 doanh nghiệp")
    frame = export_rows("registry")
    assert list(frame.columns) == HEAD
    assert frame.values.tolist() == [[2016, "yes", "Đủ"], [2018, "no", "'+7 doanh nghiệp"]]
    vi = export_rows("registry", headers="vi")
    assert list(vi.columns) == ["Năm", "Danh sách cơ sở đầy đủ", "Ghi chú"]
    before = list(RegistryCoverage.objects.order_by("year").values())
    result = import_file(kind="registry", file_name="r.csv", data=csv_bytes(frame), user=admin)
    assert result.ok and result.all_unchanged
    assert list(RegistryCoverage.objects.order_by("year").values()) == before


def test_export_data_and_import_data_commands(admin, tmp_path):
    factories.registry_coverage(2017, complete=True, note="Đủ")
    path = tmp_path / "registry.xlsx"
    call_command("export_data", "registry", str(path))
    RegistryCoverage.objects.all().delete()
    call_command("import_data", "registry", str(path))
    row = RegistryCoverage.objects.get()
    assert (row.year, row.complete, row.note, row.confirmed_by) == (2017, True, "Đủ", None)  # no user: a command
    assert row.confirmed_at is not None


def test_data_entry_cannot_upload_it_in_the_browser(entry_client, admin_user_role):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    entry_client.cookies["django_language"] = "en"
    # Not offered in the menu to data entry; offered to administrators.
    assert 'value="registry"' not in entry_client.get(reverse("dataio:index")).content.decode()
    admin = Client()
    admin.force_login(admin_user_role)
    assert 'value="registry"' in admin.get(reverse("dataio:index")).content.decode()
    response = entry_client.post(reverse("dataio:upload"), {
        "kind": "registry", "file": SimpleUploadedFile("registry.csv", rows_csv([HEAD, ["2018", "yes", ""]]))})
    assert response.status_code == 400
    assert "Only administrators may import Registry coverage." in response.content.decode()
    assert not RegistryCoverage.objects.exists()


def test_an_administrator_uploads_previews_and_confirms_it(admin_client_role, admin_user_role):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    response = admin_client_role.post(reverse("dataio:upload"), {
        "kind": "registry", "file": SimpleUploadedFile("registry.csv", rows_csv([HEAD, ["2018", "có", "Đủ"]]))})
    assert response.status_code == 302
    token = response.url.rstrip("/").split("/")[-1]
    assert admin_client_role.get(response.url).status_code == 200
    assert admin_client_role.post(reverse("dataio:confirm", args=[token])).status_code == 302
    row = RegistryCoverage.objects.get()
    assert (row.year, row.complete, row.note, row.confirmed_by) == (2018, True, "Đủ", admin_user_role)
