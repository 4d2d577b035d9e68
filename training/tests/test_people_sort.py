"""The people list sorted by events (?sort=events, ?sort=-events): its pages' ids come from one grouped count
(`selectors.ids_by_events`), by the number of attendances (0 for none), ties by id, as the list's own
ordering gives; a bounded number of queries whatever the number of people."""
import pytest
from django.urls import reverse

from tests import factories as make
from training import selectors

pytestmark = pytest.mark.django_db


def fill(n):
    """`n` people, the i-th with i % 4 attendances (several with none, many ties); {person id: attendances}."""
    events = [make.event() for _ in range(3)]
    counts = {}
    for i in range(n):
        person = make.person(name=f"Người {i:02d}")
        for event in events[:i % 4]:
            make.attendance(event, person)
        counts[person.pk] = i % 4
    return counts


def pages(client, params, numbers=(1, 2)):
    url = reverse("training:person_list")
    responses = [client.get(url, {**params, "page": str(n)}) for n in numbers]
    return responses[0].context["page"], [p for r in responses for p in r.context["page"]]


@pytest.mark.parametrize("sort", ["events", "-events"])
def test_people_sorted_by_events_in_both_directions(manager_client, sort):
    counts = fill(30)
    first, people = pages(manager_client, {"sort": sort})
    assert first.paginator.count == 30 and first.paginator.num_pages == 2 and len(first) == 25
    sign = -1 if sort.startswith("-") else 1
    assert [p.pk for p in people] == sorted(counts, key=lambda pk: (sign * counts[pk], pk))
    assert [p.n_events for p in people] == [counts[p.pk] for p in people]
    # The list's own ordering (its per-row count) gives the same order.
    assert [p.pk for p in people] == [p.pk for p in selectors.person_list(sort=sort)]


def test_people_sorted_by_events_with_a_search(manager_client):
    counts = fill(12)
    _first, people = pages(manager_client, {"sort": "-events", "q": "Người 0"}, numbers=(1,))
    found = list(counts)[:10]  # Người 00 … Người 09
    assert [p.pk for p in people] == sorted(found, key=lambda pk: (-counts[pk], pk))


@pytest.mark.parametrize("params", [{"sort": "-events"}, {"sort": "events", "page": "2"}, {}])
def test_people_list_queries_do_not_grow_with_the_data(manager_client, params, django_assert_max_num_queries):
    url = reverse("training:person_list")
    fill(3)
    manager_client.get(url, params)
    with django_assert_max_num_queries(20) as small:
        assert manager_client.get(url, params).status_code == 200
    fill(40)
    with django_assert_max_num_queries(20) as large:
        assert manager_client.get(url, params).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)
