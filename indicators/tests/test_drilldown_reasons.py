"""Every drill-down row says whether its record counts and, when it does not, why (`rules.measure_reason`,
`assistance_reason`, `establishment_reason`, `reduction_reason`), on the official data and on hand-made rows."""
import pytest
from django.urls import reverse

from indicators.models import ActionPlan
from tests import factories as f

pytestmark = pytest.mark.django_db


def drill(client, plan, code, year):
    client.cookies["django_language"] = "en"
    response = client.get(reverse("indicators:indicator_detail", args=[code]), {"plan": plan.pk, "year": year})
    assert response.status_code == 200
    return response.content.decode()


def test_the_official_adoption_rows_say_which_measures_count(manager_client, official_data):
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    html = drill(manager_client, plan, "cp_adoption", 2018)
    assert ("Hệ thống sấy bã sắn tươi kín (Production of useful by-products, 2016–2018) — <strong>counted</strong>"
            in html)
    assert ("Màng lọc thu hồi sản phẩm dư trong quá trình chế biến (On-site recovery and reuse, by 2018) — "
            "<strong>counted</strong>") in html
    assert "end-of-pipe treatment: shown, not counted" in html
    # The year before: the "last 3 years" may all lie in 2018.
    html = drill(manager_client, plan, "cp_adoption", 2017)
    assert "implemented 2016–2018: counted from 2018" in html
    assert "implemented by 2018: counted from 2018" in html
    assert "<strong>counted</strong>" not in html


def test_the_official_assistance_rows_say_why_ya_chims_assessment_is_not_counted(manager_client, official_data):
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    html = drill(manager_client, plan, "establishments_assisted", 2018)
    assert "dated by 2018: not known to lie within 2013–2018, not counted" in html
    assert html.count("✔</span> Yes") == 3  # the three records of 2017


def test_an_undated_measure_and_a_closed_establishment_say_why(manager_client):
    plan = f.plan()
    counted = f.establishment(code="R-1")
    f.measure(counted, 2016, title="Dated")
    undated = f.establishment(code="R-2")
    f.measure(undated, None, title="Undated")
    f.establishment(code="R-3", status="closed", closed_year=2016)
    f.establishment(code="R-4", cp_potential=False)
    html = drill(manager_client, plan, "cp_adoption", 2018)
    assert "Dated (Good housekeeping, 2016) — <strong>counted</strong>" in html
    assert "Undated (Good housekeeping) — <span class=\"muted\">implemented, year unknown: not counted</span>" in html
    assert "Registered establishments not counted in this year" in html
    assert "closed in 2016" in html and "no CP potential: not counted" in html
    dissemination = drill(manager_client, plan, "establishments_disseminated", 2018)
    assert "No: nobody of theirs attended an event by this year" in dissemination
    assert "closed in 2016" in dissemination


def test_a_reduction_row_says_when_the_report_unit_differs(manager_client):
    plan = f.plan()
    est = f.establishment(code="R-U")
    f.measure(est, 2016)                                   # baseline 2015
    f.report(est, 2015, 100, electricity=1000, unit="t")
    f.report(est, 2017, 100, electricity=800, unit="kg")   # another unit: no reduction
    same = f.establishment(code="R-S")
    f.measure(same, 2016)
    f.report(same, 2015, 100, electricity=1000)
    f.report(same, 2017, 100, electricity=800)             # (1 − 8/10) × 100 = 20 %
    html = drill(manager_client, plan, "energy_intensity_reduction", 2018)
    assert "report unit differs from the baseline&#x27;s: not counted" in html
    assert "20.0" in html and "counted" in html
