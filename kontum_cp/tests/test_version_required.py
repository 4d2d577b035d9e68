"""Optimistic locking fails closed (issue 10): an edit form sent without the version it was opened with,
or with a malformed one, is refused (400, or 409 for a headcount fingerprint that matches nothing) and
changes nothing; it is never taken as the current version. Every edit page of the URL table is walked."""
import pytest
from django.core import serializers
from django.urls import reverse

from establishments.models import AssistanceRecord, CPMeasure, Establishment
from indicators.models import AnnualReport, ResourceLine
from tests.url_table import TABLE
from training.models import Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db

# The edit pages of saved records and the hidden field that carries their version.
EDIT_PAGES = {page.name: page for page in TABLE if page.form is not None and page.name in {
    "establishments:edit", "establishments:close", "establishments:measure_edit", "establishments:assistance_edit",
    "indicators:report_edit", "training:event_edit", "training:person_edit", "training:headcount_edit"}}
VERSION_FIELD = {name: "opened" if name == "training:headcount_edit" else "version" for name in EDIT_PAGES}
MODELS = [Establishment, CPMeasure, AssistanceRecord, AnnualReport, ResourceLine, Event, Person, StaffHeadcount]


def everything():
    """Every row an edit page could change, as text (to compare before and after)."""
    return {model.__name__: serializers.serialize("json", model.objects.order_by("pk")) for model in MODELS}


def test_every_edit_page_is_walked():
    assert len(EDIT_PAGES) == 8


@pytest.mark.parametrize("value", [None, "", "abc", "0", "-1", "1.5"], ids=["missing", "blank", "abc", "0", "-1",
                                                                            "decimal"])
@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_edit_without_a_valid_version_is_refused_and_changes_nothing(admin_client_role, world, name, value):
    page = EDIT_PAGES[name]
    data = page.form(world)
    field = VERSION_FIELD[name]
    assert data.get(field), "the URL table's valid form carries the version"
    if value is None:
        del data[field]
    else:
        data[field] = value
    before = everything()
    response = admin_client_role.post(page.url(world), data)
    expected = {400, 409} if name == "training:headcount_edit" and value not in (None, "") else {400}
    assert response.status_code in expected, (name, value, response.status_code)
    assert everything() == before
    assert not page.saved(world)


@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_the_refusal_says_why(admin_client_role, world, name):
    admin_client_role.cookies["django_language"] = "en"
    page = EDIT_PAGES[name]
    data = {k: v for k, v in page.form(world).items() if k != VERSION_FIELD[name]}
    response = admin_client_role.post(page.url(world), data)
    assert "sent without the version of the record it was opened with" in response.content.decode()


@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_the_valid_version_still_saves(admin_client_role, world, name):
    page = EDIT_PAGES[name]
    assert admin_client_role.post(page.url(world), page.form(world)).status_code == 302
    assert page.saved(world)


def test_an_all_blank_headcount_form_deletes_nothing(admin_client_role, world):
    url = reverse("training:headcount_edit", args=[2018])
    opened = admin_client_role.get(url).context["form"]["opened"].value()
    before = list(StaffHeadcount.objects.filter(year=2018).values_list("category", "headcount"))
    assert before
    for data in ({}, {"year": "2018"}, {"year": "2018", "opened": opened}):
        response = admin_client_role.post(url, data)
        assert response.status_code in (200, 400)
        assert list(StaffHeadcount.objects.filter(year=2018).values_list("category", "headcount")) == before
    assert admin_client_role.post(url, {}).status_code == 400


def test_services_refuse_a_missing_version(world):
    from establishments.services import measure_save
    from training.services import headcount_year_save

    measure = world["measure"]
    title = measure.title
    with pytest.raises(ValueError):
        measure_save(establishment=measure.establishment, record=measure, data={"title": "x"})
    with pytest.raises(ValueError):
        headcount_year_save(year=2018, values={})
    assert CPMeasure.objects.get(pk=measure.pk).title == title
    assert StaffHeadcount.objects.filter(year=2018).exists()
