"""Vietnamese as a Department of Industry and Trade writes it (/work/shared/docs/WORDING.md).

Each rule of the wording table is checked where the words live: the catalogue (every translation), the
templates and the Vietnamese user guide (text written in Vietnamese), and the pages that show them.
"""
import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from establishments.models import Establishment
from indicators import charts
from indicators.dashboard_cache import cached_dashboard
from indicators.models import ActionPlan
from kontum_cp.templatetags.portal import document_month

from .test_vietnamese_wording import visible_text

BASE = Path(settings.BASE_DIR)

# (what must not be written, the rule) — WORDING.md's "now" column, and the rule behind each fix.
BANNED = [
    (r"(?i)năm cơ sở", "the baseline year is “năm gốc” (“cơ sở” means establishment)"),
    (r"(?i)chặng đường", "progress reads “đạt … so với mục tiêu”"),
    (r"(?i)mức (độ )?đầy đủ (của )?số liệu", "completeness is “Tình hình nộp báo cáo”"),
    (r"(?i)(?<!Sở )tài nguyên", "electricity and diesel are not “tài nguyên”: “năng lượng, nguyên vật liệu, nước”"),
    (r"\((điểm )?phần trăm\)", "units in brackets as symbols: “(%)”"),
    (r"\(người\)", "no unit repeating the noun: “Số người”"),
    (r"[^\W\d_] Sản xuất sạch hơn", "no capital inside a phrase"),
    (r"(?i)cận (dưới|trên)|ngưỡng (dưới|trên)", "“mức tối thiểu / mức tối đa”"),
    (r"(?i)không rõ\)|^chưa ghi$", "one word for unspecified: “Không xác định”"),
    (r"tháng 0[3-9]", "months 3–12 without a leading zero"),
]


def vietnamese_translations():
    path = BASE / "locale" / "vi" / "LC_MESSAGES" / "django.mo"
    with open(path, "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    return {str(msgid): msgstr for msgid, msgstr in catalog.items() if msgid}


def broken_rules(texts):
    return sorted({(rule, text[:90]) for text in texts for pattern, rule in BANNED if re.search(pattern, text)})


def test_no_translation_breaks_a_wording_rule():
    assert broken_rules(vietnamese_translations().values()) == []


def test_no_template_and_no_vietnamese_guide_breaks_a_wording_rule():
    files = [*sorted((BASE / "templates").rglob("*.html")), BASE / "docs" / "user-guide.vi.md"]
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    assert broken_rules(lines) == []


def test_the_terms_of_the_wording_table():
    with translation.override("vi"):
        assert translation.gettext("baseline year") == "năm gốc"
        assert translation.gettext("%(p)s of the way to the target") == "đạt %(p)s so với mục tiêu"
        assert translation.gettext("Resource") == "Loại tiêu hao"
        assert translation.gettext("Resources used in the year") == "Năng lượng, nguyên vật liệu, nước sử dụng trong năm"
        assert translation.gettext("Share (%)") == "Tỷ lệ (%)"
        assert translation.gettext("Energy (%)") == "Năng lượng (%)"
        assert translation.gettext("Number of people") == "Số người"
        assert translation.gettext("Audience reached") == "Số người được tiếp cận"
        assert translation.gettext("Cleaner Production Monitoring") == "Theo dõi sản xuất sạch hơn"
        assert translation.gettext("low bound") == "mức tối thiểu"
        assert translation.gettext("high bound") == "mức tối đa"
        assert translation.gettext("Share of establishments reaching the target's minimum") == \
            "Tỷ lệ cơ sở đạt mức tối thiểu của mục tiêu"
        assert translation.gettext("CP implementation plan") == "Xây dựng kế hoạch thực hiện SXSH"
        assert translation.pgettext("assistance", "Kind") == "Hình thức hỗ trợ"
        assert translation.gettext("Unspecified") == "Không xác định"
        assert translation.gettext("No place given") == "Chưa xác định địa bàn"
        assert [translation.gettext(r) for r in ("Data entry", "Manager", "Administrator")] == \
            ["Nhập liệu", "Lãnh đạo", "Quản trị"]


@pytest.mark.parametrize("day,expected", [
    (datetime.date(2026, 3, 2), "3"), (datetime.date(2026, 12, 31), "12"), (datetime.date(2026, 1, 5), "01"),
    (datetime.date(2026, 2, 28), "02"), (datetime.date(2026, 10, 9), "10"),
])
def test_the_month_of_a_signature_line(day, expected):
    assert document_month(day) == expected
    assert document_month(None) == ""


@pytest.mark.django_db
def test_pages_use_the_terms(manager_client, official_data):
    establishment = Establishment.objects.get(code="KT-0005")
    establishment.baseline_year = 2016
    establishment.save()
    page = visible_text(manager_client.get(establishment.get_absolute_url()).content.decode())
    assert "Năm gốc 2016" in page
    assert "Hình thức hỗ trợ" in page and "Xây dựng kế hoạch thực hiện SXSH" in page
    assert "Theo dõi sản xuất sạch hơn" in page

    dashboard = visible_text(manager_client.get(reverse("indicators:dashboard") + "?year=2018").content.decode())
    assert "Tình hình nộp báo cáo: đã nhận 0/7 báo cáo năm 2018 của cơ sở có tiềm năng áp dụng SXSH." in dashboard

    # The date line of today's Department (Quảng Ngãi since 01/07/2025), months 3–12 without a leading zero;
    # asked in English while the new line's Vietnamese is not compiled (establishments/tests/test_department.py).
    manager_client.cookies["django_language"] = "en"
    html = manager_client.get(reverse("indicators:dashboard_report") + "?year=2018").content.decode()
    today = timezone.localdate()
    assert f"Quang Ngai, day {today:%d} month {document_month(today)} year {today.year}" in html


@pytest.mark.django_db
def test_the_progress_bar_says_how_far_the_value_is_towards_the_target(manager_client, official_data):
    from tests import factories as f

    applying = Establishment.objects.get(code="KT-0001")
    f.measure(applying, title="Quản lý nội vi", year=2016)
    f.registry_coverage(2018, complete=True)  # judged against its target only for a confirmed registry
    html = manager_client.get(reverse("indicators:dashboard") + "?year=2018").content.decode()
    assert re.search(r'aria-label="đạt [\d,]+ % so với mục tiêu"', html)


@pytest.mark.django_db
def test_charts_name_the_establishments_without_a_place_and_use_unit_symbols(official_data):
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    with translation.override("vi"):
        specs = {s.name: s for s in charts.all_specs(cached_dashboard(plan, 2018).dash, plan)}
    assert [row[0] for row in specs["by-place"].rows] == ["Tỉnh Kon Tum"]  # the report names no district
    # Under a plan without a territory (every establishment counts), one without a place is named so.
    plan.territory = None
    plan.save()
    Establishment.objects.filter(code="KT-0007").update(place=None)
    with translation.override("vi"):
        by_place = charts.all_specs(cached_dashboard(plan, 2018).dash, plan)
    assert sorted(row[0] for spec in by_place if spec.name == "by-place" for row in spec.rows) == [
        "Chưa xác định địa bàn", "Tỉnh Kon Tum"]
    assert specs["by-place"].columns[-1] == "Tỷ lệ (%)"
    assert "Chưa xác định ngành" not in [row[0] for row in specs["by-sector"].rows]  # every one has a sector
    assert specs["indicator-cp_adoption"].y_label == "Tỷ lệ (%)"
    assert specs["training"].x_label == "Số người"
