"""A change made through the admin is kept in the history with its user and time."""
import pytest
from django.utils import timezone

from establishments.models import Establishment

pytestmark = pytest.mark.django_db


def form_data(response):
    """The POST data of an admin change form as the browser would send it unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is not None and value is not False:
                    data[sub.add_prefix(name)] = "on" if value is True else value
    return data


def test_admin_change_is_recorded_with_user_and_time(admin_client_role, admin_user_role, official_data):
    est = Establishment.objects.get(code="KT-0006")
    url = f"/admin/establishments/establishment/{est.pk}/change/"
    response = admin_client_role.get(url)
    assert response.status_code == 200
    data = form_data(response)
    data["employees"] = "42"
    before = timezone.now()
    response = admin_client_role.post(url, data)
    after = timezone.now()
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    est.refresh_from_db()
    assert est.employees == 42
    latest = est.history.order_by("-history_date", "-history_id").first()
    assert latest.history_type == "~"
    assert latest.history_user == admin_user_role
    assert before <= latest.history_date <= after
    assert latest.employees == 42
    # Loading the fixture writes no history (raw saves); the admin change is the only entry.
    assert est.history.count() == 1

    # A second change is kept beside the first, and the difference is only what changed.
    data["employees"] = "43"
    assert admin_client_role.post(url, data).status_code == 302
    newest = est.history.order_by("-history_date", "-history_id").first()
    assert est.history.count() == 2
    assert [c.field for c in newest.diff_against(newest.prev_record).changes] == ["employees"]
    assert newest.prev_record.employees == 42 and newest.employees == 43

    # The history page of the admin shows who made the change.
    page = admin_client_role.get(url.replace("/change/", "/history/"))
    assert page.status_code == 200
    assert "administrator" in page.content.decode()
