"""Downloads at any size: the CSV is streamed (rows read in chunks) and holds the same rows as the records; an
XLSX beyond Excel's row limit is refused with the reason."""
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from dataio import exporters
from dataio.exporters import csv_bytes, export_response, export_rows, headers_for, write_file
from dataio.kinds import KINDS
from dataio.services import import_file
from indicators.models import AnnualReport
from kontum_cp.spreadsheets import csv_chunks, csv_document

pytestmark = pytest.mark.django_db


def reports_as_before():
    """The reports' export as it was built before it was streamed: each report by establishment code and year,
    its lines by resource code, a report without lines as one row with an empty resource."""
    rows = []
    for r in AnnualReport.objects.select_related("establishment").order_by("establishment__code", "year"):
        lines = [(ln.resource_type.code, ln.quantity) for ln in r.lines.select_related("resource_type")]
        for code, quantity in sorted(lines, key=lambda line: line[0]) or [("", None)]:
            rows.append([r.establishment.code, r.year, r.product, r.product_unit, r.output, code, quantity])
    return rows


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_streamed_csv_is_the_whole_file_and_reimports_unchanged(sample_data, kind):
    response = export_response(kind, None, "csv", f"{kind}.csv")
    assert isinstance(response, StreamingHttpResponse)
    body = response.getvalue()
    assert body == csv_bytes(export_rows(kind))
    result = import_file(kind=kind, file_name="export.csv", data=body)
    assert result.ok and result.all_unchanged, (result.errors, result.counts)
    assert result.counts["unchanged"] == len(body.decode("utf-8-sig").splitlines()) - 1


def test_the_reports_export_gives_the_rows_it_gave_before_it_was_streamed(sample_data):
    rows = export_rows("reports").values.tolist()
    assert any(row[5] == "" for row in rows)  # the sample holds a report without lines
    assert rows == reports_as_before()


def test_csv_chunks_join_to_the_document_whatever_the_chunk_size():
    header, rows = ["a", "b"], [[str(i), "x,y"] for i in range(7)]
    whole = csv_document(header, rows)
    for size in (1, 3, 7, 100):
        chunks = list(csv_chunks(header, rows, rows_per_chunk=size))
        assert b"".join(chunks) == whole
        assert len(chunks) == max(1, -(-7 // size))
    assert list(csv_chunks(header, [])) == [csv_document(header, [])]


def test_write_file_streams_csv_and_xlsx_and_counts_the_rows(sample_data, tmp_path):
    frame = export_rows("reports")
    assert write_file("reports", tmp_path / "r.csv") == len(frame)
    assert (tmp_path / "r.csv").read_bytes() == csv_bytes(frame)
    assert write_file("reports", tmp_path / "r.xlsx") == len(frame)
    sheet = load_workbook(tmp_path / "r.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == headers_for("reports") and sheet.max_row == len(frame) + 1


@pytest.mark.parametrize("kind,rows", [("reports", 3), ("measures", 4), ("attendance", 2)])
def test_an_xlsx_over_the_row_limit_is_refused_with_the_reason(sample_data, monkeypatch, kind, rows):
    monkeypatch.setattr(exporters, "XLSX_MAX_ROWS", rows)
    assert export_response(kind, None, "xlsx").status_code == 200
    monkeypatch.setattr(exporters, "XLSX_MAX_ROWS", rows - 1)
    refused = export_response(kind, None, "xlsx")
    assert refused.status_code == 400
    assert "download the CSV file" in refused.content.decode()


def test_the_list_export_of_events_counts_their_attendance_for_the_limit(entry_client, sample_data, monkeypatch):
    url = reverse("training:event_list")
    monkeypatch.setattr(exporters, "XLSX_MAX_ROWS", 1)  # one event, two attendances
    assert entry_client.get(url, {"export": "xlsx"}).status_code == 400
    assert entry_client.get(url, {"export": "csv"}).status_code == 200
    monkeypatch.setattr(exporters, "XLSX_MAX_ROWS", 2)
    workbook = load_workbook(io.BytesIO(entry_client.get(url, {"export": "xlsx"}).getvalue()))
    assert workbook.worksheets[0].max_row == 3
