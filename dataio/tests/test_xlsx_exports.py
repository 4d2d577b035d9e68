"""XLSX downloads are streamed: the file leaves as its rows are read from the database, inside the transaction
that the response opens when it is sent; each kind's file holds what the former (openpyxl) file held."""
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from dataio.exporters import export_response, headers_for, iter_rows
from dataio.kinds import KINDS
from dataio.services import import_file
from establishments.models import Establishment, Sector
from kontum_cp.tests.test_xlsx_stream import cells, openpyxl_xlsx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_gives_the_cells_of_the_former_file_and_reimports_unchanged(sample_data, kind):
    response = export_response(kind, None, "xlsx")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{kind}.xlsx"'
    content = response.getvalue()
    former = openpyxl_xlsx([("data", [headers_for(kind)] + list(iter_rows(kind)))])
    for read_only in (True, False):
        assert cells(content, read_only) == cells(former, read_only)
    result = import_file(kind=kind, file_name="export.xlsx", data=content)
    assert result.ok and result.all_unchanged, (result.errors, result.counts)


def test_the_first_piece_leaves_while_the_rows_are_still_being_read(db):
    Establishment.objects.bulk_create([Establishment(code=f"KT-{i:05d}", name=f"Cơ sở {i}") for i in range(2500)])
    depth = len(connection.atomic_blocks)
    response = export_response("establishments", None, "xlsx")
    assert len(connection.atomic_blocks) == depth  # nothing read yet: the view has returned
    chunks = iter(response.streaming_content)
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04")
    assert len(connection.atomic_blocks) == depth + 1  # the rows' transaction is open: not all rows read yet
    content = first + b"".join(chunks)
    assert len(connection.atomic_blocks) == depth
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    assert sum(1 for _ in sheet.iter_rows(min_row=2)) == 2500


def test_an_empty_export_holds_the_header(db):
    content = export_response("establishments", Establishment.objects.none(), "xlsx").getvalue()
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.max_row == 1 and [c.value for c in sheet[1]] == headers_for("establishments")
    assert sheet["A1"].font.b


def test_control_characters_are_left_out_of_the_xlsx_and_kept_in_the_csv(db):
    Establishment.objects.create(code="KT-0001", name="Nhà\x0bmáy\x01 A", sector=Sector.objects.get(code="other"))
    sheet = load_workbook(io.BytesIO(export_response("establishments", None, "xlsx").getvalue())).active
    assert sheet["B2"].value == "Nhàmáy A"
    assert "Nhà\x0bmáy\x01 A" in export_response("establishments", None, "csv").getvalue().decode("utf-8")


def test_a_list_export_downloads_over_http(entry_client, sample_data):
    """Through the test client, as a browser would: the view returns, then the file is read."""
    response = entry_client.get(reverse("establishments:list"), {"export": "xlsx", "q": "KT"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="establishments-')
    book = load_workbook(io.BytesIO(response.getvalue()))
    rows = list(book.active.iter_rows(values_only=True))
    assert list(rows[0]) == headers_for("establishments")
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"KT-0001", "KT-0002"}
    assert by_code["KT-0001"][1] == "Nhà máy tinh bột sắn Đắk Tô"
    technical = rows[0].index("technical_staff")
    assert by_code["KT-0001"][technical] == 5 and isinstance(by_code["KT-0001"][technical], int)
