"""The import of annual reports, checked on plain values and written set-based (dataio/report_import.py):
the history rows of what it writes, the models' own messages, all or nothing at size, users' areas."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dataio.services import import_file
from dataio.tests.conftest import csv_bytes
from establishments.models import Establishment, Place, UserArea
from indicators.models import AnnualReport, ResourceLine
from kontum_cp.roles import DATA_ENTRY
from tests import factories as f

pytestmark = pytest.mark.django_db

HEAD = ["establishment_code", "year", "product", "product_unit", "output", "resource", "quantity"]


def run(rows, **kw):
    return import_file(kind="reports", file_name="r.csv", data=csv_bytes([HEAD] + rows), **kw)


def test_every_report_and_line_written_has_its_history_row_with_user_and_reason(est):
    user = f.user("entry", DATA_ENTRY)
    rows = [["KT-0001", "2016", "Tinh bột", "t", "100", "electricity", "5"],
            ["KT-0001", "2016", "Tinh bột", "t", "100", "water", "7.5"],
            ["KT-0002", "2017", "Gạch", "viên", "20", "coal", "1"]]
    result = run(rows, user=user)
    assert result.written and result.counts == {"created": 3, "updated": 0, "unchanged": 0}
    assert result.details == [("annual production reports", 2, 0), ("resource lines", 3, 0)]
    reports = AnnualReport.history.filter(history_type="+")
    lines = ResourceLine.history.filter(history_type="+")
    assert sorted(h.id for h in reports) == sorted(AnnualReport.objects.values_list("pk", flat=True))
    assert sorted((h.id, h.quantity) for h in lines) == sorted(ResourceLine.objects.values_list("pk", "quantity"))
    history = list(reports) + list(lines)
    assert {(h.history_user_id, h.history_change_reason) for h in history} == {(user.pk, "Import of r.csv")}
    first = AnnualReport.objects.get(establishment__code="KT-0001")
    assert (first.version, first.product, first.output, first.state) == (1, "Tinh bột", Decimal("100"), "draft")
    assert first.history.get().updated_at == first.updated_at

    # A changed output and a changed quantity: one "~" row each, the version moved on; nothing for the rest.
    rows[0][4] = rows[1][4] = "120"
    rows[1][6] = "8"
    again = run(rows, user=user)
    assert again.counts == {"created": 0, "updated": 2, "unchanged": 1}
    assert again.details == [("annual production reports", 0, 1), ("resource lines", 0, 1)]
    first.refresh_from_db()
    assert (first.version, first.output) == (2, Decimal("120"))
    changed = AnnualReport.history.get(history_type="~")
    assert (changed.id, changed.version, changed.output, changed.updated_at) == (
        first.pk, 2, Decimal("120"), first.updated_at)
    line = ResourceLine.history.get(history_type="~")
    assert (line.id, line.quantity) == (first.lines.get(resource_type__code="water").pk, Decimal("8"))
    assert run(rows).all_unchanged


def test_a_new_line_in_a_report_already_in_the_portal_joins_it(est):
    run([["KT-0001", "2016", "P", "t", "100", "electricity", "5"]])
    result = run([["KT-0001", "2016", "P", "t", "100", "water", "6"]])
    assert result.counts == {"created": 1, "updated": 0, "unchanged": 0}
    report = AnnualReport.objects.get()
    assert (report.version, sorted(report.lines.values_list("resource_type__code", flat=True))) == (
        1, ["electricity", "water"])
    assert ResourceLine.history.filter(report_id=report.pk, history_type="+").count() == 2


def model_messages(model, **values):
    """The messages of the model's own full_clean() for `values`, by field."""
    try:
        model(**values).full_clean(exclude=["establishment", "report", "resource_type"])
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_the_messages_are_the_models_own(est):
    long_product = "P" * 256
    result = run([["KT-0001", "2016", long_product, "t", "100", "electricity", "5"],
                  ["KT-0001", "2017", "P", "t", "12345678901234.5678", "electricity", "5"],
                  ["KT-0002", "2016", "P", "t", "-3", "electricity", "-5"],
                  ["KT-0002", "2017", "P", "t", "10", "water", "1.2345"]])
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found == {
        (2, "product"): model_messages(AnnualReport, year=2016, product=long_product, product_unit="t",
                                       output=Decimal(100))["product"][0],
        (3, "output"): model_messages(AnnualReport, year=2017, product="P", product_unit="t",
                                      output=Decimal("12345678901234.5678"))["output"][0],
        (4, "output"): model_messages(AnnualReport, year=2016, product="P", product_unit="t",
                                      output=Decimal(-3))["output"][0],
        (4, "quantity"): model_messages(ResourceLine, quantity=Decimal(-5))["quantity"][0],
        (5, "quantity"): model_messages(ResourceLine, quantity=Decimal("1.2345"))["quantity"][0],
    }
    assert not AnnualReport.objects.exists()


def test_one_bad_row_among_ten_thousand_refuses_them_all():
    Establishment.objects.bulk_create([Establishment(code=f"KT-{i:04d}", name=f"E{i}") for i in range(1000)])
    resources = ["electricity", "water", "coal", "diesel", "firewood"]
    rows = [[f"KT-{i // 10:04d}", str(2015 + (i // 5) % 2), "P", "t", "100", resources[i % 5], str(i)]
            for i in range(10_000)]
    rows[7654][6] = "-1"
    result = run(rows)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(7656, "quantity", "-1")]
    assert not result.written
    assert (AnnualReport.objects.count(), ResourceLine.objects.count(), AnnualReport.history.count(),
            ResourceLine.history.count()) == (0, 0, 0, 0)
    rows[7654][6] = "1"
    result = run(rows)
    assert result.written and result.counts["created"] == 10_000
    assert (AnnualReport.objects.count(), ResourceLine.objects.count(), AnnualReport.history.count(),
            ResourceLine.history.count()) == (2000, 10_000, 2000, 10_000)


def test_a_user_with_an_area_imports_reports_of_its_establishments_only():
    inside = f.establishment(code="KT-DH", name="Nhà máy Đắk Hà", place=Place.objects.get(code="615"))
    f.establishment(code="QN-01", name="Nhà máy Quảng Ngãi", place=Place.objects.get(code="51"))
    user = f.user("kt", DATA_ENTRY)
    UserArea.objects.create(user=user).places.set([Place.objects.get(code="62")])
    rows = [[inside.code, "2016", "P", "t", "100", "water", "5"], ["QN-01", "2016", "P", "t", "100", "water", "5"]]
    result = run(rows, user=user)
    assert [e.message for e in result.errors] == [
        "QN-01 Nhà máy Quảng Ngãi lies outside your area: you may read it but not change it or its records."]
    assert not AnnualReport.objects.exists()
    assert run(rows[:1], user=user).written
