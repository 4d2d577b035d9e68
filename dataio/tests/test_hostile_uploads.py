"""Hostile files (issue 10): a zip bomb .xlsx and a CSV of a million rows are refused with a message
naming the limit, by a process that stays under 300 MB; the preview and the confirmation do not read
the file again.

Each hostile file is read in a child process under a 1.5 GiB address-space limit (so a regression
fails the test instead of exhausting the shared machine); the child reports its own peak RSS (VmHWM).
"""
import io
import json
import os
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from dataio import parsing, uploads
from dataio.tests.conftest import csv_bytes, xlsx_bytes
from training.models import StaffHeadcount

MAX_RSS_MB = 300
CHILD = r"""
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 ** 2, 1536 * 1024 ** 2))
import django
django.setup()
from pathlib import Path
from django.utils import translation
from dataio.services import import_file, read_upload
path = Path(sys.argv[1])
with translation.override("en"), path.open("rb") as fh:
    if sys.argv[2] == "import":  # a dry run, as manage.py import_data --dry-run
        result = import_file(kind="headcounts", file_name=path.name, data=fh, size=path.stat().st_size,
                             dry_run=True, record=False)
        errors, rows = [i.message for i in result.errors], result.rows
    else:  # only reading, as the upload does
        table, problem = read_upload(path.name, fh, size=path.stat().st_size)
        errors, rows = [problem] if problem else [], len(table.rows) if table else 0
# The peak RSS of this process since its exec (VmHWM). getrusage's ru_maxrss would also count the parent's
# RSS at the fork (Linux keeps it across exec), i.e. the size of the pytest process that started this one.
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({"errors": errors, "rows": rows, "max_rss_mb": peak_kb / 1024}))
"""


def read_in_child(path, tmp_path, mode="import", **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "kontum_cp.settings", "DEBUG": "True",
                   "SECRET_KEY": "test-only", "DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}",
                   "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", **env}
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], cwd=settings.BASE_DIR, env=environment,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def zip_bomb(path, sheet_mib):
    """A real workbook whose sheet XML is `sheet_mib` MiB of repeated rows (compresses about 1000 times)."""
    template = xlsx_bytes([["year", "category", "headcount"]])
    row = b'<row><c t="inlineStr"><is><t>2018</t></is></c><c t="inlineStr"><is><t>gov_staff</t></is></c>' \
          b'<c><v>45</v></c></row>'
    block = row * (1024 * 1024 // len(row))
    with zipfile.ZipFile(io.BytesIO(template)) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, src.read(info.filename))
                continue
            member = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
            member.compress_type = zipfile.ZIP_DEFLATED
            with out.open(member, "w", force_zip64=True) as sheet:
                sheet.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                            b'<sheetData><row><c t="inlineStr"><is><t>year</t></is></c><c t="inlineStr"><is>'
                            b'<t>category</t></is></c><c t="inlineStr"><is><t>headcount</t></is></c></row>')
                for _ in range(sheet_mib):
                    sheet.write(block)
                sheet.write(b"</sheetData></worksheet>")
    return path


def long_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("year,category,headcount\r\n")
        for n in range(rows):
            out.write(f"{2000 + n % 30},gov_staff,{n % 1000}\r\n")
    return path


def test_zip_bomb_xlsx_refused_before_it_is_opened(tmp_path):
    bomb = zip_bomb(tmp_path / "bomb.xlsx", sheet_mib=800)
    assert bomb.stat().st_size < 3 * 1024 * 1024  # a 250th of what it unpacks to
    child = read_in_child(bomb, tmp_path)
    assert child["max_rss_mb"] < MAX_RSS_MB
    [message] = child["errors"]
    assert "would unpack to 800 MB; the limit is 400 MB" in message


def test_highly_compressed_xlsx_refused_by_ratio(tmp_path):
    """Under the size limit but compressed like no spreadsheet: refused on the ratio, nothing read."""
    bomb = zip_bomb(tmp_path / "dense.xlsx", sheet_mib=60)
    child = read_in_child(bomb, tmp_path)
    assert child["max_rss_mb"] < MAX_RSS_MB
    [message] = child["errors"]
    assert "more than any spreadsheet (the limit is 200)" in message


def test_million_row_csv_stops_at_the_row_cap(tmp_path):
    big = long_csv(tmp_path / "million.csv", 1_000_000)
    assert big.stat().st_size < settings.IMPORT_MAX_BYTES  # accepted by size; refused by rows
    child = read_in_child(big, tmp_path)
    assert child["max_rss_mb"] < MAX_RSS_MB
    [message] = child["errors"]
    assert "more than 200,000 rows of data" in message


def test_row_cap_follows_the_setting_and_the_language(tmp_path):
    data = csv_bytes([["year", "category", "headcount"]] + [["2018", "gov_staff", str(n)] for n in range(11)])
    with override_settings(IMPORT_MAX_ROWS=10):
        with pytest.raises(parsing.FileProblem, match="more than 10 rows of data"):
            parsing.read_table("x.csv", data)
        with pytest.raises(parsing.FileProblem, match="more than 10 rows"):
            parsing.read_table("x.xlsx", xlsx_bytes([["year", "category", "headcount"]] +
                                                    [["2018", "gov_staff", n] for n in range(11)]))
    with override_settings(IMPORT_MAX_ROWS=11):
        assert len(parsing.read_table("x.csv", data).rows) == 11


def test_xlsx_size_limit_follows_the_setting():
    data = xlsx_bytes([["year"], ["2018"]])
    with override_settings(IMPORT_XLSX_MAX_UNCOMPRESSED=1000):
        with pytest.raises(parsing.FileProblem, match="would unpack to 0 MB; the limit is 0 MB"):
            parsing.read_table("x.xlsx", data)
    assert parsing.read_table("x.xlsx", data).rows == [(2, ["2018"])]


def test_a_csv_at_the_row_cap_is_read_within_the_memory_limit(tmp_path):
    """An accepted file of IMPORT_MAX_ROWS rows: read whole, under the memory limit (checking it needs a DB)."""
    at_cap = long_csv(tmp_path / "cap.csv", 200_000)
    child = read_in_child(at_cap, tmp_path, mode="read", IMPORT_MAX_ROWS="200000")
    assert child["max_rss_mb"] < MAX_RSS_MB
    assert (child["errors"], child["rows"]) == ([], 200_000)


# ---- the browser flow: read once at upload ------------------------------------------------------------

@pytest.fixture
def reads(monkeypatch):
    """How many times a spreadsheet was read (parsing.read_table, still doing its work)."""
    calls = []
    real = parsing.read_table

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(parsing, "read_table", counting)
    return calls


@pytest.mark.django_db
def test_preview_and_confirm_do_not_read_the_file_again(entry_client, reads):
    rows = [["year", "category", "headcount"], ["2018", "gov_staff", "45"], ["2018", "cp_staff", "6"]]
    response = entry_client.post(reverse("dataio:upload"), {
        "kind": "headcounts", "file": SimpleUploadedFile("h.xlsx", xlsx_bytes(rows))})
    assert response.status_code == 302 and reads == ["h.xlsx"]
    for _ in range(3):
        preview = entry_client.get(response["Location"])
        assert preview.status_code == 200 and preview.context["created"] == 2
    done = entry_client.post(reverse("dataio:confirm", args=[preview.context["token"]]))
    assert done.status_code == 302 and StaffHeadcount.objects.count() == 2
    assert reads == ["h.xlsx"]  # once, at upload


@pytest.mark.django_db
def test_uploaded_file_is_not_kept_only_what_was_read(entry_client, settings, tmp_path):
    settings.IMPORT_TEMP_DIR = str(tmp_path)
    data = csv_bytes([["year", "category", "headcount"], ["2018", "gov_staff", "45"]])
    response = entry_client.post(reverse("dataio:upload"), {
        "kind": "headcounts", "file": SimpleUploadedFile("h.csv", data)})
    kept = list((tmp_path / "kontum_cp_imports").iterdir())
    assert [p.suffix for p in kept] == [".jsonl"]
    assert data not in kept[0].read_bytes()
    assert entry_client.get(response["Location"]).context["created"] == 1


def test_what_was_read_comes_back_unchanged_each_repeated_text_once(settings, tmp_path):
    settings.IMPORT_TEMP_DIR = str(tmp_path)
    request = SimpleNamespace(session={})
    odd = ["KT-1", "a\nb\r\nc", '"quoted", comma', "nul\x00", "line\u2028sep", "Đắk Tô", "'=1+2", ""]
    rows = [(2, odd), (5, ["KT-1", "2016", "", "", "", "Đắk Tô", "x", ""]), (9, [str(2016)] + odd[1:])]
    token = uploads.store(request, kind="reports", file_name="r.csv", table=parsing.Table(["h"] * 8, rows))
    kind, name, table, problem = uploads.load(request, token)
    assert (kind, name, problem, table.headers, table.rows) == ("reports", "r.csv", None, ["h"] * 8, rows)
    assert table.rows[0][1][5] is table.rows[1][1][5] and table.rows[1][1][1] is table.rows[2][1][0]
    assert (tmp_path / "kontum_cp_imports" / f"{token}.jsonl").read_text(encoding="utf-8").count("\n") == 4  # a line a row
    problem_only = uploads.store(request, kind="reports", file_name="r.xls", table=None, problem="Old Excel")
    assert uploads.load(request, problem_only) == ("reports", "r.xls", None, "Old Excel")


@pytest.mark.django_db
def test_a_file_that_cannot_be_read_is_explained_on_the_preview(entry_client):
    entry_client.cookies["django_language"] = "en"
    with override_settings(IMPORT_MAX_ROWS=1):
        response = entry_client.post(reverse("dataio:upload"), {"kind": "headcounts", "file": SimpleUploadedFile(
            "h.csv", csv_bytes([["year", "category", "headcount"], ["2018", "gov_staff", "4"],
                                ["2019", "gov_staff", "5"]]))})
    preview = entry_client.get(response["Location"])
    assert "more than 1 rows of data" in preview.context["errors"][0].message


# ---- a body over the limit: refused before it is read ---------------------------------------------------

class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_it_is_read(entry_client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    entry_client.cookies["django_language"] = "en"
    response = entry_client.generic(
        "POST", reverse("dataio:upload"), CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(3 * 1024 ** 3), **{"wsgi.input": UnreadableBody()})
    assert response.status_code == 413
    page = response.content.decode()
    assert "The file is too large" in page and "at most 1 MB" in page


@pytest.mark.django_db
def test_a_real_upload_over_the_limit_gets_the_413_page(entry_client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("h.csv", b"year,category,headcount\r\n" + b"2018,gov_staff,1\r\n" * 200_000)
    response = entry_client.post(reverse("dataio:upload"), {"kind": "headcounts", "file": big})
    assert response.status_code == 413 and StaffHeadcount.objects.count() == 0


def test_upload_settings_keep_files_out_of_memory():
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
