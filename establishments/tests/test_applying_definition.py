""""Applying CP" means the same on the establishments list, the establishment page and the dashboard:
at least one implemented measure, not end-of-pipe, with a year, that year ≤ the year in question."""
import pytest
from django.urls import reverse
from django.utils import timezone

from indicators import engine
from indicators.models import ActionPlan
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(db):
    this_year = timezone.localdate().year
    rows = {
        # code: (measures as (category, status, year), applying this year?, applying since)
        "A-PAST": ([("good_housekeeping", "implemented", 2016)], True, 2016),
        "A-EOP": ([("end_of_pipe", "implemented", 2016)], False, None),
        "A-NOYEAR": ([("good_housekeeping", "implemented", None)], False, None),
        "A-PLANNED": ([("process_control", "planned", 2016), ("input_change", "in_progress", 2017)], False, None),
        "A-FUTURE": ([("technology_change", "implemented", this_year + 1)], False, None),
        "A-MIXED": ([("end_of_pipe", "implemented", 2012), ("onsite_recovery", "implemented", 2015),
                     ("by_product", "implemented", this_year + 2)], True, 2015),
        "A-NONE": ([], False, None),
    }
    for code, (measures, _applying, _since) in rows.items():
        est = f.establishment(code=code)
        for category, status, year in measures:
            f.measure(est, category=category, status=status, year=year)
    return rows


def test_list_detail_and_dashboard_agree_on_who_applies_cp(manager_client, cases):
    this_year = timezone.localdate().year
    expected = sorted(code for code, (_m, applying, _s) in cases.items() if applying)

    page = manager_client.get(reverse("establishments:list"), {"applying": "yes", "sort": "code"})
    assert [e.code for e in page.context["page_obj"]] == expected
    not_applying = manager_client.get(reverse("establishments:list"), {"applying": "no", "sort": "code"})
    assert [e.code for e in not_applying.context["page_obj"]] == sorted(set(cases) - set(expected))

    for code, (_m, _applying, since) in cases.items():
        detail = manager_client.get(reverse("establishments:detail", args=[code]))
        assert detail.context["applying_since"] == since, code

    plan = ActionPlan.objects.create(title="Plan", issuer="UBND", decision_number="X", start_year=2013,
                                     end_year=2020)
    rows = engine.adoption_rows(engine.load_snapshot(plan), this_year)
    assert sorted(e["code"] for e, ids in rows if ids) == expected
