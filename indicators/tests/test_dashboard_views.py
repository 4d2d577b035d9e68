"""The dashboard page, drill-downs, charts and exports over HTTP."""
import csv
import io
import json

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import number_format

from indicators import charts, engine

from . import dashboard_data as d

pytestmark = pytest.mark.django_db


def sample(number="T/1", extra=0):
    """POT(2018) = E1..E4 (+ extra); E1 adopts in 2015 (good housekeeping), E2 only end-of-pipe."""
    p = d.plan(number, cp_adoption=15, energy_intensity_reduction=(5, 8, 2020), gov_staff_disseminated=100)
    prefix = number.replace("/", "")  # an establishment code is part of its web address: no slash
    e1, e2 = d.est(f"{prefix}-E1"), d.est(f"{prefix}-E2")
    d.est(f"{prefix}-E3"); d.est(f"{prefix}-E4")
    d.measure(e1, 2015, title="Thu hồi nhiệt")
    d.measure(e2, 2015, category="end_of_pipe", title="Hệ thống xử lý nước thải")
    d.report(e1, 2014, 100, electricity=10000)
    d.report(e1, 2017, 100, electricity=9000)  # energy R = 10 %
    d.attend(d.person("manager", e1), d.event(2016))
    d.attend(d.person("technical_staff", e1), d.event(2017, "training_course"))
    d.reported("establishments_disseminated", 2018, 70, document="Báo cáo 2018 của Sở")
    d.assist(e1, 2016)
    for i in range(extra):
        e = d.est(f"{prefix}-X{i}")
        d.measure(e, 2016)
        d.report(e, 2015, 100, electricity=500)
        d.report(e, 2018, 100, electricity=450)
        d.attend(d.person("technical_staff", e), d.event(2017, "training_course"))
        d.assist(e, 2017)
    return p


def url(name, p, year=2018, *args):
    return reverse(f"indicators:{name}", args=args) + f"?plan={p.pk}&year={year}"


def pct_vi(value):
    return number_format(round(value, 1), decimal_pos=1, use_l10n=True, force_grouping=True) + " %"


def test_dashboard_shows_cards_with_value_target_status_and_source(manager_client):
    p = sample()
    response = manager_client.get(url("dashboard", p))
    assert response.status_code == 200
    html = response.content.decode()
    # cp_adoption: 1 adopter of 4 = 25 %
    assert "25,0 %" in html
    assert "✔</span> Đã đạt" in html  # status as symbol and word (Vietnamese is the default language)
    # establishments_disseminated computed 1/4 = 25 % and the reported 70 % beside it
    assert "Báo cáo 2018 của Sở" in html and "70,0 %" in html
    assert html.count('class="card ind-card"') == 8
    # completeness: no 2018 report from any of the 4 establishments with CP potential
    assert (response.context["dash"].completeness.reports_received,
            response.context["dash"].completeness.establishments) == (0, 4)
    assert reverse("indicators:indicator_detail", args=["cp_adoption"]) in html


def test_completeness_counts_reports_of_the_year(manager_client):
    p = sample()
    from establishments.models import Establishment

    d.report(Establishment.objects.get(code="T1-E3"), 2018, 50, electricity=10)
    response = manager_client.get(url("dashboard", p))
    completeness = response.context["dash"].completeness
    assert (completeness.reports_received, completeness.establishments) == (1, 4)


def test_dashboard_defaults_to_the_latest_year_with_data(manager_client):
    p = sample()
    response = manager_client.get(reverse("indicators:dashboard") + f"?plan={p.pk}")
    assert response.context["dash"].year == 2018  # the reported value's year


def test_each_chart_has_alt_text_and_its_data_table(manager_client):
    p = sample()
    html = manager_client.get(url("dashboard", p)).content.decode()
    for name in charts.CHART_NAMES:
        chart_url = reverse("indicators:dashboard_chart", args=[name])
        assert chart_url in html
    assert html.count("<img src=") == len(charts.CHART_NAMES)
    assert 'alt=""' not in html
    assert html.count("<details") == len(charts.CHART_NAMES)


def test_chart_svg_has_title_and_target(manager_client):
    p = sample()
    response = manager_client.get(url("dashboard_chart", p, 2018, "indicator-cp_adoption"))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Cơ sở áp dụng SXSH" in svg or "Establishments applying CP" in svg
    assert "15 %" in svg  # the target line's legend
    band = manager_client.get(url("dashboard_chart", p, 2018, "indicator-energy_intensity_reduction")).content
    assert "5–8 %" in band.decode()  # a range target is drawn as a band


def test_chart_is_cached_until_its_data_changes(manager_client):
    p = sample()
    chart = url("dashboard_chart", p, 2018, "by-sector")
    first = manager_client.get(chart).content
    with CaptureQueriesContext(connection) as ctx:
        again = manager_client.get(chart).content
    assert again == first
    assert d.engine_reads(ctx.captured_queries) == []  # served from the cache: the engine did not run
    e = d.est("NEW", sector=None)
    d.measure(e, 2017)
    changed = manager_client.get(chart).content
    assert changed != first


def test_drill_down_lists_adopters_and_their_measures(manager_client):
    p = sample()
    html = manager_client.get(url("indicator_detail", p, 2018, "cp_adoption")).content.decode()
    assert "Thu hồi nhiệt" in html            # the measure that counts
    # End-of-pipe does not: it is shown, saying why (the new reason is asserted in English, like every new text).
    end_of_pipe = html.split("Hệ thống xử lý nước thải")[1].split("</td>")[0]
    assert "<strong>" not in end_of_pipe and 'class="muted"' in end_of_pipe
    assert "T1-E3" in html                  # in the denominator


def test_drill_down_of_reduction_shows_baseline_and_current_intensity(manager_client):
    p = sample()
    html = manager_client.get(url("indicator_detail", p, 2018, "energy_intensity_reduction")).content.decode()
    # E1: baseline 2014: 36 GJ / 100 t = 0,3600; 2017: 32,4 / 100 = 0,3240; R = 10 %
    assert "0,3600" in html and "0,3240" in html and "10,0 %" in html


def test_drill_down_of_unknown_indicator_is_404(manager_client):
    sample()
    assert manager_client.get(reverse("indicators:indicator_detail", args=["nonsense"])).status_code == 404


def test_official_2018_dashboard_shows_reported_figures_with_source(manager_client, official_data):
    html = manager_client.get(reverse("indicators:dashboard") + "?year=2018").content.decode()
    assert "70,0 %" in html
    assert "<strong>10</strong>" in html
    assert "Kết quả thực hiện Chiến lược" in html
    assert "835/QĐ-UBND" in html


def _page_queries(client, target):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(target).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name, args", [
    ("dashboard", ()), ("dashboard_report", ()), ("indicator_detail", ("cp_adoption",)),
    ("indicator_detail", ("energy_intensity_reduction",)), ("indicator_detail", ("technical_staff_trained",)),
    ("indicator_detail", ("establishments_assisted",)), ("dashboard_export", ("csv",)),
    ("dashboard_chart", ("by-place",)), ("dashboard_chart", ("indicator-cp_adoption",)),
    ("indicator_detail", ("material_intensity_reduction",)), ("indicator_detail", ("establishments_disseminated",)),
    ("indicator_detail", ("gov_staff_disseminated",)), ("indicator_detail", ("cp_staff_trained",)),
    ("dashboard_export", ("xlsx",)),
])
def test_pages_run_the_same_number_of_queries_whatever_the_data_size(manager_client, name, args,
                                                                      django_assert_num_queries):
    small = sample("S/1")
    count = _page_queries(manager_client, url(name, small, 2018, *args))
    large = sample("L/1", extra=20)
    with django_assert_num_queries(count):
        manager_client.get(url(name, large, 2018, *args))


def test_page_exports_and_command_give_the_same_numbers(manager_client):
    p = sample()
    page = manager_client.get(url("dashboard", p))
    html = page.content.decode()
    csv_rows = list(csv.DictReader(io.StringIO(manager_client.get(url("dashboard_export", p, 2018, "csv"))
                                               .content.decode("utf-8-sig"))))
    xlsx = pd.read_excel(io.BytesIO(manager_client.get(url("dashboard_export", p, 2018, "xlsx")).content))
    out = io.StringIO()
    call_command("progress", "--plan", p.decision_number, "--year", "2018", "--format", "json", stdout=out)
    command = json.loads(out.getvalue())
    assert command["year"] == 2018 and command["plan"] == p.decision_number
    assert [r["code"] for r in csv_rows] == [i["code"] for i in command["indicators"]] == list(xlsx["code"])
    full = "Giá trị (đầy đủ)"  # the export's headers follow the user's language (Vietnamese here)
    for row, item, (_, x) in zip(csv_rows, command["indicators"], xlsx.iterrows()):
        assert row["Kế hoạch"] == p.decision_number and row["Tính đến năm"] == "2018"
        assert row["source_code"] == item["source"] == x["source_code"]
        assert row["status_code"] == (item["status"] or "")
        assert row["Công thức"]
        if item["value"] is None:
            assert row[full] == "" and pd.isna(x[full])
            continue
        assert float(row[full]) == pytest.approx(item["value"]) == pytest.approx(x[full])
        if item["unit"] == "%":
            assert pct_vi(item["value"]) in html
    adoption = next(i for i in command["indicators"] if i["code"] == "cp_adoption")
    assert adoption["value"] == pytest.approx(25.0)  # 1 of 4, by hand


def test_export_rejects_unknown_format(manager_client):
    p = sample()
    assert manager_client.get(url("dashboard_export", p, 2018, "pdf")).status_code == 404


def test_printable_report_has_title_sections_and_signature(manager_client):
    p = sample()
    html = manager_client.get(url("dashboard_report", p)).content.decode()
    assert "2009–2018" in html
    assert "Giám đốc Sở Công Thương" in html
    assert "print" in html
    assert 'id="finding-cp_adoption"' in html and "(1/4)" in html  # its paragraph: 1 of 4 by hand
    assert "Thu hồi nhiệt" not in html  # measures are listed in the annex only
    annexed = manager_client.get(url("dashboard_report", p) + "&annex=1").content.decode()
    assert "Thu hồi nhiệt" in annexed  # establishments applying CP and their measures


def test_dashboard_without_any_plan_says_how_to_load_one(manager_client):
    from indicators.models import ActionPlan

    ActionPlan.objects.all().delete()
    response = manager_client.get(reverse("indicators:dashboard"))
    assert response.status_code == 200
    assert "loaddata" in response.content.decode()


def test_charts_after_the_page_reuse_its_dashboard_instead_of_running_the_engine(manager_client):
    p = sample()
    with CaptureQueriesContext(connection) as page:
        assert manager_client.get(url("dashboard", p)).status_code == 200
    assert d.engine_reads(page.captured_queries)  # the first request runs the engine
    for name in charts.CHART_NAMES:  # no chart is cached yet: each is drawn from the cached dashboard
        with CaptureQueriesContext(connection) as ctx:
            response = manager_client.get(url("dashboard_chart", p, 2018, name))
        assert response.status_code == 200 and b"<svg" in response.content
        assert d.engine_reads(ctx.captured_queries) == [], name
    for name, args in (("dashboard_export", ("csv",)), ("dashboard", ())):
        with CaptureQueriesContext(connection) as ctx:
            manager_client.get(url(name, p, 2018, *args))
        assert d.engine_reads(ctx.captured_queries) == [], name


def test_cached_dashboard_follows_changes_to_the_data(manager_client):
    from establishments.models import Establishment

    p = sample()
    first = manager_client.get(url("dashboard", p)).context["dash"].get("cp_adoption")
    assert (first.numerator, first.denominator) == (1, 4)
    d.measure(Establishment.objects.get(code="T1-E3"), 2016)
    again = manager_client.get(url("dashboard", p)).context["dash"].get("cp_adoption")
    assert (again.numerator, again.denominator) == (2, 4)
    Establishment.objects.filter(code="T1-E4").update(cp_potential=False)  # no history row, but
    d.est("T1-E5", potential=False)  # any saved row moves the fingerprint
    third = manager_client.get(url("dashboard", p)).context["dash"].get("cp_adoption")
    assert (third.numerator, third.denominator) == (2, 3)


def test_cached_dashboard_is_kept_per_language(manager_client):
    p = sample()
    vi = manager_client.get(url("dashboard", p)).context["dash"]
    manager_client.cookies["django_language"] = "en"
    en = manager_client.get(url("dashboard", p)).context["dash"]
    # Staff categories in the training breakdown are translated when the dashboard is computed.
    assert [row[0] for row in en.training] == ["Establishment technical staff", "Establishment manager"]
    assert [row[0] for row in vi.training] != [row[0] for row in en.training]


def test_reductions_of_many_establishments_are_drawn_as_a_histogram(manager_client):
    few = sample("F/1")  # one adopter: one bar per establishment
    spec = charts.reductions_spec(manager_client.get(url("dashboard", few)).context["dash"])
    assert spec.kind == "hbar" and len(spec.rows) == 1
    for i in range(engine.MAX_LISTED):  # MAX_LISTED more adopters, each cutting energy by 12 %
        e = d.est(f"H-{i}")
        d.measure(e, 2016)
        d.report(e, 2015, 100, electricity=500)
        d.report(e, 2018, 100, electricity=440)
    response = manager_client.get(url("dashboard", few))
    dash = response.context["dash"]
    assert dash.reductions == () and dash.reductions_total == engine.MAX_LISTED + 1
    bins = {(low, high): (e, mat) for low, high, e, mat in dash.reduction_bins}
    assert bins[(10.0, 12.5)][0] >= engine.MAX_LISTED  # (1 − 440 ÷ 500) × 100 = 12 (10 would sit on a boundary,
    # where the last bit of a division decides, and SQLite and PostgreSQL multiply the quantities differently)
    assert sum(e for e, _ in bins.values()) == dash.get("energy_intensity_reduction").n
    assert sum(mat for _, mat in bins.values()) == dash.get("material_intensity_reduction").n
    spec = next(c["spec"] for c in response.context["other_charts"] if c["spec"].name == "reductions")
    assert len(spec.rows) == len(bins) and spec.kind == "hist"
    assert spec.alt.startswith("Biểu đồ tần suất") or spec.alt.startswith("Histogram")
    assert "H-0" not in response.content.decode()  # the page's table counts; the drill-down lists them
    svg = manager_client.get(url("dashboard_chart", few, 2018, "reductions")).content.decode()
    assert "<svg" in svg and "H-0" not in svg  # no per-establishment labels
def test_printable_report_lists_only_measures_up_to_its_year(manager_client):
    p = sample()
    from establishments.models import Establishment

    d.measure(Establishment.objects.get(code="T1-E1"), 2019, title="Đổi mới công nghệ 2019")
    page = manager_client.get(url("dashboard_report", p, 2018) + "&annex=1").content.decode()
    assert "Thu hồi nhiệt" in page
    assert "Đổi mới công nghệ 2019" not in page
    later = manager_client.get(url("dashboard_report", p, 2019) + "&annex=1").content.decode()
    assert "Đổi mới công nghệ 2019" in later


def test_the_annex_prints_its_first_rows_and_says_how_many_there_are(manager_client, monkeypatch):
    from indicators import printed_report

    from establishments.models import Establishment

    p = sample()
    d.measure(Establishment.objects.get(code="T1-E1"), 2017, title="Second measure")  # E1 adopts: two measures
    monkeypatch.setattr(printed_report, "ANNEX_ROWS", 1)
    manager_client.cookies["django_language"] = "en"
    response = manager_client.get(url("dashboard_report", p, 2018) + "&annex=1")
    measures = response.context["measures"]
    assert (len(measures.rows), measures.total, measures.more) == (1, 2, 1)
    assert "The first 1 of 2 rows are printed" in response.content.decode()
    monkeypatch.setattr(printed_report, "ANNEX_ROWS", 200)
    whole = manager_client.get(url("dashboard_report", p, 2018) + "&annex=1")
    assert whole.context["measures"].more == 0 and "rows are printed" not in whole.content.decode()


@pytest.mark.parametrize("language, n, expected", [
    ("vi", 25332, "tính từ báo cáo năm của 25.332 cơ sở"),
    ("en", 25332, "computed from the reports of 25,332 establishments"),
    ("en", 1, "computed from the reports of 1 establishment"),
])
def test_the_source_line_groups_its_number_as_the_language_does(language, n, expected):
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    r = SimpleNamespace(computed=9.0, code="energy_intensity_reduction", n=n, denominator=None, reported=None,
                        reported_beside=None)
    with translation.override(language):
        assert render_to_string("indicators/dashboard/_source.html", {"r": r}).strip() == expected


@pytest.mark.parametrize("language, expected", [
    ("vi", "Tính trên 56.449 cơ sở có trong danh sách. Chưa đánh giá được: x."),
    ("en", "Among the 56,449 registered establishments. Not assessable: x."),
])
def test_the_coverage_line_groups_its_number_as_the_language_does(language, expected):
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    r = SimpleNamespace(registered=56449, coverage_reason="x", reported_beside=None)
    with translation.override(language):
        assert render_to_string("indicators/dashboard/_coverage.html", {"r": r}).strip() == expected
