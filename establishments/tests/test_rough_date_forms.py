"""The measure and assistance forms: one box for a year (or a date) that also takes a range, shown back the
same way; unreadable text refused with a message and the typed text kept."""
import datetime

import pytest
from django.urls import reverse

from establishments.models import AssistanceRecord, CPMeasure
from tests import factories as f

pytestmark = pytest.mark.django_db

MEASURE = {"title": "Sấy bã kín", "category": "by_product", "status": "implemented", "investment_vnd": "",
           "expected_savings_vnd": "", "achieved_savings_vnd": "", "savings_note": "", "environmental_benefit": "",
           "wastewater_capacity_m3_day": "", "description": "", "description_en": ""}


def years(measure):
    measure.refresh_from_db()
    return measure.year, measure.year_earliest, measure.year_latest


@pytest.mark.parametrize("typed, stored, shown", [
    ("2016–2018", (None, 2016, 2018), "2016–2018"),
    ("2016-2018", (None, 2016, 2018), "2016–2018"),
    ("2016 đến 2018", (None, 2016, 2018), "2016–2018"),
    ("≤ 2018", (None, None, 2018), "by 2018"),
    ("by 2018", (None, None, 2018), "by 2018"),
    ("đến năm 2018", (None, None, 2018), "by 2018"),
    ("from 2016", (None, 2016, None), "from 2016"),
    ("từ 2016", (None, 2016, None), "from 2016"),
    ("2017", (2017, None, None), "2017"),
    ("năm 2017", (2017, None, None), "2017"),
    ("2017–2017", (2017, None, None), "2017"),   # equal ends: the exact year
    ("", (None, None, None), ""),
])
def test_the_measure_year_takes_a_range_and_shows_it_back(entry_client, typed, stored, shown):
    est = f.establishment(code="KT-R")
    entry_client.cookies["django_language"] = "en"
    response = entry_client.post(reverse("establishments:measure_create", args=["KT-R"]), {**MEASURE, "year": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    measure = est.measures.get()
    assert years(measure) == stored
    form = entry_client.get(reverse("establishments:measure_edit", args=["KT-R", measure.pk])).content.decode()
    assert f'name="year" value="{shown}"' in form if shown else 'name="year" value=' not in form


def test_a_range_edited_to_an_exact_year_and_back(entry_client):
    est = f.establishment(code="KT-E")
    measure = f.measure(est, year=None, year_earliest=2016, year_latest=2018, title="A")
    url = reverse("establishments:measure_edit", args=["KT-E", measure.pk])
    data = {**MEASURE, "title": "A", "version": str(measure.version)}
    assert entry_client.post(url, {**data, "year": "2017"}).status_code == 302
    assert years(measure) == (2017, None, None)
    assert entry_client.post(url, {**data, "year": "by 2019", "version": str(measure.version)}).status_code == 302
    assert years(measure) == (None, None, 2019)


@pytest.mark.parametrize("typed, message", [
    ("khoảng 2017", "Write a year (2018), a range (2016–2018), “by 2018” or “from 2016”."),
    ("2018–2016", "The earliest year is after the latest year."),
    ("1890", "The year must be between 1990 and 2100."),
])
def test_unreadable_years_are_refused_and_the_typed_text_kept(entry_client, typed, message):
    f.establishment(code="KT-U")
    entry_client.cookies["django_language"] = "en"
    response = entry_client.post(reverse("establishments:measure_create", args=["KT-U"]), {**MEASURE, "year": typed})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_year_error"' in html
    assert message in html
    assert f'value="{typed}"' in html and 'value="Sấy bã kín"' in html
    assert not CPMeasure.objects.exists()


ASSISTANCE = {"kind": "process_evaluation", "support_group": "", "staff_involved": "", "funding_source": "",
              "amount_vnd": "", "description": "Đánh giá SXSH", "description_en": "", "outcome": ""}


@pytest.mark.parametrize("typed, stored, shown", [
    ("15/06/2017", (2017, datetime.date(2017, 6, 15), None, None), "15/06/2017"),
    ("2017-06-15", (2017, datetime.date(2017, 6, 15), None, None), "15/06/2017"),
    ("2017", (2017, None, None, None), "2017"),
    ("đến 2018", (None, None, None, 2018), "by 2018"),
    ("2016–2018", (None, None, 2016, 2018), "2016–2018"),
    ("from 2016", (None, None, 2016, None), "from 2016"),
])
def test_the_assistance_date_takes_a_date_a_year_or_a_range(entry_client, typed, stored, shown):
    est = f.establishment(code="KT-AS")
    entry_client.cookies["django_language"] = "en"
    response = entry_client.post(reverse("establishments:assistance_create", args=["KT-AS"]),
                                 {**ASSISTANCE, "date": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    record = est.assistance.get()
    assert (record.year, record.date, record.date_earliest, record.date_latest) == stored
    form = entry_client.get(reverse("establishments:assistance_edit", args=["KT-AS", record.pk])).content.decode()
    assert f'name="date" value="{shown}"' in form


def test_an_unreadable_assistance_date_is_refused_and_kept(entry_client):
    f.establishment(code="KT-AU")
    entry_client.cookies["django_language"] = "en"
    response = entry_client.post(reverse("establishments:assistance_create", args=["KT-AU"]),
                                 {**ASSISTANCE, "date": "31/02/2018"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="id_date_error"' in html
    assert "Write a date (15/06/2018), a year (2018), a range (2016–2018), “by 2018” or “from 2016”." in html
    assert 'value="31/02/2018"' in html
    assert not AssistanceRecord.objects.exists()


def test_the_vietnamese_form_shows_a_range_in_vietnamese(entry_client):
    est = f.establishment(code="KT-VI")
    measure = f.measure(est, year=None, year_latest=2018, title="Màng lọc")
    entry_client.cookies["django_language"] = "vi"
    form = entry_client.get(reverse("establishments:measure_edit", args=["KT-VI", measure.pk])).content.decode()
    assert 'name="year" value="đến năm 2018"' in form
    # ... and reads it back as it shows it.
    data = {**MEASURE, "title": "Màng lọc", "year": "đến năm 2018", "version": str(measure.version)}
    assert entry_client.post(reverse("establishments:measure_edit", args=["KT-VI", measure.pk]), data).status_code == 302
    assert years(measure) == (None, None, 2018)
