"""The annual production report form: all-or-nothing save, duplicate year, the
"is this right?" confirmation of large changes, optimistic locking; reports list
and data completeness."""
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.models import DUPLICATE_REPORT, AnnualReport, ResourceType
from indicators.services import report_save
from kontum_cp.locking import STALE_MESSAGE
from tests import factories as f

pytestmark = pytest.mark.django_db


def vi(message):
    with translation.override("vi"):
        return str(message)


def post_data(year, output, lines, version="", confirm=False, product="Tinh bột sắn", unit="t", extra_rows=2):
    """lines: [(resource type code, quantity as typed)]."""
    rows = list(lines) + [("", "")] * extra_rows
    data = {"year": str(year), "product": product, "product_unit": unit, "output": output, "version": version,
            "lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000"}
    for i, (code, quantity) in enumerate(rows):
        data[f"lines-{i}-resource_type"] = str(ResourceType.objects.get(code=code).pk) if code else ""
        data[f"lines-{i}-quantity"] = quantity
    if confirm:
        data["confirm_large_change"] = "on"
    return data


@pytest.fixture
def est(db):
    return f.establishment(code="KT-R")


def test_saving_a_report_shows_its_specific_consumption_at_once(entry_client, est):
    url = reverse("indicators:report_create", args=["KT-R"])
    # Vietnamese decimal comma: 2.500,5 t of output.
    response = entry_client.post(url, post_data(2017, "2.500,5", [("electricity", "500010"), ("water", "50010")]),
                                 follow=True)
    assert response.redirect_chain[-1][0] == reverse("indicators:report_detail", args=["KT-R", 2017])
    report = AnnualReport.objects.get(establishment=est, year=2017)
    assert report.output == D("2500.5")
    html = response.content.decode()
    # energy: 500010 kWh × 0.0036 = 1800.036 GJ / 2500.5 t = 0.71987… → "0,720" GJ/t
    assert "0,720" in html
    # water: 50010 m³ / 2500.5 t = 20 m³/t → "20,000"
    assert "20,000" in html


def test_a_bad_line_saves_nothing_and_keeps_what_was_typed(entry_client, est):
    url = reverse("indicators:report_create", args=["KT-R"])
    response = entry_client.post(url, post_data(2017, "1000", [("water", "20000"), ("electricity", "-5")]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="-5"' in html and 'value="20000"' in html and 'value="Tinh bột sắn"' in html
    assert "errorlist" in html
    assert not AnnualReport.objects.exists()


def test_row_with_a_resource_but_no_quantity_is_an_error_next_to_it(entry_client, est):
    url = reverse("indicators:report_create", args=["KT-R"])
    response = entry_client.post(url, post_data(2017, "1000", [("water", "")]))
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["quantity"]
    assert not AnnualReport.objects.exists()


def test_service_rolls_back_the_report_when_a_line_is_invalid(est):
    from django.core.exceptions import ValidationError

    water = ResourceType.objects.get(code="water").pk
    electricity = ResourceType.objects.get(code="electricity").pk
    with pytest.raises(ValidationError):
        report_save(establishment=est, data={"year": 2017, "product": "x", "product_unit": "t", "output": D(10)},
                    lines=[(water, D(5)), (electricity, D(-1))])
    assert not AnnualReport.objects.exists()
    # An existing report keeps its old values and lines when a change fails half-way.
    report = f.report(est, 2018, 100, {"water": 10})
    with pytest.raises(ValidationError):
        report_save(establishment=est, report=report, data={"output": D(200)},
                    lines=[(water, D(20)), (electricity, D(-1))], expected_version=report.version)
    report.refresh_from_db()
    assert report.output == 100 and list(report.lines.values_list("quantity", flat=True)) == [10]


def test_duplicate_year_is_refused_next_to_the_year(entry_client, est):
    f.report(est, 2017, 100, {"water": 10})
    response = entry_client.post(reverse("indicators:report_create", args=["KT-R"]),
                                 post_data(2017, "1000", [("water", "100")]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_year_error"' in html and vi(DUPLICATE_REPORT) in html
    assert AnnualReport.objects.filter(establishment=est).count() == 1


def test_a_report_saved_by_somebody_else_meanwhile_is_refused_next_to_the_year(entry_client, est, monkeypatch):
    """Two people submit the same establishment and year at once: the second write meets the unique
    constraint after its own check passed. The other person's report is written, for real, in the window
    between this request's check (full_clean) and its write."""
    from indicators import services

    original_save = services.save_versioned

    def other_user_saves_first(instance, *args, **kwargs):
        if isinstance(instance, AnnualReport) and instance.pk is None:
            f.report(est, 2017, 100, {"water": 10})
        return original_save(instance, *args, **kwargs)

    monkeypatch.setattr(services, "save_versioned", other_user_saves_first)
    response = entry_client.post(reverse("indicators:report_create", args=["KT-R"]),
                                 post_data(2017, "1000", [("water", "100")]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_year_error"' in html and vi(DUPLICATE_REPORT) in html
    assert AnnualReport.objects.filter(establishment=est).count() == 0  # the whole request rolled back


def test_duplicate_resource_rows_are_refused(entry_client, est):
    response = entry_client.post(reverse("indicators:report_create", args=["KT-R"]),
                                 post_data(2017, "1000", [("water", "100"), ("water", "50")]))
    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["resource_type"]
    assert not AnnualReport.objects.exists()


def test_change_over_fifty_percent_asks_before_saving(entry_client, est):
    # 2017: water 20000 m³ / 1000 t = 20 m³/t
    f.report(est, 2017, 1000, {"water": 20000})
    url = reverse("indicators:report_create", args=["KT-R"])
    # 2018: 8000 / 1000 = 8 m³/t → 8/20 − 1 = −60 percent: asked about.
    data = post_data(2018, "1000", [("water", "8000")])
    asked = entry_client.post(url, data)
    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'id="large-change"' in html and "-60,0 %" in html
    assert 'name="confirm_large_change"' in html
    assert 'value="8000"' in html
    assert not AnnualReport.objects.filter(year=2018).exists()
    confirmed = entry_client.post(url, {**data, "confirm_large_change": "on"})
    assert confirmed.status_code == 302
    assert AnnualReport.objects.filter(year=2018).exists()


def test_change_under_fifty_percent_saves_without_asking(entry_client, est):
    f.report(est, 2017, 1000, {"water": 20000})
    # 12000 / 1000 = 12 → −40 percent: saved at once.
    response = entry_client.post(reverse("indicators:report_create", args=["KT-R"]),
                                 post_data(2018, "1000", [("water", "12000")]))
    assert response.status_code == 302


def test_second_report_edit_from_the_same_version_is_refused(client, data_entry_user, admin_user_role, est):
    report = f.report(est, 2017, 1000, {"water": 20000})
    url = reverse("indicators:report_edit", args=["KT-R", 2017])
    version = str(report.version)
    client.force_login(admin_user_role)
    assert client.post(url, post_data(2017, "1000", [("water", "19000")], version=version)).status_code == 302
    client.force_login(data_entry_user)
    response = client.post(url, post_data(2017, "1000", [("water", "18000")], version=version))
    assert response.status_code == 409
    html = response.content.decode()
    assert vi(STALE_MESSAGE) in html and 'value="18000"' in html
    assert "19.000" in html  # the other change: the saved quantity, shown in Vietnamese format
    report.refresh_from_db()
    assert report.lines.get().quantity == 19000
    again = client.post(url, post_data(2017, "1000", [("water", "18000")], version=str(report.version)))
    assert again.status_code == 302
    assert report.lines.get().quantity == 18000


def test_edit_replaces_lines_all_together(entry_client, est):
    report = f.report(est, 2017, 1000, {"water": 20000, "electricity": 100000})
    url = reverse("indicators:report_edit", args=["KT-R", 2017])
    response = entry_client.post(url, post_data(2017, "1000", [("water", "19000"), ("coal", "2")],
                                                version=str(report.version)))
    assert response.status_code == 302
    assert dict(report.lines.values_list("resource_type__code", "quantity")) == {"water": 19000, "coal": 2}


def test_report_list_filters(entry_client):
    a = f.establishment(code="KT-LA", name="Alpha")
    b = f.establishment(code="KT-LB", name="Beta")
    f.report(a, 2017, 10, {"water": 1})
    f.report(a, 2018, 10, {"water": 1})
    f.report(b, 2018, 10, {"water": 1})
    url = reverse("indicators:report_list")

    def keys(params):
        return [(r.establishment.code, r.year) for r, _v in entry_client.get(url, params).context["rows"]]

    # Newest year first, then by code; a page holds the reports of one year.
    assert keys({}) == [("KT-LA", 2018), ("KT-LB", 2018)]
    assert keys({"page": "2"}) == [("KT-LA", 2017)]
    assert keys({"year": "2017"}) == [("KT-LA", 2017)]
    assert keys({"q": "beta"}) == [("KT-LB", 2018)]


def test_completeness_lists_who_has_not_reported(entry_client):
    reported = f.establishment(code="KT-C1", name="Reported")
    f.establishment(code="KT-C2", name="Still missing")
    f.establishment(code="KT-C3", name="No potential", cp_potential=False)
    f.establishment(code="KT-C4", name="Closed before", status="closed", closed_year=2016)
    f.establishment(code="KT-C5", name="Set up later", established_year=2019)
    f.report(reported, 2017, 10, {"water": 1})
    response = entry_client.get(reverse("indicators:completeness"), {"year": "2017"})
    assert response.context["expected"] == 2 and response.context["reported"] == 1
    assert [e.code for e in response.context["missing"]] == ["KT-C2"]
    assert "Still missing" in response.content.decode()


def test_completeness_shows_the_first_missing_and_exports_them_all(entry_client, monkeypatch):
    from indicators import selectors

    monkeypatch.setattr(selectors, "MISSING_SHOWN", 3)
    entry_client.cookies["django_language"] = "en"
    for i in range(5):
        f.establishment(code=f"KT-M{i}", name=f"Missing {i}")
    f.report(f.establishment(code="KT-R0"), 2017, 10, {"water": 1})
    response = entry_client.get(reverse("indicators:completeness"), {"year": "2017"})
    assert [e.code for e in response.context["missing"]] == ["KT-M0", "KT-M1", "KT-M2"]
    assert response.context["missing_count"] == 5 and response.context["expected"] == 6
    page = response.content.decode()
    assert "The first 3 of 5 establishments without a report" in page and "export=csv" in page
    download = entry_client.get(reverse("indicators:completeness"), {"year": "2017", "export": "csv"})
    codes = [line.split(",")[0] for line in download.getvalue().decode("utf-8-sig").splitlines()[1:]]
    assert codes == [f"KT-M{i}" for i in range(5)]
    assert download["Content-Disposition"].startswith('attachment; filename="no-report-2017-')


def test_report_list_pages_run_through_the_years_in_order(entry_client, monkeypatch):
    """Pages of the reports: 25 rows at most, never two years on one page, every report once, in order."""
    from kontum_cp import listing

    monkeypatch.setattr(listing, "PER_PAGE", 2)
    ests = [f.establishment(code=f"KT-P{i}") for i in range(5)]
    for year, n in ((2016, 5), (2017, 1), (2018, 3)):
        for est in ests[:n]:
            f.report(est, year, 10, {"water": 1})
    url = reverse("indicators:report_list")
    pages = []
    response = entry_client.get(url, {"page": "1"})
    assert response.context["page_obj"].paginator.count == 9
    for number in range(1, response.context["page_obj"].paginator.num_pages + 1):
        rows = entry_client.get(url, {"page": str(number)}).context["rows"]
        pages.append([(r.year, r.establishment.code) for r, _v in rows])
    assert pages == [[(2018, "KT-P0"), (2018, "KT-P1")], [(2018, "KT-P2")], [(2017, "KT-P0")],
                     [(2016, "KT-P0"), (2016, "KT-P1")], [(2016, "KT-P2"), (2016, "KT-P3")], [(2016, "KT-P4")]]
    assert entry_client.get(url, {"page": "99"}).context["rows"] == entry_client.get(url, {"page": "6"}).context["rows"]
