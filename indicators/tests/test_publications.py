"""Published figures: publishing a dashboard, reading it again unchanged, comparing it with the live data."""
import pytest
from django.conf import settings
from django.urls import reverse

from indicators import engine, publications
from indicators.charts import data_fingerprint
from indicators.models import Publication
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR = 2018


@pytest.fixture
def world():
    """A plan with a 15 % adoption target and four establishments with CP potential, one adopting in 2015.

    As of 2018: POT = E1..E4 = 4, A = E1 → 1 ÷ 4 × 100 = 25 %, achieved (25 ≥ 15; the registry of 2018 is
    confirmed complete).
    """
    plan = f.plan(start_year=2013, end_year=2020)
    f.target(plan, "cp_adoption", 15)
    f.registry_coverage(YEAR)
    ests = [f.establishment(code=f"PB-{i}", name=f"Cơ sở {i}") for i in range(1, 5)]
    f.measure(ests[0], 2015, title="Good housekeeping E1")
    return plan, ests


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _publish(client, plan):
    return client.post(reverse("indicators:dashboard_publish"), {"plan": plan.pk, "year": YEAR})


def _main(response):
    """The page's own content (the header's forms carry a new CSRF token each time)."""
    html = response.content.decode()
    return html[html.index("<main"):html.index("</main>")]


def _figure(publication, code):
    return next(d for d in publication.figures["indicators"] if d["code"] == code)


def test_an_administrator_publishes_the_dashboard_as_it_is(world, admin_client_role, admin_user_role):
    plan, ests = world
    fingerprint = data_fingerprint()
    response = _publish(admin_client_role, plan)
    publication = Publication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:publication", args=[publication.pk])
    assert (publication.plan, publication.year, publication.number) == (plan, YEAR, 1)
    assert publication.published_by == admin_user_role
    assert publication.fingerprint == fingerprint
    assert isinstance(publication.code_version, str)
    adoption = _figure(publication, "cp_adoption")
    # Hand-computed: 1 adopter of 4 establishments with CP potential = 25 %, achieved against 15 %.
    assert (adoption["numerator"], adoption["denominator"], adoption["value"]) == (1, 4, 25.0)
    assert adoption["status"] == "achieved" and adoption["source"] == "computed"
    assert adoption["numerator_ids"] == [ests[0].pk]
    assert sorted(adoption["denominator_ids"]) == sorted(e.pk for e in ests)
    assert adoption["label"]["en"] == "Establishments applying CP"
    # Every figure equals the dashboard's of that moment, field by field.
    live = engine.with_record_ids(plan, engine.dashboard(plan, YEAR))
    assert [d["code"] for d in publication.figures["indicators"]] == [r.code for r in live.indicators]
    for r in live.indicators:
        stored = publications.stored_result(_figure(publication, r.code))
        assert (stored.value, stored.numerator, stored.denominator, stored.status, stored.source,
                stored.numerator_ids, stored.denominator_ids) == (
            r.value, r.numerator, r.denominator, r.status, r.source, r.numerator_ids, r.denominator_ids)
    assert publication.figures["completeness"] == {"reports_received": 0, "establishments": 4}
    assert publication.history.count() == 1


@pytest.mark.parametrize("role_client", ["manager_client", "entry_client"])
def test_other_roles_may_not_publish(world, role_client, request):
    plan, _ests = world
    client = request.getfixturevalue(role_client)
    assert _publish(client, plan).status_code == 403
    assert not Publication.objects.exists()


def test_every_role_reads_a_publication(world, manager_client):
    plan, _ests = world
    publication = f.publication(plan, YEAR)
    for name in ("indicators:publication", "indicators:publication_report", "indicators:publication_compare"):
        assert manager_client.get(reverse(name, args=[publication.pk])).status_code == 200


def test_publishing_a_year_without_a_plan_says_so(admin_client_role):
    response = admin_client_role.post(reverse("indicators:dashboard_publish"), {"plan": "nope", "year": "x"},
                                      follow=True)
    assert response.status_code == 200
    assert not Publication.objects.exists()


def test_publishing_twice_keeps_both_numbered(world, admin_client_role):
    plan, ests = world
    _publish(admin_client_role, plan)
    f.measure(ests[1], 2016, title="Second adopter")
    _publish(admin_client_role, plan)
    first, second = Publication.objects.order_by("number")
    assert (first.number, second.number) == (1, 2)
    assert (_figure(first, "cp_adoption")["value"], _figure(second, "cp_adoption")["value"]) == (25.0, 50.0)
    page = admin_client_role.get(reverse("indicators:publication", args=[second.pk]))
    assert reverse("indicators:publication", args=[first.pk]) in page.content.decode()


def test_unchanged_data_is_not_said_to_differ(world, admin_client_role):
    plan, _ests = world
    _publish(admin_client_role, plan)
    page = _english(admin_client_role).get(reverse("indicators:dashboard"), {"plan": plan.pk, "year": YEAR})
    assert page.context["publication_differs"] is False
    assert "The live figures are those published." in page.content.decode()


def test_changed_data_differs_and_the_publication_does_not_change(world, admin_client_role, admin_user_role):
    plan, ests = world
    _publish(admin_client_role, plan)
    publication = Publication.objects.get()
    client = _english(admin_client_role)
    client.get(reverse("indicators:publication", args=[publication.pk]))  # shows (and ends) the message
    report_before = _main(client.get(reverse("indicators:publication_report", args=[publication.pk])))
    page_before = _main(client.get(reverse("indicators:publication", args=[publication.pk])))

    # E2 adopts in 2016: the live figure becomes 2 ÷ 4 = 50 %.
    f.measure(ests[1], 2016, title="Second adopter")

    dashboard = client.get(reverse("indicators:dashboard"), {"plan": plan.pk, "year": YEAR})
    assert dashboard.context["dash"].get("cp_adoption").value == 50.0
    assert dashboard.context["publication_differs"] is True
    html = dashboard.content.decode()
    assert "The live figures differ from the last publication." in html
    assert reverse("indicators:publication_compare", args=[publication.pk]) in html

    compare = client.get(reverse("indicators:publication_compare", args=[publication.pk]))
    rows = {row["code"]: row for row in compare.context["rows"]}
    assert rows["cp_adoption"]["changed"] is True
    assert (rows["cp_adoption"]["published"].value, rows["cp_adoption"]["now"].value) == (25.0, 50.0)
    assert rows["establishments_assisted"]["changed"] is False
    # E2 joins the adopters A(2018) but has no report: the reductions' numbers stay, so they have not changed
    # (figures are compared by their numbers, status and source; the records changed are listed below).
    assert {code for code, row in rows.items() if row["changed"]} == {"cp_adoption"}
    assert compare.context["changed"] == 1
    changes = list(compare.context["page"].object_list)
    assert [(c["record"], c["kind"], c["user"]) for c in changes] == [("Second adopter", "+", None)]
    assert "Second adopter" in compare.content.decode()

    # The publication's page and printed report are those of the moment it was published.
    stored = client.get(reverse("indicators:publication", args=[publication.pk]))
    assert stored.context["dash"].get("cp_adoption").value == 25.0
    assert _main(stored) == page_before
    report = client.get(reverse("indicators:publication_report", args=[publication.pk]))
    assert report.context["dash"].get("cp_adoption").value == 25.0
    assert _main(report) == report_before
    # The live printed report moved on.
    live_report = client.get(reverse("indicators:dashboard_report"), {"plan": plan.pk, "year": YEAR})
    assert live_report.context["dash"].get("cp_adoption").value == 50.0


def test_the_printed_report_names_the_stored_establishments(world, admin_client_role):
    plan, ests = world
    publication = f.publication(plan, YEAR)
    ests[0].name = "Renamed later"
    ests[0].save()
    report = _english(admin_client_role).get(reverse("indicators:publication_report", args=[publication.pk]))
    html = report.content.decode()
    assert "Cơ sở 1" in html and "Renamed later" not in html


def test_new_pages_read_a_bounded_number_of_queries(world, manager_client, django_assert_max_num_queries):
    plan, ests = world
    publication = f.publication(plan, YEAR)
    for i in range(30):  # many changes since: still one query per table on the comparison page
        f.measure(ests[i % 4], 2016, title=f"Later measure {i}")
    for name, most in (("indicators:publication", 8), ("indicators:publication_report", 8),
                       ("indicators:publication_compare", 50)):  # with the live figures computed and kept
        with django_assert_max_num_queries(most):
            assert manager_client.get(reverse(name, args=[publication.pk])).status_code == 200
    compare = manager_client.get(reverse("indicators:publication_compare", args=[publication.pk]), {"page": 2})
    assert compare.context["page"].number == 2


def test_the_code_version_comes_from_the_environment(monkeypatch):
    publications.code_version.cache_clear()
    monkeypatch.setenv("CODE_VERSION", "abc1234")
    try:
        assert publications.code_version() == "abc1234"
    finally:
        publications.code_version.cache_clear()
