"""The `places` import kind: administrative units with their parent and former units (DOMAIN.md *Places*).

Every code below is made up ("VD-…"); the reference places of the migrations (VN, 62 Kon Tum until
30/06/2025, 51 Quảng Ngãi from 01/07/2025, the districts 608–618 until 30/06/2025) are the only real ones.
"""
import datetime

import pytest
from django.core.management import call_command

from dataio.exporters import csv_bytes, export_rows, template_frame
from dataio.services import import_file
from establishments.models import Place, PlaceSuccession
from tests import factories

from .conftest import csv_bytes as rows_csv

pytestmark = pytest.mark.django_db

HEAD = ["code", "name", "name_en", "level", "parent_code", "valid_from", "valid_to", "predecessor_codes",
        "legal_basis"]
MERGER = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2025, 6, 30)


def run(rows, user=None, dry_run=False):
    return import_file(kind="places", file_name="places.csv", data=rows_csv(rows), user=user, dry_run=dry_run)


def errors_at(result):
    return {(e.row, e.column): e.message for e in result.errors}


@pytest.fixture
def admin(db):
    return factories.user("places-admin", "Administrator")


def snapshot():
    return (sorted(Place.objects.values_list("code", "name_vi", "level", "parent__code", "valid_from", "valid_to")),
            sorted(PlaceSuccession.objects.values_list("predecessor__code", "successor__code", "date",
                                                       "legal_basis")))


def test_new_communes_with_their_former_units_in_any_order(admin):
    # The child row comes before its parent's, the new commune before the old commune it succeeded.
    result = run([
        HEAD,
        ["VD-NEW", "Xã Mới (ví dụ)", "", "commune", "51", "01/07/2025", "", "615; VD-OLD", "NQ ví dụ"],
        ["VD-OLD", "Xã Cũ (ví dụ)", "", "xã / phường", "615", "", "30/06/2025", "", ""],
        ["VD-C2", "Xã Con (ví dụ)", "", "commune", "VD-P", "2025-07-01", "", "", ""],
        ["VD-P", "Đơn vị cha (ví dụ)", "", "district", "51", "2025-07-01", "", "", ""],
    ], user=admin)
    assert result.ok, result.errors
    assert result.counts == {"created": 4, "updated": 0, "unchanged": 0}
    new = Place.objects.get(code="VD-NEW")
    assert (new.parent.code, new.level, new.valid_from, new.valid_to) == ("51", "commune", MERGER, None)
    assert Place.objects.get(code="VD-OLD").parent.code == "615"
    assert Place.objects.get(code="VD-C2").parent.code == "VD-P"
    links = set(PlaceSuccession.objects.filter(successor=new).values_list("predecessor__code", "date", "legal_basis"))
    assert links == {("615", MERGER, "NQ ví dụ"), ("VD-OLD", MERGER, "NQ ví dụ")}
    assert new.history.get().history_user_id == admin.pk
    # The same file again changes nothing.
    again = run([
        HEAD,
        ["VD-NEW", "Xã Mới (ví dụ)", "", "commune", "51", "01/07/2025", "", "VD-OLD ;615", "NQ ví dụ"],
        ["VD-OLD", "Xã Cũ (ví dụ)", "", "commune", "615", "", "30/06/2025", "", ""],
    ], user=admin)
    assert again.ok and again.all_unchanged, again.errors


def test_a_place_is_updated_by_code_and_valid_from(admin):
    run([HEAD, ["VD-1", "Xã Một (ví dụ)", "", "commune", "51", "01/07/2025", "", "", ""]], user=admin)
    result = run([HEAD, ["VD-1", "Xã Một Mới (ví dụ)", "One commune", "commune", "51", "01/07/2025", "", "", ""]],
                 user=admin)
    assert result.ok and result.counts["updated"] == 1, result.errors
    place = Place.objects.get(code="VD-1")
    assert (place.name_vi, place.name_en) == ("Xã Một Mới (ví dụ)", "One commune")


def test_a_code_may_be_used_again_after_its_place_ended(admin):
    run([HEAD, ["VD-2", "Xã Hai cũ (ví dụ)", "", "commune", "615", "", "30/06/2025", "", ""]], user=admin)
    result = run([HEAD, ["VD-2", "Xã Hai mới (ví dụ)", "", "commune", "51", "01/07/2025", "", "VD-2", ""]],
                 user=admin)
    assert result.ok, result.errors
    old, new = Place.objects.filter(code="VD-2").order_by("valid_to")
    assert (new.valid_from, old.valid_to) == (MERGER, BEFORE) or (old.valid_from, new.valid_to) == (MERGER, BEFORE)
    assert PlaceSuccession.objects.filter(predecessor__valid_to=BEFORE, successor__valid_from=MERGER,
                                          predecessor__code="VD-2").count() == 1


def test_each_refusal_has_its_row_and_column_and_nothing_is_written(admin):
    before = snapshot()
    result = run([
        HEAD,
        ["VD-A", "Xã A (ví dụ)", "", "commune", "XX-NONE", "01/07/2025", "", "", ""],        # unknown parent
        ["VD-B", "Xã B (ví dụ)", "", "commune", "51", "01/07/2025", "", "XX-GONE", ""],      # unknown former unit
        ["608", "Trùng mã (ví dụ)", "", "commune", "62", "01/01/2020", "", "", ""],          # 608 valid then too
        ["VD-D", "Xã D (ví dụ)", "", "commune", "51", "01/07/2025", "30/06/2025", "", ""],   # ends before it starts
        ["VD-E", "Xã E (ví dụ)", "", "hamlet", "51", "01/07/2025", "", "", ""],              # unknown level
        ["VD-F", "Xã F (ví dụ)", "", "commune", "51", "", "", "615", ""],                    # former units, no date
        ["VD-G", "Xã G (ví dụ)", "", "commune", "51", "01/07/2025", "", "", ""],             # fine on its own
    ], user=admin)
    errors = errors_at(result)
    assert set(errors) == {(2, "parent_code"), (3, "predecessor_codes"), (4, "code"), (5, "valid_to"),
                           (6, "level"), (7, "predecessor_codes")}
    assert "Unknown parent: no place with code XX-NONE is valid on 01/07/2025" in errors[(2, "parent_code")]
    assert "Unknown former unit XX-GONE" in errors[(3, "predecessor_codes")]
    assert errors[(4, "code")] == "Another place with code 608 is valid at the same time (Kon Tum city)."
    assert errors[(5, "valid_to")] == "A place cannot end before it starts."
    assert errors[(6, "level")].startswith("Unknown value. Allowed codes: country, province")
    assert "needs its valid-from date" in errors[(7, "predecessor_codes")]
    assert snapshot() == before  # all or nothing: VD-G was not written either


def test_the_same_place_twice_and_a_code_taken_within_the_file(admin):
    # (code, name, valid from) of four communes of Quảng Ngãi (51): VD-X twice from the same day, VD-Y from
    # two days while the first is still valid.
    communes = [("VD-X", "Xã X (ví dụ)", "01/07/2025"), ("VD-X", "Xã X lần hai (ví dụ)", "01/07/2025"),
                ("VD-Y", "Xã Y (ví dụ)", "01/07/2025"), ("VD-Y", "Xã Y khác (ví dụ)", "01/08/2025")]
    result = run([HEAD] + [[code, name, "", "commune", "51", start, "", "", ""] for code, name, start in communes],
                 user=admin)
    errors = errors_at(result)
    assert "row 2" in errors[(3, "code")]
    assert (4, "code") in errors and (5, "code") in errors  # two periods of VD-Y overlap
    assert not Place.objects.filter(code__startswith="VD-").exists()


def test_a_place_cannot_be_part_of_itself(admin):
    result = run([
        HEAD,
        ["VD-P1", "Một (ví dụ)", "", "district", "VD-P2", "01/07/2025", "", "", ""],
        ["VD-P2", "Hai (ví dụ)", "", "district", "VD-P1", "01/07/2025", "", "", ""],
    ], user=admin)
    assert {column for _row, column in errors_at(result)} == {"parent_code"}
    assert not Place.objects.filter(code__startswith="VD-").exists()


def test_only_administrators_import_it(data_entry_user, manager_user):
    for user in (data_entry_user, manager_user):
        result = run([HEAD, ["VD-Z", "Xã Z (ví dụ)", "", "commune", "51", "01/07/2025", "", "", ""]], user=user)
        assert not result.ok and "Only administrators" in result.errors[0].message
    assert not Place.objects.filter(code="VD-Z").exists()


def test_export_round_trip_gives_the_same_rows(admin):
    run([HEAD,
         ["VD-OLD", "Xã Cũ (ví dụ)", "", "commune", "615", "", "30/06/2025", "", ""],
         ["VD-NEW", "Xã Mới (ví dụ)", "New commune", "commune", "51", "01/07/2025", "", "615; VD-OLD", "NQ ví dụ"]],
        user=admin)
    frame = export_rows("places")
    assert list(frame.columns) == HEAD
    rows = {row[0]: row for row in frame.values.tolist()}
    assert rows["VD-NEW"] == ["VD-NEW", "Xã Mới (ví dụ)", "New commune", "commune", "51", MERGER, None,
                              "615; VD-OLD", "NQ ví dụ"]
    assert rows["62"][4:8] == ["VN", None, BEFORE, ""]
    assert rows["51"][7:] == ["62", "Nghị quyết 202/2025/QH15"]
    before = snapshot()
    result = import_file(kind="places", file_name="p.csv", data=csv_bytes(frame), user=admin)
    assert result.ok and result.all_unchanged, result.errors
    assert snapshot() == before
    assert export_rows("places").values.tolist() == frame.values.tolist()
    # Into an empty place list the same file recreates every row and link, in one go.
    assert list(export_rows("places", headers="vi").columns)[:2] == ["Mã địa bàn", "Tên địa bàn"]


def test_export_data_and_import_data_commands(admin, tmp_path):
    run([HEAD, ["VD-CMD", "Xã Lệnh (ví dụ)", "", "commune", "51", "01/07/2025", "", "614", ""]], user=admin)
    path = tmp_path / "places.xlsx"
    call_command("export_data", "places", str(path))
    PlaceSuccession.objects.filter(successor__code="VD-CMD").delete()
    Place.objects.filter(code="VD-CMD").delete()
    call_command("import_data", "places", str(path))
    place = Place.objects.get(code="VD-CMD")
    assert (place.parent.code, place.valid_from) == ("51", MERGER)
    assert list(place.predecessor_links.values_list("predecessor__code", flat=True)) == ["614"]


def test_the_template_shows_a_made_up_example():
    vi = template_frame("places", "vi")
    row = dict(zip(vi.columns, vi.values.tolist()[0]))
    assert row["Mã địa bàn"] == "VD-001"
    assert "ví dụ, không phải dữ liệu thật" in row["Tên địa bàn"]
    assert not Place.objects.filter(code="VD-001").exists()
    # It names no real place: imported as it is, it would lie inside no territory.
    assert row["Mã địa bàn cấp trên"] == row["Mã các địa bàn trước đây"] == ""


def test_offered_to_administrators_only_on_the_import_page(entry_client, admin_user_role):
    from django.test import Client
    from django.urls import reverse

    assert 'value="places"' not in entry_client.get(reverse("dataio:index")).content.decode()
    admin = Client()
    admin.force_login(admin_user_role)
    assert 'value="places"' in admin.get(reverse("dataio:index")).content.decode()


def test_former_unit_codes_may_be_separated_by_commas():
    from dataio.importers import split_codes

    assert split_codes("615, VD-OLD;VD-2 ;") == ["615", "VD-OLD", "VD-2"]
