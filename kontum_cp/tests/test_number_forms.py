"""Numbers typed into the portal's forms and the admin: grouped text is read in the user's
language, anything else is refused with a message and nothing is saved (never cut short)."""
import html
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from establishments.models import CPMeasure
from indicators.models import AnnualReport
from tests import factories as f
from training.models import Event

pytestmark = pytest.mark.django_db

MEASURE = {
    "title": "Thu hồi biogas", "category": "onsite_recovery", "status": "implemented", "year": "2018",
    "investment_vnd": "", "expected_savings_vnd": "", "achieved_savings_vnd": "", "savings_note": "",
    "environmental_benefit": "", "wastewater_capacity_m3_day": "", "description": "",
}


@pytest.fixture
def est(db):
    return f.establishment(code="KT-N")


def _measure_url():
    return reverse("establishments:measure_create", args=["KT-N"])


def _report(output):
    return {"year": "2018", "product": "Tinh bột sắn", "product_unit": "t", "output": output, "notes": "",
            "version": "", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000", "lines-0-resource_type": "", "lines-0-quantity": ""}


def test_a_grouped_investment_in_vietnamese_is_saved_whole(entry_client, est):
    response = entry_client.post(_measure_url(), {**MEASURE, "investment_vnd": "350.000.000",
                                                  "wastewater_capacity_m3_day": "1.250,5"}, follow=True)
    measure = CPMeasure.objects.get(establishment=est)
    assert measure.investment_vnd == 350000000
    assert measure.wastewater_capacity_m3_day == D("1250.5")
    assert "350.000.000 ₫" in response.content.decode()


def test_a_decimal_investment_is_refused_with_a_message_and_kept(entry_client, est):
    response = entry_client.post(_measure_url(), {**MEASURE, "investment_vnd": "350.000.000,5"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_investment_vnd_error"' in page and 'href="#id_investment_vnd"' in page
    assert "12.500" in html.unescape(page)  # the message's example is in Vietnamese grouping
    assert 'value="350.000.000,5"' in page
    assert not CPMeasure.objects.exists()


def test_the_edit_form_shows_the_amount_grouped_in_the_language(entry_client, est):
    measure = f.measure(est, investment_vnd=350000000, wastewater_capacity_m3_day=D("12.50"))
    url = reverse("establishments:measure_edit", args=["KT-N", measure.pk])
    page = entry_client.get(url).content.decode()
    assert 'value="350.000.000"' in page and 'value="12,5"' in page
    assert 'value="2016"' in page  # the year is never grouped
    assert '<input type="text" name="investment_vnd"' in page
    entry_client.cookies["django_language"] = "en"
    page = entry_client.get(url).content.decode()
    assert 'value="350,000,000"' in page and 'value="12.5"' in page


@pytest.mark.parametrize("language", ["vi", "en"])
def test_saving_the_edit_form_as_shown_keeps_the_values(entry_client, est, language):
    measure = f.measure(est, investment_vnd=1100, wastewater_capacity_m3_day=D("1.10"))
    url = reverse("establishments:measure_edit", args=["KT-N", measure.pk])
    entry_client.cookies["django_language"] = language
    page = entry_client.get(url).content.decode()
    shown = {name: re.search(f'name="{name}" value="([^"]*)"', page).group(1)
             for name in ("investment_vnd", "wastewater_capacity_m3_day")}
    data = {**MEASURE, "title": measure.title, "category": measure.category, "year": "2016",
            "version": str(measure.version), **shown}
    assert entry_client.post(url, data).status_code == 302
    measure.refresh_from_db()
    assert (measure.investment_vnd, measure.wastewater_capacity_m3_day) == (1100, D("1.1"))


@pytest.mark.parametrize("typed,saved", [("12.500", D("12500")), ("12,5", D("12.5")), ("12.500,75", D("12500.75"))])
def test_report_output_in_vietnamese(entry_client, est, typed, saved):
    response = entry_client.post(reverse("indicators:report_create", args=["KT-N"]), _report(typed))
    assert response.status_code == 302, response.context["form"].errors
    assert AnnualReport.objects.get(establishment=est).output == saved


def test_report_output_in_english(entry_client, est):
    entry_client.cookies["django_language"] = "en"
    response = entry_client.post(reverse("indicators:report_create", args=["KT-N"]), _report("12,500.5"))
    assert response.status_code == 302
    assert AnnualReport.objects.get(establishment=est).output == D("12500.5")


def test_an_english_investment_and_a_refused_one(entry_client, est):
    entry_client.cookies["django_language"] = "en"
    refused = entry_client.post(_measure_url(), {**MEASURE, "investment_vnd": "350,000,000.5"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["investment_vnd"] == [
        "Enter a whole number without decimals, e.g. 12,500."]
    assert not CPMeasure.objects.exists()
    assert entry_client.post(_measure_url(), {**MEASURE, "investment_vnd": "350,000,000"}).status_code == 302
    assert CPMeasure.objects.get().investment_vnd == 350000000


def test_resource_quantities_and_training_audience_read_grouping(entry_client, est):
    from indicators.models import ResourceType

    water = ResourceType.objects.get(code="water").pk
    data = {**_report("1.000"), "lines-0-resource_type": str(water), "lines-0-quantity": "19.000,5",
            "confirm_large_change": "on"}
    assert entry_client.post(reverse("indicators:report_create", args=["KT-N"]), data).status_code == 302
    assert AnnualReport.objects.get().lines.get().quantity == D("19000.5")
    event = {"code": "EV-N", "title": "Phát thanh", "kind": "media", "start_date": "02/04/2019",
             "end_date": "", "place": "", "organiser": "", "topic": "", "audience_reached": "12.000"}
    assert entry_client.post(reverse("training:event_create"), event).status_code == 302
    assert Event.objects.get(code="EV-N").audience_reached == 12000


def test_the_admin_reads_grouped_amounts(admin_client_role, est):
    measure = f.measure(est, investment_vnd=1000)
    url = reverse("admin:establishments_cpmeasure_change", args=[measure.pk])
    page = admin_client_role.get(url).content.decode()
    assert 'value="1.000"' in page and 'name="year" value="2016"' in page
    data = {"establishment": str(est.pk), "title": measure.title, "category": measure.category,
            "status": measure.status, "year": "2016", "investment_vnd": "350.000.000",
            "expected_savings_vnd": "", "achieved_savings_vnd": "", "savings_note": "",
            "environmental_benefit": "", "wastewater_capacity_m3_day": "", "description": ""}
    assert admin_client_role.post(url, data).status_code == 302
    measure.refresh_from_db()
    assert measure.investment_vnd == 350000000
    refused = admin_client_role.post(url, {**data, "investment_vnd": "350.000.000,5"})
    assert refused.status_code == 200 and 'value="350.000.000,5"' in refused.content.decode()
    measure.refresh_from_db()
    assert measure.investment_vnd == 350000000
