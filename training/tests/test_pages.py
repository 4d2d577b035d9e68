"""What the training pages show, and that they run a bounded number of queries."""
import datetime
import html

import pytest
from django.urls import reverse

from tests import factories as make
from training.metrics import attendance_totals, labelled_totals
from training.models import EventKind, Gender, StaffCategory

pytestmark = pytest.mark.django_db


def _text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def en_client(manager_client):
    manager_client.cookies["django_language"] = "en"
    return manager_client


# ---------------------------------------------------------------- event list

def test_event_list_filters_search_and_counts(en_client):
    course = make.event(code="TH-2018-01", title="Khóa tập huấn SXSH", start_date=datetime.date(2018, 6, 1))
    make.event(code="HT-2018-02", title="Hội thảo", kind=EventKind.WORKSHOP, start_date=datetime.date(2018, 9, 1))
    make.event(code="TH-2017-01", title="Khóa cũ", start_date=datetime.date(2017, 3, 1))
    for completed in (True, True, False):
        make.attendance(course, completed=completed)
    url = reverse("training:event_list")

    def codes(**params):
        return [e.code for e in en_client.get(url, params).context["page"].object_list]

    assert codes() == ["HT-2018-02", "TH-2018-01", "TH-2017-01"]
    assert codes(year=2018) == ["HT-2018-02", "TH-2018-01"]
    assert codes(kind=EventKind.TRAINING_COURSE) == ["TH-2018-01", "TH-2017-01"]
    assert codes(year=2018, kind=EventKind.TRAINING_COURSE) == ["TH-2018-01"]
    assert codes(q="khóa") == ["TH-2018-01", "TH-2017-01"]
    assert codes(q="ht-2018") == ["HT-2018-02"]
    assert codes(sort="code") == ["HT-2018-02", "TH-2017-01", "TH-2018-01"]
    assert codes(sort="-attendees") == ["TH-2018-01", "HT-2018-02", "TH-2017-01"]
    assert codes(sort="nonsense") == codes()
    response = en_client.get(url, {"year": 2018})
    page = _text(response)
    assert "2 events" in page
    row = next(e for e in response.context["page"].object_list if e.code == "TH-2018-01")
    assert (row.n_attendees, row.n_completed) == (3, 2)
    assert en_client.get(url).context["years"] == [2018, 2017]


def test_event_list_paginates(en_client):
    for i in range(30):
        make.event(code=f"P-{i:02d}", start_date=datetime.date(2010, 1, 1) + datetime.timedelta(days=i))
    url = reverse("training:event_list")
    first = en_client.get(url)
    assert len(first.context["page"].object_list) == 25
    assert "30 events" in _text(first)
    second = en_client.get(url, {"page": 2})
    assert [e.code for e in second.context["page"].object_list] == ["P-04", "P-03", "P-02", "P-01", "P-00"]


# ---------------------------------------------------------------- event detail

def test_event_detail_shows_attendance_and_totals(en_client):
    event = make.event(code="TH-D", start_date=datetime.date(2018, 6, 12), end_date=datetime.date(2018, 6, 14))
    plant = make.establishment(code="KT-0500", name="Nhà máy đường")
    people = [
        make.person(name="An", category=StaffCategory.GOV_STAFF, gender=Gender.MALE),
        make.person(name="Bình", category=StaffCategory.GOV_STAFF, gender=Gender.FEMALE),
        make.person(name="Cúc", category=StaffCategory.TECHNICAL_STAFF, gender=Gender.FEMALE, establishment=plant),
    ]
    make.attendance(event, people[0], completed=True)
    make.attendance(event, people[1], completed=False)
    make.attendance(event, people[2], completed=True)
    response = en_client.get(event.get_absolute_url())
    page = _text(response)
    assert "12/06/2018 – 14/06/2018" in page
    assert "KT-0500 — Nhà máy đường" in page
    assert [a.person.name for a in response.context["attendances"]] == ["An", "Bình", "Cúc"]
    assert response.context["by_category"] == [("Government staff", 2, 1), ("Establishment technical staff", 1, 1)]
    assert response.context["by_gender"] == [("Female", 2, 1), ("Male", 1, 1)]
    assert (response.context["totals"].attendees, response.context["totals"].completed) == (3, 2)
    assert "3 people attended" in page


def test_attendance_totals_arithmetic():
    rows = [
        {"person__category": "gov_staff", "person__gender": "male", "n": 2, "n_completed": 1},
        {"person__category": "gov_staff", "person__gender": "female", "n": 3, "n_completed": 3},
        {"person__category": "other", "person__gender": "female", "n": 1, "n_completed": 0},
    ]
    totals = attendance_totals(rows)
    assert totals.by_category == {"gov_staff": (5, 4), "other": (1, 0)}
    assert totals.by_gender == {"male": (2, 1), "female": (4, 3)}
    assert (totals.attendees, totals.completed) == (6, 4)
    assert labelled_totals(totals.by_gender, [("female", "F"), ("male", "M"), ("unspecified", "U")]) == [
        ("F", 4, 3), ("M", 2, 1),
    ]
    assert attendance_totals([]).attendees == 0


def test_unknown_event_is_404(en_client):
    assert en_client.get(reverse("training:event_detail", args=["NO-SUCH"])).status_code == 404


# ---------------------------------------------------------------- people and headcounts

def test_person_list_search_and_person_page(en_client):
    a = make.person(name="Nguyễn Văn Tìm", organisation="Công ty A")
    make.person(name="Trần Thị Khác", organisation="Sở Tài chính")
    event = make.event(code="EV-P", title="Khóa P")
    make.attendance(event, a, completed=False)
    url = reverse("training:person_list")
    assert [p.name for p in en_client.get(url, {"q": "tìm"}).context["page"].object_list] == ["Nguyễn Văn Tìm"]
    assert [p.name for p in en_client.get(url, {"q": "tài chính"}).context["page"].object_list] == [
        "Trần Thị Khác"]
    assert [p.name for p in en_client.get(url, {"sort": "-events"}).context["page"].object_list][0] == a.name
    page = _text(en_client.get(a.get_absolute_url()))
    assert "EV-P" in page and "Khóa P" in page and "✗ No" in page


def test_headcount_table(en_client):
    make.headcount(2018, StaffCategory.GOV_STAFF, 12)
    make.headcount(2018, StaffCategory.OTHER, 3)
    make.headcount(2017, StaffCategory.CP_STAFF, 5)
    rows = en_client.get(reverse("training:headcount_list")).context["rows"]
    order = StaffCategory.values
    expected_2018 = [12 if c == "gov_staff" else 3 if c == "other" else None for c in order]
    expected_2017 = [5 if c == "cp_staff" else None for c in order]
    assert rows == [(2018, expected_2018), (2017, expected_2017)]


# ---------------------------------------------------------------- bounded queries

def _fill_events(n):
    for i in range(n):
        event = make.event(code=f"Q-{i:03d}")
        for _j in range(2):
            make.attendance(event)


def _fill_attendance(event, n):
    plant = make.establishment()
    for i in range(n):
        make.attendance(event, make.person(establishment=plant if i % 2 else None))


def _count_queries(client, url, django_assert_max_num_queries, limit):
    limit += 1  # every page's header reads today's Department once (establishments.context_processors)
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [2, 30])
def test_event_list_queries_bounded(en_client, django_assert_max_num_queries, size):
    _fill_events(size)
    _count_queries(en_client, reverse("training:event_list"), django_assert_max_num_queries, 6)


@pytest.mark.parametrize("size", [2, 30])
def test_event_detail_queries_bounded(entry_client, django_assert_max_num_queries, size):
    event = make.event(code="Q-DETAIL")
    _fill_attendance(event, size)
    # The editor's page has the most per-row controls (and reads once whether the editor has an area).
    _count_queries(entry_client, event.get_absolute_url(), django_assert_max_num_queries, 7)


def test_query_counts_do_not_grow_with_rows(entry_client, django_assert_max_num_queries):
    small = make.event(code="Q-SMALL")
    big = make.event(code="Q-BIG")
    _fill_attendance(small, 2)
    _fill_attendance(big, 30)
    persons = [a.person for a in big.attendances.all()[:1]] + [a.person for a in small.attendances.all()[:1]]
    for person in persons:
        for i in range(5):
            make.attendance(make.event(code=f"Q-PE-{person.pk}-{i}"), person)
    pages = [
        (small.get_absolute_url(), big.get_absolute_url()),
        (reverse("training:attendance_add", args=[small.code]) + "?q=Người",
         reverse("training:attendance_add", args=[big.code]) + "?q=Người"),
        (persons[1].get_absolute_url(), persons[0].get_absolute_url()),
    ]
    for few_url, many_url in pages:
        few = _count_queries(entry_client, few_url, django_assert_max_num_queries, 12)
        many = _count_queries(entry_client, many_url, django_assert_max_num_queries, 12)
        assert many == few, (few_url, many_url)


@pytest.mark.parametrize("size", [2, 30])
def test_person_and_headcount_lists_queries_bounded(en_client, django_assert_max_num_queries, size):
    plant = make.establishment()
    for i in range(size):
        make.attendance(make.event(), make.person(establishment=plant))
        make.headcount(2000 + i, StaffCategory.OTHER, i)
    _count_queries(en_client, reverse("training:person_list"), django_assert_max_num_queries, 5)
    _count_queries(en_client, reverse("training:headcount_list"), django_assert_max_num_queries, 4)


def test_the_establishment_box_suggests_a_bounded_list(entry_client, monkeypatch):
    """The attendance form and the person form suggest every establishment up to SUGGESTED_MAX; beyond, none
    (the page would weigh megabytes at a country's scale) and the box asks for the code."""
    from training import selectors

    monkeypatch.setattr(selectors, "SUGGESTED_MAX", 2)
    entry_client.cookies["django_language"] = "en"
    event, person = make.event(code="Q-BOX"), make.person()
    make.establishment(code="Q-E1")
    make.establishment(code="Q-E2")
    urls = [reverse("training:attendance_add", args=[event.code]), reverse("training:person_edit", args=[person.pk])]
    for url in urls:
        page = _text(entry_client.get(url))
        assert '<option value="Q-E1">' in page and '<option value="Q-E2">' in page, url
        assert "too many establishments" not in page
    make.establishment(code="Q-E3")
    for url in urls:
        page = _text(entry_client.get(url))
        assert 'id="establishment-codes"' not in page and "Q-E1" not in page, url
        assert "Type the establishment's code: there are too many establishments to suggest them here." in page


def test_the_establishment_box_suggests_the_establishments_of_the_users_area(data_entry_user, client):
    from establishments.models import Place, UserArea
    from training.selectors import establishment_choices

    inside, outside = Place.objects.get(code="612"), Place.objects.get(code="610")
    make.establishment(code="Q-IN", place=inside)
    make.establishment(code="Q-OUT", place=outside)
    UserArea.objects.create(user=data_entry_user).places.add(inside)
    assert [code for code, _name in establishment_choices(data_entry_user)] == ["Q-IN"]
