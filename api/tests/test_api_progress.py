"""The API's progress is the document `manage.py progress --format json` prints (the dashboard's engine),
field for field, for the same plan and year; on the official data of 2009–2018."""
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from establishments.models import Place
from indicators import dashboard_cache, engine
from indicators.models import ActionPlan
from kontum_cp.roles import MANAGER
from tests import factories as f

from .conftest import token_client

pytestmark = pytest.mark.django_db


def _command(*args):
    out = io.StringIO()
    call_command("progress", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("year", [2016, 2018])
def test_progress_equals_the_progress_command(official_data, year):
    api = token_client(f.user("reader", MANAGER))
    response = api.get(reverse("api:progress"), {"plan": "835/QĐ-UBND", "year": year})
    assert response.status_code == 200
    expected = _command("--plan", "835/QĐ-UBND", "--year", str(year))
    assert response.json() == expected
    assert expected["year"] == year and len(expected["indicators"]) > 5
    assert set(expected["indicators"][0]) == {"code", "value", "unit", "numerator", "denominator", "n",
                                              "target_low", "target_high", "status", "source", "deadline",
                                              "reported", "coverage"}


def test_progress_without_parameters_is_the_commands_default(official_data):
    api = token_client(f.user("reader", MANAGER))
    assert api.get(reverse("api:progress")).json() == _command()


def test_an_unknown_plan_is_404_and_a_bad_year_400(official_data):
    api = token_client(f.user("reader", MANAGER))
    assert api.get(reverse("api:progress"), {"plan": "no such plan"}).status_code == 404
    assert api.get(reverse("api:progress"), {"year": "two thousand"}).status_code == 400


def test_progress_is_the_dashboards_and_follows_a_change_of_the_data(official_data):
    """The API reads the dashboard's cached figures: the same as the dashboard page's engine, and a change
    of the records is seen at once (the cache key holds the data's fingerprint)."""
    api = token_client(f.user("reader", MANAGER))
    plan = ActionPlan.objects.get(decision_number="835/QĐ-UBND")
    dash = dashboard_cache.cached_dashboard(plan, 2018).dash
    expected = {r["code"]: r["value"] for r in engine.indicator_rows(dash, plan)}
    first = api.get(reverse("api:progress"), {"plan": plan.decision_number, "year": 2018}).json()
    assert {r["code"]: r["value"] for r in first["indicators"]} == expected
    est = f.establishment(code="KT-NEW-2018", place=Place.objects.get_by_natural_key("615"))
    f.measure(est, 2018)  # one more establishment applying CP in 2018
    after = api.get(reverse("api:progress"), {"plan": plan.decision_number, "year": 2018}).json()
    assert after == _command("--plan", plan.decision_number, "--year", "2018")
    assert after != first
