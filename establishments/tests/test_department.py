"""The Department that runs the portal is data with validity dates (DOMAIN.md, *Places*; issue 11).

The official rows come from the migration: Sở Công Thương tỉnh Kon Tum until 30/06/2025, Sở Công Thương
tỉnh Quảng Ngãi from 01/07/2025. Pages served today speak as Quảng Ngãi's; the selector's `on=` gives the
Department of another day. New sentences are checked in English (their Vietnamese is compiled by the lead);
the Department's own texts are data and are checked in both languages.
"""
import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from establishments.departments import current_department, department_on, plan_territory_label, territory_label
from establishments.models import Department, Place
from kontum_cp import document_dates
from kontum_cp.templatetags.portal import document_date

pytestmark = pytest.mark.django_db

LAST_KON_TUM_DAY = datetime.date(2025, 6, 30)
FIRST_QUANG_NGAI_DAY = datetime.date(2025, 7, 1)
KT_NAME = "Sở Công Thương tỉnh Kon Tum"
QN_NAME = "Sở Công Thương tỉnh Quảng Ngãi"


def _english(client):
    client.cookies["django_language"] = "en"
    return client


def test_the_official_rows_kon_tum_until_30_06_2025_and_quang_ngai_from_01_07_2025():
    assert current_department(on=datetime.date(2009, 1, 1)).name == KT_NAME
    kon_tum = current_department(on=LAST_KON_TUM_DAY)
    assert (kon_tum.name, kon_tum.name_en, kon_tum.province.code) == (
        KT_NAME, "Kon Tum Department of Industry and Trade", "62")
    assert (kon_tum.governing_body, kon_tum.issuer, kon_tum.date_place) == ("UBND TỈNH KON TUM", "SỞ CÔNG THƯƠNG",
                                                                            "Kon Tum")
    quang_ngai = current_department(on=FIRST_QUANG_NGAI_DAY)
    assert (quang_ngai.name, quang_ngai.name_en, quang_ngai.province.code, quang_ngai.valid_from) == (
        QN_NAME, "Quang Ngai Department of Industry and Trade", "51", FIRST_QUANG_NGAI_DAY)
    assert (quang_ngai.governing_body, quang_ngai.governing_body_en, quang_ngai.date_place_en) == (
        "UBND TỈNH QUẢNG NGÃI", "PEOPLE'S COMMITTEE OF QUANG NGAI PROVINCE", "Quang Ngai")
    assert current_department().name == QN_NAME  # today (the suite runs after 2025)


def test_the_row_of_a_day_is_the_latest_that_began_on_or_before_it():
    early = SimpleNamespace(valid_from=datetime.date(2020, 1, 1))
    late = SimpleNamespace(valid_from=datetime.date(2025, 7, 1))
    undated = SimpleNamespace(valid_from=None)
    rows = [late, undated, early]
    assert department_on(rows, datetime.date(2019, 12, 31)) is undated
    assert department_on(rows, datetime.date(2020, 1, 1)) is early
    assert department_on(rows, datetime.date(2025, 6, 30)) is early
    assert department_on(rows, datetime.date(2025, 7, 1)) is late
    # Before every dated row and no undated one: the earliest still names the Department.
    assert department_on([late, early], datetime.date(2000, 1, 1)) is early
    assert department_on([], datetime.date(2025, 7, 1)) is None


def test_one_undated_row_and_one_row_per_date():
    province = Place.objects.get(code="51")
    fields = {"name": "X", "short_name": "X", "province": province, "governing_body": "UBND",
              "issuer": "SỞ", "date_place": "X"}
    with pytest.raises(ValidationError) as undated:
        Department(**fields).full_clean()
    assert "valid_from" in undated.value.message_dict
    with pytest.raises(ValidationError) as same_day:
        Department(valid_from=FIRST_QUANG_NGAI_DAY, **fields).full_clean()
    assert "valid_from" in same_day.value.message_dict
    with pytest.raises(ValidationError) as outside_logo:
        Department(valid_from=datetime.date(2030, 1, 1), logo="https://example.org/x.png", **fields).full_clean()
    assert "logo" in outside_logo.value.message_dict
    Department(valid_from=datetime.date(2030, 1, 1), logo="img/logos/sxsh-mark.svg", **fields).full_clean()


def test_header_title_and_footer_speak_as_todays_department_in_both_languages(manager_client):
    html = manager_client.get(reverse("home")).content.decode()
    assert "· Sở Công Thương Quảng Ngãi</title>" in html
    assert f'<small class="brand__org">{QN_NAME}</small>' in html
    assert f"{QN_NAME} —" in html  # footer
    assert "Kon Tum" not in html.split("<main")[0]  # the header names no former Department

    html = _english(manager_client).get(reverse("home")).content.decode()
    assert "· Quang Ngai DoIT</title>" in html
    assert '<small class="brand__org">Quang Ngai Department of Industry and Trade</small>' in html
    assert "Quang Ngai Department of Industry and Trade — Cleaner Production Support Group" in html
    assert "<h1>Cleaner production in industry</h1>" in html
    assert "Kon Tum" not in html.split("<main")[0]


def test_the_sign_in_page_names_todays_department(client):
    html = client.get(reverse("login")).content.decode()
    assert f'<small class="brand__org">{QN_NAME}</small>' in html and QN_NAME in html.split('id="login-department"')[1]
    html = _english(client).get(reverse("login")).content.decode()
    assert ("Cleaner production programme of the Quang Ngai Department of Industry and Trade: establishments"
            in html)


def test_a_report_printed_today_is_issued_by_todays_department(manager_client, official_data):
    url = reverse("indicators:dashboard_report") + "?year=2018"
    html = manager_client.get(url).content.decode()
    head = html.split('class="report-head"')[1].split("</header>")[0]
    assert "UBND TỈNH QUẢNG NGÃI" in head and "<strong>SỞ CÔNG THƯƠNG</strong>" in head
    assert "KON TUM" not in head

    html = _english(manager_client).get(url).content.decode()
    head = html.split('class="report-head"')[1].split("</header>")[0]
    assert "PEOPLE&#x27;S COMMITTEE OF QUANG NGAI PROVINCE" in head
    assert "DEPARTMENT OF INDUSTRY AND TRADE" in head
    today = timezone.localdate()
    line = document_dates.signature_line(today, "Quang Ngai")
    assert f'<em id="report-date-line">{line}</em>' in html
    # Plan 835 covers Kon Tum as it was: the report names that territory with the day it ended.
    assert '<p class="report-sub" id="report-territory">Territory: Kon Tum province (until 30/06/2025)</p>' in html
    home = manager_client.get(reverse("home")).content.decode()
    assert '<p id="plan-territory">Territory: Kon Tum province (until 30/06/2025)</p>' in home


def _report_parts(on, language):
    """The heading and signature of a report as printed on the day `on` (the view passes today)."""
    with translation.override(language):
        ctx = {"issuer": current_department(on=on), "today": on}
        return (render_to_string("indicators/dashboard/_report_heading.html", ctx)
                + render_to_string("indicators/dashboard/_report_signature.html", ctx))


def test_a_report_printed_before_01_07_2025_is_issued_by_the_kon_tum_department():
    html = _report_parts(LAST_KON_TUM_DAY, "vi")
    assert "<p>UBND TỈNH KON TUM</p>" in html and "QUẢNG NGÃI" not in html
    assert '<em id="report-date-line">Kon Tum, ' in html
    html = _report_parts(LAST_KON_TUM_DAY, "en")
    assert "<p>PEOPLE&#x27;S COMMITTEE OF KON TUM PROVINCE</p>" in html
    assert '<em id="report-date-line">Kon Tum, day 30 month 6 year 2025</em>' in html
    html = _report_parts(FIRST_QUANG_NGAI_DAY, "en")
    assert '<em id="report-date-line">Quang Ngai, day 01 month 7 year 2025</em>' in html


def test_the_header_of_a_day_before_the_merger_names_the_kon_tum_department(rf, manager_user):
    request = rf.get("/")
    request.user = manager_user
    kon_tum = current_department(on=LAST_KON_TUM_DAY)
    with translation.override("vi"):
        html = render_to_string("home.html", {"department": kon_tum}, request=request)
    assert f'<small class="brand__org">{KT_NAME}</small>' in html and "· Sở Công Thương Kon Tum</title>" in html
    with translation.override("en"):
        html = render_to_string("home.html", {"department": kon_tum}, request=request)
    assert "Kon Tum Department of Industry and Trade" in html and "Quang Ngai" not in html


def test_editing_the_department_in_the_admin_changes_the_header(admin_client_role, admin_user_role):
    row = current_department()
    change = reverse("admin:establishments_department_change", args=[row.pk])
    assert admin_client_role.get(change).status_code == 200
    data = {
        "valid_from": "01/07/2025", "province": row.province_id, "name": "Sở Công Thương tỉnh Quảng Ngãi (mới)",
        "name_en": "Quang Ngai DoIT (new)", "short_name": "SCT Quảng Ngãi", "short_name_en": "QN DoIT",
        "logo": "img/logos/sxsh-mark.svg", "governing_body": "UBND TỈNH QUẢNG NGÃI",
        "governing_body_en": "", "issuer": "SỞ CÔNG THƯƠNG", "issuer_en": "", "date_place": "Quảng Ngãi",
        "date_place_en": "",
    }
    response = admin_client_role.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    row.refresh_from_db()
    assert row.history.latest().history_user == admin_user_role  # the admin keeps who changed what
    html = admin_client_role.get(reverse("home")).content.decode()
    assert '<small class="brand__org">Sở Công Thương tỉnh Quảng Ngãi (mới)</small>' in html
    assert "· SCT Quảng Ngãi</title>" in html
    assert '<img class="brand__logo" src="/static/img/logos/sxsh-mark.svg"' in html
    # An English reader gets the Vietnamese text where no English one is given.
    html = _english(admin_client_role).get(reverse("home")).content.decode()
    assert '<small class="brand__org">Quang Ngai DoIT (new)</small>' in html


def test_only_administrators_change_the_department(entry_client, manager_client, data_entry_user, manager_user):
    for user in (data_entry_user, manager_user):
        assert not user.has_perm("establishments.change_department")
    row = current_department()
    change = reverse("admin:establishments_department_change", args=[row.pk])
    for client in (entry_client, manager_client):
        assert client.post(change, {"name": "X"}).status_code in (302, 403)
    row.refresh_from_db()
    assert row.name == QN_NAME


def test_without_any_row_pages_still_name_a_department(manager_client):
    Department.objects.all().delete()
    html = _english(manager_client).get(reverse("home")).content.decode()
    assert '<small class="brand__org">Department of Industry and Trade</small>' in html


@pytest.mark.parametrize("day, english", [
    (datetime.date(2026, 2, 9), "Quang Ngai, day 09 month 02 year 2026"),    # day 1–9 and month 1–2: "0"
    (datetime.date(2026, 2, 10), "Quang Ngai, day 10 month 02 year 2026"),
    (datetime.date(2026, 3, 9), "Quang Ngai, day 09 month 3 year 2026"),     # months 3–12: no "0"
    (datetime.date(2026, 3, 10), "Quang Ngai, day 10 month 3 year 2026"),
    (datetime.date(2026, 1, 1), "Quang Ngai, day 01 month 01 year 2026"),
    (datetime.date(2026, 12, 31), "Quang Ngai, day 31 month 12 year 2026"),
])
def test_the_date_line_of_a_signature(day, english):
    with translation.override("en"):
        assert document_date(day, "Quang Ngai") == english
    with translation.override("vi"):
        vietnamese = document_date(day, "Quảng Ngãi")
    assert vietnamese.startswith("Quảng Ngãi, ")
    assert vietnamese.split()[-5::2] == english.split()[-5::2]  # the same day, month and year figures
    assert document_date(None, "Quang Ngai") == ""


@pytest.mark.parametrize("day, figures", [
    (datetime.date(2025, 7, 1), "01/7/2025"), (datetime.date(2026, 2, 9), "09/02/2026"),
    (datetime.date(2026, 3, 10), "10/3/2026"), (datetime.date(2026, 1, 31), "31/01/2026"),
])
def test_a_date_in_figures(day, figures):
    assert document_dates.in_figures(day) == figures


def test_the_territory_is_named_as_it_was():
    kon_tum = Place.objects.get(code="62")  # valid until 30/06/2025
    with translation.override("en"):
        assert territory_label(kon_tum) == "Kon Tum province (until 30/06/2025)"
        assert territory_label(Place.objects.get(code="51")) == "Quang Ngai province"
        assert plan_territory_label(SimpleNamespace(territory=kon_tum)) == "Kon Tum province (until 30/06/2025)"
    with translation.override("vi"):
        label = territory_label(kon_tum)
        assert label.startswith("tỉnh Kon Tum (") and label.endswith(" 01/7/2025)")  # the first day after
        assert territory_label(Place.objects.get(code="615")).startswith("huyện Đắk Hà (")
        assert territory_label(Place.objects.get(code="51")) == "tỉnh Quảng Ngãi"
    assert territory_label(None) == ""
    assert plan_territory_label(SimpleNamespace()) == ""  # a plan that names no territory
