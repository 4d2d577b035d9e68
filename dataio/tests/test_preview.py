"""What the import preview tells before anything is written: large changes of specific
consumption to confirm, the columns read in the user's language, a file that changes nothing."""
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from dataio import consumption
from dataio.forms import ConfirmImportForm
from dataio.models import ImportRecord
from dataio.services import import_file
from dataio.tests.conftest import csv_bytes
from dataio.tests.test_views import upload
from dataio.views import NOTHING_TO_IMPORT, TICK_TO_CONFIRM
from indicators.models import AnnualReport, ResourceLine, ResourceType

pytestmark = pytest.mark.django_db

HEAD = ["establishment_code", "year", "product", "product_unit", "output", "resource", "quantity"]
HEAD_VI = ["Mã cơ sở", "Năm", "Sản phẩm", "Đơn vị sản phẩm", "Sản lượng", "Loại tiêu hao",
           "Lượng tiêu thụ"]


def report_row(year, electricity, water=20000, code="KT-0001", output=1000):
    """Two rows of one report: electricity (kWh → 0.0036 GJ) and water (m³), output in t."""
    return [[code, year, "Tinh bột sắn", "t", output, "electricity", electricity],
            [code, year, "Tinh bột sắn", "t", output, "water", water]]


def save_report(establishment, year, electricity, water=20000, output=1000):
    report = AnnualReport.objects.create(establishment=establishment, year=year, product="Tinh bột sắn",
                                         product_unit="t", output=Decimal(output))
    for code, quantity in (("electricity", electricity), ("water", water)):
        ResourceLine.objects.create(report=report, resource_type=ResourceType.objects.get(code=code),
                                    quantity=Decimal(quantity))
    return report


def preview_of(client, rows):
    response = upload(client, rows, name="bao-cao.csv", kind="reports")
    assert response.status_code == 302
    return client.get(response["Location"])


def confirm(client, preview, tick=False):
    data = {"confirm_large_changes": "on"} if tick else {}
    return client.post(reverse("dataio:confirm", args=[preview.context["token"]]), data)


def in_english(client):
    client.cookies["django_language"] = "en"
    return client


def text_of(html):
    """The page's text without tags and with single spaces, for wording checks."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---- 1. a change of specific consumption of more than 50 %: a warning to confirm ------------------

def test_large_change_against_the_portal_is_listed_in_english(entry_client, est):
    save_report(est[0], 2016, electricity=100000)  # 0.36 GJ/t
    preview = preview_of(in_english(entry_client), [HEAD] + report_row(2017, electricity=200000))  # 0.72 GJ/t
    assert preview.status_code == 200 and not preview.context["errors"]
    [change] = preview.context["large_changes"]
    assert (change.establishment_code, change.year, change.previous_year, change.category, change.row) == (
        "KT-0001", 2017, 2016, "energy", 2)
    assert (change.previous_value, change.value, change.change) == (Decimal("0.36"), Decimal("0.72"), 100)
    text = text_of(preview.content.decode())
    assert ("Row 2 — KT-0001 Nhà máy tinh bột sắn Đắk Tô, 2017: specific consumption of energy 0.720 GJ/t "
            "against 0.360 GJ/t in 2016 (up 100.0 %).") in text
    assert "Check these figures before importing" in text
    assert "Yes, these figures are right: import the file." in text
    assert 'name="confirm_large_changes"' in preview.content.decode()
    assert "water" not in text.split("Check these figures")[1].split("Yes, these")[0]  # water did not change


def test_large_change_is_worded_in_vietnamese_with_vietnamese_numbers(entry_client, est):
    save_report(est[0], 2016, electricity=100000)
    preview = preview_of(entry_client, [HEAD_VI] + report_row(2017, electricity=200000))  # default: Vietnamese
    html = preview.content.decode()
    with translation.override("vi"):
        message = preview.context["large_changes"][0].message
        label = str(ConfirmImportForm().fields["confirm_large_changes"].label)
    assert message.startswith("KT-0001 Nhà máy tinh bột sắn Đắk Tô")
    assert "0,720" in message and "0,360" in message and "100,0 %" in message  # Vietnamese separators
    assert message in text_of(html) and label in html


def test_confirm_without_the_tick_writes_nothing_and_shows_the_preview_again(entry_client, est):
    save_report(est[0], 2016, electricity=100000)
    preview = preview_of(in_english(entry_client), [HEAD] + report_row(2017, electricity=200000))
    refused = confirm(entry_client, preview)
    assert refused.status_code == 400
    text = text_of(refused.content.decode())
    assert str(TICK_TO_CONFIRM) in text and "Check these figures before importing" in text
    assert 'href="#id_confirm_large_changes"' in refused.content.decode()  # the error summary links to the box
    assert not AnnualReport.objects.filter(year=2017).exists()
    assert ImportRecord.objects.count() == 0  # held back like a preview: not recorded
    done = confirm(entry_client, preview, tick=True)
    assert done.status_code == 302 and done["Location"] == reverse("dataio:history")
    report = AnnualReport.objects.get(year=2017)
    assert report.lines.get(resource_type__code="electricity").quantity == 200000
    assert ImportRecord.objects.get().created == 2


def test_large_change_within_the_same_file_and_a_fall(entry_client, est):
    rows = [HEAD] + report_row(2016, electricity=100000, water=20000) + report_row(2017, 100000, water=5000)
    preview = preview_of(in_english(entry_client), rows)
    [change] = preview.context["large_changes"]
    assert (change.year, change.previous_year, change.category, change.row, change.change) == (
        2017, 2016, "water", 4, -75)
    assert "specific consumption of water 5.000 m³/t against 20.000 m³/t in 2016 (down 75.0 %)." in text_of(
        preview.content.decode())


def test_a_later_report_in_the_portal_is_compared_with_a_new_earlier_one(entry_client, est):
    save_report(est[0], 2017, electricity=100000)
    preview = preview_of(in_english(entry_client), [HEAD] + report_row(2016, electricity=300000))
    [change] = preview.context["large_changes"]
    assert (change.year, change.previous_year, change.row, change.change.quantize(Decimal("0.1"))) == (
        2017, 2016, None, Decimal("-66.7"))


def test_no_tick_needed_without_a_large_change(entry_client, est):
    save_report(est[0], 2016, electricity=100000)
    preview = preview_of(in_english(entry_client), [HEAD] + report_row(2017, electricity=150000))  # +50 % exactly
    assert preview.context["large_changes"] == []
    assert 'name="confirm_large_changes"' not in preview.content.decode()
    assert confirm(entry_client, preview).status_code == 302
    assert AnnualReport.objects.filter(year=2017).exists()


def test_a_change_already_in_the_portal_is_not_asked_again(entry_client, est):
    save_report(est[0], 2016, electricity=100000)
    save_report(est[0], 2017, electricity=300000)
    rows = [HEAD] + report_row(2016, 100000) + report_row(2017, 300000) + report_row(2018, 310000)
    preview = preview_of(in_english(entry_client), rows)
    assert preview.context["created"] == 2 and preview.context["large_changes"] == []


def test_the_service_holds_a_large_change_only_when_asked(est):
    save_report(est[0], 2016, electricity=100000)
    data = csv_bytes([HEAD] + report_row(2017, electricity=200000))
    held = import_file(kind="reports", file_name="r.csv", data=data, hold_large_changes=True)
    assert held.held and held.ok and not held.written and held.record is None
    assert not AnnualReport.objects.filter(year=2017).exists()
    written = import_file(kind="reports", file_name="r.csv", data=data)  # the command does not ask
    assert written.written and len(written.large_changes) == 1


def test_large_changes_of_establishments_compared_a_chunk_at_a_time(est, monkeypatch):
    monkeypatch.setattr(consumption, "IN_CHUNK", 1)  # one establishment a chunk
    save_report(est[1], 2016, electricity=100000)
    rows = [HEAD] + report_row(2017, electricity=100000, water=5000) + report_row(
        2017, electricity=300000, code="KT-0002") + report_row(2016, electricity=100000)  # KT-0001 in two places
    changes = import_file(kind="reports", file_name="r.csv", data=csv_bytes(rows), dry_run=True).large_changes
    assert [(c.establishment_code, c.year, c.category, c.row) for c in changes] == [
        ("KT-0001", 2017, "water", 2), ("KT-0002", 2017, "energy", 4)]


def test_file_reports_of_an_establishment_must_come_together(est, monkeypatch):
    monkeypatch.setattr(consumption, "IN_CHUNK", 1)

    def report(establishment, year):
        return consumption.FileReport(row=2, establishment_id=establishment.pk, year=year, product_unit="t",
                                      output=Decimal(1000), lines={})

    with pytest.raises(ValueError):
        consumption.large_changes_in([report(est[0], 2016), report(est[1], 2016), report(est[0], 2017)])


def test_the_command_prints_the_large_changes(est, tmp_path, capsys):
    save_report(est[0], 2016, electricity=100000)
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([HEAD] + report_row(2017, electricity=200000)))
    call_command("import_data", "reports", str(path), "--language", "en")
    out = capsys.readouterr().out
    assert ("Warning: row 2: KT-0001 Nhà máy tinh bột sắn Đắk Tô, 2017: specific consumption of energy "
            "0.720 GJ/t against 0.360 GJ/t in 2016 (up 100.0 %).") in out


# ---- 2. "Read as" in the user's language --------------------------------------------------------

def _read_as(html):
    """The third cell of each row of the "columns read" table."""
    table = html.split('class="columns"')[1].split("</table>")[0]
    return [re.sub(r"<[^>]+>", "", cells[2]).strip()
            for cells in (re.findall(r"<td[^>]*>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", table))
            if cells]


def test_read_as_shows_vietnamese_column_names_in_vietnamese(entry_client, est):
    rows = [row + ["đã kiểm tra"] for row in report_row(2016, 100000)]
    preview = preview_of(entry_client, [HEAD + ["ghi chú"]] + rows)
    assert _read_as(preview.content.decode()) == HEAD_VI + [_not_imported("vi")]


def test_read_as_shows_english_column_names_in_english(entry_client, est):
    preview = preview_of(in_english(entry_client), [HEAD_VI] + report_row(2016, 100000))
    assert _read_as(preview.content.decode()) == HEAD


def _not_imported(language):
    with translation.override(language):
        return "⚠ " + translation.gettext("not imported")


# ---- 3. a file that changes nothing ---------------------------------------------------------------

@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_file_that_changes_nothing_offers_nothing_to_confirm(entry_client, est, language):
    save_report(est[0], 2016, electricity=100000)
    entry_client.cookies["django_language"] = language
    preview = preview_of(entry_client, [HEAD] + report_row(2016, 100000))
    html = preview.content.decode()
    with translation.override(language):
        nothing = str(NOTHING_TO_IMPORT)
    assert preview.context["unchanged"] == 2 and nothing in html
    assert reverse("dataio:confirm", args=[preview.context["token"]]) not in html  # no confirm form
    assert 'id="nothing-to-import"' in html
    history_rows = AnnualReport.history.count() + ResourceLine.history.count()
    posted = confirm(entry_client, preview)  # posted anyway
    assert posted.status_code == 302 and posted["Location"] == reverse("dataio:index")
    assert AnnualReport.history.count() + ResourceLine.history.count() == history_rows
    assert AnnualReport.objects.get().version == 1
    page = entry_client.get(posted["Location"])
    assert page.status_code == 200 and nothing in page.content.decode()
