"""import_data / export_data through the real command-line entry point."""
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from dataio.models import ImportRecord
from dataio.tests.conftest import csv_bytes
from training.models import StaffHeadcount

pytestmark = pytest.mark.django_db

HEAD = ["year", "category", "headcount"]


def write(tmp_path, rows, name="h.csv"):
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows))
    return path


def test_success_exits_zero_and_prints_summary(tmp_path, capsys):
    path = write(tmp_path, [HEAD, ["2018", "gov_staff", "45"], ["2018", "cp_staff", "6"]])
    call_command("import_data", "headcounts", str(path), "--language", "en")
    out = capsys.readouterr().out
    assert "Rows created: 2, updated: 0, unchanged: 0" in out
    assert StaffHeadcount.objects.count() == 2
    call_command("import_data", "headcounts", str(path), "--language", "en")
    assert "Everything is unchanged" in capsys.readouterr().out
    record = ImportRecord.objects.order_by("pk").last()
    assert (record.source, record.unchanged, record.created) == ("command", 2, 0)


def test_error_exits_non_zero_and_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, [HEAD, ["2018", "gov_staff", "45"], ["2018", "nobody", "6"]])
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_data", "headcounts", str(path), "--language", "en")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "row 3, column category" in out and "nothing was written" in out
    assert StaffHeadcount.objects.count() == 0


def test_dry_run_writes_nothing(tmp_path, capsys):
    path = write(tmp_path, [HEAD, ["2018", "gov_staff", "45"]])
    call_command("import_data", "headcounts", str(path), "--dry-run", "--language", "en")
    assert "nothing was written" in capsys.readouterr().out
    assert StaffHeadcount.objects.count() == 0


def test_export_data_writes_a_file_that_reimports_unchanged(tmp_path, sample_data, capsys):
    for suffix in ("csv", "xlsx"):
        path = tmp_path / f"att.{suffix}"
        call_command("export_data", "attendance", str(path))
        assert path.stat().st_size > 0
        call_command("import_data", "attendance", str(path), "--language", "en")
        assert "Everything is unchanged" in capsys.readouterr().out


def test_export_data_follows_the_language_in_headers_and_messages(tmp_path, sample_data):
    import csv

    from dataio.kinds import KINDS

    for language in ("vi", "en"):
        path = tmp_path / f"att-{language}.csv"
        out = io.StringIO()
        call_command("export_data", "attendance", str(path), "--language", language, stdout=out)
        header = next(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert header == [c.header(language) for c in KINDS["attendance"].columns]
        assert ("dòng" if language == "vi" else "rows written") in out.getvalue()
    # Vietnamese by default; a Vietnamese header row reimports unchanged too.
    default = tmp_path / "att.csv"
    call_command("export_data", "attendance", str(default), stdout=io.StringIO())
    assert default.read_text(encoding="utf-8-sig").splitlines()[0] == (tmp_path / "att-vi.csv").read_text(
        encoding="utf-8-sig").splitlines()[0]
    out = io.StringIO()
    call_command("import_data", "attendance", str(default), stdout=out)
    assert "không có gì thay đổi" in out.getvalue().lower()


def test_import_data_says_a_missing_file_in_its_language(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có tệp"):
        call_command("import_data", "headcounts", str(tmp_path / "none.csv"))
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_data", "headcounts", str(tmp_path / "none.csv"), "--language", "en")


def test_exit_status_from_a_real_process(tmp_path):
    """The exit status a shell script sees (0 on success, 1 on error)."""
    db = tmp_path / "cli.sqlite3"
    env = {"DATABASE_URL": f"sqlite:///{db}", "DEBUG": "False", "SECRET_KEY": "x" * 60,
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run(manage + ["migrate", "-v0"], env=env, check=True, cwd=settings.BASE_DIR)
    good = write(tmp_path, [HEAD, ["2018", "gov_staff", "45"]], "good.csv")
    bad = write(tmp_path, [HEAD, ["20x8", "gov_staff", "45"]], "bad.csv")
    ok = subprocess.run(manage + ["import_data", "headcounts", str(good)], env=env, cwd=settings.BASE_DIR,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    failed = subprocess.run(manage + ["import_data", "headcounts", str(bad), "--language", "en"], env=env,
                            cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert failed.returncode == 1 and "row 2, column year" in failed.stdout
