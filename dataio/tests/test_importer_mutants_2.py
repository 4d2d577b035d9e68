"""More decisions of dataio.importers that mutation testing (scripts/mutation.py) found unguarded.

The message and the column of a record given twice in one file, the blank key cells of a report, and
the history rows of a large import written in one statement. The survivors judged equivalent (no file
tells them apart) are listed with their reasons in docs/testing.md.
"""
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import CheckConstraint, Q, UniqueConstraint
from django.test.utils import CaptureQueriesContext

from dataio import importers
from dataio.services import import_file
from dataio.tests.conftest import csv_bytes
from establishments.models import Establishment

pytestmark = pytest.mark.django_db

REPORT_HEAD = ["establishment_code", "year", "product", "product_unit", "output", "resource", "quantity"]
MEASURE_HEAD = ["establishment_code", "title", "category", "status", "year", "investment_vnd"]
ATTEND_HEAD = ["event_code", "event_title", "event_kind", "event_start", "person_name", "person_category",
               "organisation", "establishment_code", "gender", "completed"]
HEAD_HEAD = ["year", "category", "headcount"]
EST_HEAD = ["code", "name", "status"]
GIVEN_TWICE = "Repeats a record already given in row 2; each record may appear once in a file."
BLANK = "This field cannot be blank."


def run(kind, rows, dry_run=False):
    return import_file(kind=kind, file_name="f.csv", data=csv_bytes(rows), dry_run=dry_run)


def issues(result):
    return [(e.row, e.column, e.message) for e in result.errors]


# --- A record given twice: the rule it breaks, at the key's column ------------------------------------

def test_measure_given_twice_is_refused_with_its_unique_constraints_message(est):
    rows = [MEASURE_HEAD,
            ["KT-0001", "Biogas", "by_product", "implemented", "2015", ""],
            ["KT-0001", "Biogas", "by_product", "implemented", "2016", ""]]
    result = run("measures", rows, dry_run=True)
    assert issues(result) == [
        (3, "title", "This establishment already has a measure with this title. (see row 2)")]


def test_headcount_given_twice_is_refused_with_its_unique_constraints_message():
    rows = [HEAD_HEAD, ["2018", "gov_staff", "45"], ["2018", "gov_staff", "46"]]
    result = run("headcounts", rows, dry_run=True)
    assert issues(result) == [
        (3, "category", "A headcount for this year and category already exists. (see row 2)")]


def test_attendance_given_twice_is_refused_with_the_attendance_message(est):
    row = ["HT-1", "Hội thảo", "workshop", "20/09/2016", "Nguyễn Văn A", "gov_staff", "Sở CT", "", "", ""]
    result = run("attendance", [ATTEND_HEAD, row, list(row)], dry_run=True)
    assert issues(result) == [(3, "person_name", "This person is already recorded at this event. (see row 2)")]


def test_establishment_code_given_twice_gets_the_general_message():
    # The code's uniqueness is a field option, not one of the model's constraints: no constraint message
    # applies, whatever constraints (year ranges, closing year) the model has.
    rows = [EST_HEAD, ["KT-0301", "A", "active"], ["KT-0301", "A again", "active"]]
    result = run("establishments", rows, dry_run=True)
    assert issues(result) == [(3, "code", GIVEN_TWICE)]


def test_rows_without_an_establishment_code_are_each_refused_as_blank_not_as_repeats():
    rows = [EST_HEAD, ["", "A", "active"], ["", "B", "active"]]
    result = run("establishments", rows, dry_run=True)
    assert issues(result) == [(2, "code", BLANK), (3, "code", BLANK)]
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 0}


def test_unique_message_is_the_one_of_the_constraint_on_exactly_the_key():
    # A model with a check and three unique constraints, the wider one listed before the exact one.
    model = SimpleNamespace(_meta=SimpleNamespace(constraints=[
        CheckConstraint(condition=Q(a__gte=0), name="check_a", violation_error_message="check"),
        UniqueConstraint(fields=["a"], name="u_a", violation_error_message="a"),
        UniqueConstraint(fields=["a", "b", "c"], name="u_abc", violation_error_message="abc"),
        UniqueConstraint(fields=["b", "a"], name="u_ab", violation_error_message="ab"),
    ]))
    assert importers.unique_message(model, {"a", "b"}) == "ab"
    assert importers.unique_message(model, {"a", "b", "c"}) == "abc"
    assert importers.unique_message(model, {"a"}) == "a"
    assert importers.unique_message(model, {"b"}) is None
    assert importers.unique_message(model, set()) is None  # no key: no constraint, not the check's message


# --- Annual reports: a blank key cell -----------------------------------------------------------------

def test_report_rows_with_a_blank_establishment_code_or_year_are_refused_as_blank(est):
    rows = [REPORT_HEAD,
            ["", "2016", "P", "t", "100", "electricity", "5"],
            ["KT-0001", "", "P", "t", "100", "electricity", "5"],
            ["KT-0001", "2016", "P", "t", "100", "electricity", "5"]]
    result = run("reports", rows, dry_run=True)
    assert issues(result) == [(2, "establishment_code", BLANK), (3, "year", BLANK)]
    assert result.counts == {"created": 1, "updated": 0, "unchanged": 0}


# --- Writing: the history of many records in one statement --------------------------------------------

def test_history_of_a_large_import_is_written_in_one_statement_per_model():
    # 300 new establishments: their history rows go in one INSERT (one executemany on SQLite, one
    # multi-row statement of up to 1000 rows on PostgreSQL), not in batches sized by the backend's
    # parameter limit as the generic bulk_create would (a few dozen rows each on SQLite).
    rows = [EST_HEAD] + [[f"KT-{i:04d}", f"Cơ sở {i}", "active"] for i in range(1000, 1300)]
    table = Establishment.history.model._meta.db_table
    with CaptureQueriesContext(connection) as ctx:
        result = run("establishments", rows)
    assert result.ok and result.written, result.errors
    assert result.counts == {"created": 300, "updated": 0, "unchanged": 0}
    head = f"INSERT INTO {connection.ops.quote_name(table)}"
    inserts = [q["sql"] for q in ctx.captured_queries if head in q["sql"]]
    assert len(inserts) == 1
    assert Establishment.history.filter(history_type="+").count() == 300
    assert Establishment.history.filter(history_change_reason="Import of f.csv").count() == 300
