"""`manage.py progress`: the dashboard's figures from the same engine."""
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from . import dashboard_data as d

pytestmark = pytest.mark.django_db

KEYS = ["code", "value", "unit", "numerator", "denominator", "n", "target_low", "target_high", "status", "source",
        "deadline", "reported", "coverage"]
CSV_KEYS = KEYS[:-3]  # the deadline, the reported figure and the coverage object are in the JSON only


def run(*args):
    out = io.StringIO()
    call_command("progress", *args, stdout=out)
    return out.getvalue()


def test_json_has_exactly_the_documented_shape():
    p = d.plan("P/1", cp_adoption=15)
    e1, _e2 = d.est("E1"), d.est("E2")
    d.measure(e1, 2016)
    d.registry_complete(2018)
    data = json.loads(run("--plan", str(p.pk), "--year", "2018", "--format", "json"))
    assert set(data) == {"plan", "year", "indicators"}
    assert data["year"] == 2018
    assert all(list(item) == KEYS for item in data["indicators"])
    adoption = data["indicators"][0]
    # 1 adopter of 2 establishments = 50 %, target 15 -> achieved
    assert adoption == {"code": "cp_adoption", "value": 50.0, "unit": "%", "numerator": 1, "denominator": 2,
                        "n": None, "target_low": 15.0, "target_high": None, "status": "achieved",
                        "source": "computed", "deadline": 2020, "reported": None,
                        "coverage": {"registered": 2, "confirmed": True}}
    reduction = data["indicators"][1]
    assert reduction["value"] is None and reduction["status"] is None and reduction["n"] == 0
    assert reduction["coverage"] == {"registered": None, "confirmed": True}  # not a share of POT(Y)


def test_default_plan_is_the_provincial_plan(official_data):
    data = json.loads(run("--year", "2018", "--format", "json"))
    assert data["plan"] == "835/QĐ-UBND"
    dissem = next(i for i in data["indicators"] if i["code"] == "establishments_disseminated")
    assert dissem["value"] == 70.0 and dissem["source"] == "reported"
    # The report gives no numerator or denominator; the 7 establishments in the records must not pose as one.
    assert dissem["numerator"] is None and dissem["denominator"] is None


def test_csv_and_table_formats(official_data):
    csv_text = run("--plan", "835/QĐ-UBND", "--year", "2018", "--format", "csv")
    lines = csv_text.strip().splitlines()
    assert lines[0] == "plan,year," + ",".join(CSV_KEYS)
    assert len(lines) == 9
    table = run("--plan", "1419/QĐ-TTg", "--year", "2018")
    assert "cp_adoption" in table and ">= 50" in table  # national plan's 2020 target


def test_unknown_plan_is_an_error(official_data):
    with pytest.raises(CommandError):
        run("--plan", "999/XX")


def test_the_table_follows_the_language_and_keeps_the_codes(official_data):
    vietnamese = run("--plan", "835/QĐ-UBND", "--year", "2018", "--format", "table")
    english = run("--plan", "835/QĐ-UBND", "--year", "2018", "--format", "table", "--language", "en")
    assert vietnamese.splitlines()[0] == "835/QĐ-UBND — tính đến năm 2018"
    assert english.splitlines()[0] == "835/QĐ-UBND — as of 2018"
    assert re.split(r"\s{2,}", vietnamese.splitlines()[1])[:3] == ["code", "Giá trị", "Đơn vị"]
    assert re.split(r"\s{2,}", english.splitlines()[1])[:3] == ["code", "Value", "Unit"]
    assert "Đánh giá" in vietnamese and "Chưa có số liệu" in vietnamese and "70,0" in vietnamese
    assert "Status" in english and "No data" in english and "70.0" in english
    codes = [line.split()[0] for line in english.splitlines()[2:]]
    assert codes == [line.split()[0] for line in vietnamese.splitlines()[2:]]
    assert "cp_adoption" in codes and "establishments_assisted" in codes


def test_machine_formats_are_the_same_in_every_language(official_data):
    for fmt in ("json", "csv"):
        args = ("--plan", "835/QĐ-UBND", "--year", "2018", "--format", fmt)
        assert run(*args) == run(*args, "--language", "en") == run(*args, "--language", "vi")


def test_messages_follow_the_language(official_data):
    with pytest.raises(CommandError, match="Không có kế hoạch nào khớp với “999/XX”"):
        run("--plan", "999/XX")
    with pytest.raises(CommandError, match="No plan matches “999/XX”"):
        run("--plan", "999/XX", "--language", "en")
    with pytest.raises(CommandError, match="Năm phải nằm trong khoảng 1990–2100"):
        run("--year", "1800")
