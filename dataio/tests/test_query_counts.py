"""No query per row: the number of queries does not grow with the number of rows."""
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dataio.services import import_file
from dataio.tests.conftest import csv_bytes

pytestmark = pytest.mark.django_db

DAY0 = date(2016, 1, 1)
# kind -> (header, row factory of a running number i); runs use disjoint numbers.
ROWS = {
    "establishments": (["code", "name", "sector", "cp_potential"],
                       lambda i: [f"KT-{i:04d}", f"Cơ sở {i}", "tapioca_starch", "yes"]),
    "measures": (["establishment_code", "title", "category", "year"],
                 lambda i: ["KT-0001", f"Giải pháp {i}", "good_housekeeping", "2015"]),
    "assistance": (["establishment_code", "date", "kind", "amount_vnd"],
                   lambda i: ["KT-0002", (DAY0 + timedelta(days=i)).isoformat(), "survey", "1000"]),
    "attendance": (["event_code", "event_title", "event_kind", "event_start", "person_name", "person_category",
                    "organisation", "establishment_code"],
                   lambda i: [f"HT-{i // 100}-{i % 3}", "Hội thảo", "workshop", "05/01/2016", f"Người {i}",
                              "technical_staff", "Nhà máy", "KT-0001"]),
    "headcounts": (["year", "category", "headcount"], lambda i: [str(1990 + i % 100), "gov_staff" if i < 200 else "cp_staff", str(i)]),
    "registry": (["year", "complete", "note"], lambda i: [str(1990 + i % 100 + (10 if i >= 200 else 0)),
                                                      "yes" if i % 2 else "no", f"Ghi chú {i}"]),
    "places": (["code", "name", "level", "parent_code", "valid_from", "predecessor_codes"],
               lambda i: [f"VD-{i}", f"Xã {i} (ví dụ)", "commune", "51", "01/07/2025", "615"]),
}


def queries(kind, first, n):
    head, make = ROWS[kind]
    data = csv_bytes([head] + [make(i) for i in range(first, first + n)])
    with CaptureQueriesContext(connection) as creating:
        created = import_file(kind=kind, file_name="f.csv", data=data)
    assert created.ok and created.counts["created"] == n, created.errors
    with CaptureQueriesContext(connection) as checking:
        unchanged = import_file(kind=kind, file_name="f.csv", data=data)
    assert unchanged.all_unchanged
    return len(creating.captured_queries), len(checking.captured_queries)


@pytest.mark.parametrize("kind", list(ROWS))
def test_queries_do_not_grow_with_rows(est, kind):
    small_create, small_check = queries(kind, 100, 5)
    big_create, big_check = queries(kind, 200, 50)
    assert big_check == small_check  # checking unchanged rows: exactly the same queries
    assert big_create <= small_create + 4  # writing: the same, bar a few more insert batches
