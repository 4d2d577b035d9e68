"""Registry coverage where a status shows: dashboard cards, indicator page, home page, exports, printed
report's paragraph, `progress` JSON, and the year menu's years before the plan (DOMAIN.md, "Registry
coverage")."""
import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from indicators import engine, narrative
from indicators import engine_math as m
from indicators.models import ActionPlan

from . import dashboard_data as d

pytestmark = pytest.mark.django_db


def sample():
    """POT(2018) = 4 establishments, 1 applies CP: 25 % against >= 15 % (achieved once 2018 is confirmed)."""
    p = d.plan("COV/1", cp_adoption=15)
    first = d.est("COV-1")
    for code in ("COV-2", "COV-3", "COV-4"):
        d.est(code)
    d.measure(first, 2015)
    return p


def url(name, p, year=2018):
    return reverse(f"indicators:{name}") + f"?plan={p.pk}&year={year}"


def _card(html, code):
    start = html.index(f'id="ind-{code}"')
    return html[start:html.index("</article>", start)]


def expected_texts(language, registered=4, year=2018):
    """The badge and the sentence in `language` as the catalogue gives them (Vietnamese once translated)."""
    with translation.override(language):
        reason = gettext("the registry of %(year)s is not confirmed complete") % {"year": year}
        sentence = ngettext("Among the %(n)s registered establishment. Not assessable: %(reason)s.",
                            "Among the %(n)s registered establishments. Not assessable: %(reason)s.",
                            registered) % {"n": registered, "reason": reason}
        return gettext("Not assessable"), sentence


def test_the_card_says_among_how_many_registered_and_why_in_english(manager_client):
    p = sample()
    manager_client.cookies["django_language"] = "en"
    card = _card(manager_client.get(url("dashboard", p)).content.decode(), "cp_adoption")
    assert "25.0 %" in card
    assert "?</span> Not assessable" in card  # a symbol and a word, never colour alone
    assert "Among the 4 registered establishments. Not assessable: the registry of 2018 is not confirmed " \
           "complete." in card
    assert "Achieved" not in card and "Behind" not in card
    # Not judged: no way to the target, no gap.
    assert "ind-progress" not in card and "Way to the target" not in card and "Gap to the target" not in card


def test_the_card_in_vietnamese(manager_client):
    p = sample()
    html = manager_client.get(url("dashboard", p)).content.decode()
    badge, sentence = expected_texts("vi")
    card = _card(html, "cp_adoption")
    assert "25,0 %" in card and badge in card and sentence in card
    assert "Đã đạt" not in card


def test_confirming_the_year_gives_the_status_back_and_a_new_dashboard(manager_client, admin_client_role):
    p = sample()
    manager_client.cookies["django_language"] = "en"
    assert "Not assessable" in _card(manager_client.get(url("dashboard", p)).content.decode(), "cp_adoption")
    # Confirmed in the admin: the cached dashboard is not reused (the fingerprint watches the table).
    admin_client_role.post(reverse("admin:establishments_registrycoverage_add"),
                           {"year": "2018", "complete": "on", "note": ""})
    card = _card(manager_client.get(url("dashboard", p)).content.decode(), "cp_adoption")
    assert "✔</span> Achieved" in card and "registered establishments" not in card
    assert "Way to the target" in card


def test_the_indicator_page_and_the_home_page_show_the_reason(manager_client):
    p = sample()
    ActionPlan.objects.exclude(pk=p.pk).delete()
    manager_client.cookies["django_language"] = "en"
    detail = manager_client.get(reverse("indicators:indicator_detail", args=["cp_adoption"])
                                + f"?plan={p.pk}&year=2018").content.decode()
    assert "Not assessable" in detail and "the registry of 2018 is not confirmed complete" in detail
    home = manager_client.get(reverse("home")).content.decode()
    table = home[home.index('id="home-targets"'):home.index("</table>", home.index('id="home-targets"'))]
    assert "Not assessable" in table and "Among the 4 registered establishments" in table


def test_the_export_gives_the_word_and_the_code(manager_client):
    p = sample()
    manager_client.cookies["django_language"] = "en"
    response = manager_client.get(reverse("indicators:dashboard_export", args=["csv"]) + f"?plan={p.pk}&year=2018")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    adoption = next(r for r in rows if r["code"] == "cp_adoption")
    assert adoption["status_code"] == "not_assessable" and "Not assessable" in adoption.values()


def test_the_printed_report_paragraph():
    p = sample()
    with translation.override("en"):
        text = narrative.paragraph(engine.cp_adoption(p, 2018))
    assert "25.0 % as of 2018 (1 of 4)." in text
    assert ("The value is among the 4 registered establishments only; not assessable against the target (at least"
            " 15.0 % by 2020): the registry of 2018 is not confirmed complete.") in text
    assert "achieved" not in text and "behind" not in text


def test_the_year_menu_labels_the_years_before_the_plan(manager_client):
    p = sample()  # the plan starts in 2013
    manager_client.cookies["django_language"] = "en"
    html = manager_client.get(url("dashboard", p, 2011)).content.decode()
    assert '<option value="2011" selected>2011 (before the plan)</option>' in html
    assert '<option value="2012">2012 (before the plan)</option>' in html
    assert '<option value="2013">2013</option>' in html
    # Every indicator with a target is not started there, whatever the registry.
    assert _card(html, "cp_adoption").count("Not started") == 1


# --- the official data: no year is confirmed ----------------------------------------------------

def test_official_2018_adoption_is_not_assessable_among_the_registered_establishments(official_data,
                                                                                     manager_client):
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    r = engine.cp_adoption(plan, 2018)
    assert r.status == m.NOT_ASSESSABLE and r.source in ("computed", "both")
    assert (r.registered, r.registry_confirmed) == (r.denominator, False)
    manager_client.cookies["django_language"] = "en"
    card = _card(manager_client.get(url("dashboard", plan)).content.decode(), "cp_adoption")
    assert f"Among the {r.registered} registered establishments" in card
    # The published 70 % of establishments disseminated is a reported value: never "not assessable"; it is
    # judged against plan 835's 90 % by 2020: 0 + (90 − 0) × (2018 − 2013) ÷ (2020 − 2013) = 64.3 ≤ 70, on track.
    dissem = engine.establishments_disseminated(plan, 2018)
    assert (dissem.value, dissem.source, dissem.status) == (70.0, "reported", m.ON_TRACK)


def test_progress_json_statuses_are_the_six_codes_and_coverage_is_given(official_data):
    seen = set()
    for plan in ActionPlan.objects.all():
        for year in (2011, 2015, 2018):
            out = io.StringIO()
            call_command("progress", "--plan", str(plan.pk), "--year", str(year), "--format", "json", stdout=out)
            for item in json.loads(out.getvalue())["indicators"]:
                seen.add(item["status"])
                assert set(item["coverage"]) == {"registered", "confirmed"}
                assert item["coverage"]["confirmed"] is False  # no year of the official data is confirmed
                if item["status"] == "not_assessable":
                    assert item["source"] in ("computed", "both")
                    assert item["coverage"]["registered"] is not None
    assert seen <= {"achieved", "on_track", "behind", "no_data", "not_assessable", "not_started", None}
    assert "not_assessable" in seen
    out = io.StringIO()
    call_command("progress", "--plan", "835/QĐ-UBND", "--year", "2018", "--format", "json", stdout=out)
    adoption = json.loads(out.getvalue())["indicators"][0]
    assert adoption["code"] == "cp_adoption" and adoption["status"] == "not_assessable"
    assert adoption["coverage"] == {"registered": adoption["denominator"], "confirmed": False}
