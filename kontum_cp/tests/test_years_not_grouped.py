"""Years are never printed with a thousands separator, in any language, on any page.

Django's number localisation turns 2018 into "2.018" (Vietnamese) or "2,018"
(English). Sent back from a menu or a link, that is no year at all: the
dashboard's year menu silently showed the latest year instead of the chosen one.
"""
import re

import pytest
from django.contrib import admin
from django.urls import reverse

from establishments.models import Establishment
from indicators.models import ActionPlan

pytestmark = pytest.mark.django_db

# 2.018, 2,018, 1.990: a year from 1990 to 2039 written with a separator after its first digit.
GROUPED_YEAR = re.compile(r"(?<![\d.,])(1[.,]99\d|2[.,]0[0-3]\d)(?![\d.,])")


def _pages(plan):
    query = f"?plan={plan.pk}&year=2018"
    pages = [
        reverse("home"),
        reverse("indicators:dashboard") + query,
        reverse("indicators:dashboard_report") + query,
        reverse("indicators:indicator_detail", args=["cp_adoption"]) + query,
        reverse("indicators:indicator_detail", args=["establishments_assisted"]) + query,
        reverse("establishments:list"),
        reverse("establishments:measure_list"),
        reverse("establishments:assistance_list"),
        reverse("indicators:report_list"),
        reverse("indicators:completeness"),
        reverse("training:event_list"),
        reverse("training:headcount_list"),
    ]
    establishment = Establishment.objects.order_by("code").first()
    pages.append(establishment.get_absolute_url())
    return pages


def _admin_pages():
    """Every model's change list and the change form of its first record."""
    pages = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:%s_%s_changelist" % info))
        first = model.objects.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:%s_%s_change" % info, args=[first.pk]))
    return pages


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_page_groups_a_year(admin_client_role, official_data, language):
    admin_client_role.cookies["django_language"] = language
    plan = ActionPlan.objects.get(decision_number__startswith="835")
    failures = {}
    for url in _pages(plan) + _admin_pages():
        response = admin_client_role.get(url)
        assert response.status_code == 200, url
        found = GROUPED_YEAR.findall(response.content.decode())
        if found:
            failures[url] = found[:5]
    assert failures == {}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_year_menu_sends_plain_years(manager_client, official_data, language):
    manager_client.cookies["django_language"] = language
    html = manager_client.get(reverse("indicators:dashboard")).content.decode()
    menu = re.search(r'<select id="id_year" name="year">(.*?)</select>', html, re.S).group(1)
    values = re.findall(r'value="([^"]*)"', menu)
    assert "2018" in values and all(re.fullmatch(r"\d{4}", v) for v in values), values
    # What the menu sends is what the page then shows.
    response = manager_client.get(reverse("indicators:dashboard"), {"year": "2016"})
    assert response.context["dash"].year == 2016
