"""The printed report's annex: its first rows, how many there are in all, the events' attendance, on a
hand-made dataset; its totals kept per state of the data; a number of queries that does not grow with the data."""
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators import printed_report, selectors
from indicators.registry import registry

from . import dashboard_data as d

pytestmark = pytest.mark.django_db


def annexed_data():
    """Plan 2013–2020, as of 2018. Adopters AX-1 (two measures) and AX-2 (one, and one of 2019); AX-3 has an
    end-of-pipe measure only. Assistance: three records from 2013 to 2018, one of 2012. Events: three from
    2013 to 2018 (3 attendances of which 2 completed, 1 not completed, none), one of 2012, one of 2019."""
    p = d.plan("ANX/1")
    e1, e2, e3 = d.est("AX-1"), d.est("AX-2"), d.est("AX-3")
    d.measure(e1, 2016, title="M-b")
    d.measure(e1, 2014, title="M-a")
    d.measure(e2, 2017, title="M-c")
    d.measure(e2, 2019, title="M-late")
    d.measure(e3, 2015, category="end_of_pipe", title="M-pipe")
    for e, year in ((e1, 2016), (e2, 2015), (e3, 2018), (e1, 2012)):
        d.assist(e, year)
    first, second = d.event(2014), d.event(2016)
    d.event(2017), d.event(2012), d.event(2019)
    for completed in (True, True, False):
        d.attend(d.person("manager", e1), first, completed=completed)
    d.attend(d.person("manager", e2), second, completed=False)
    return p


def report(client, p, language="en"):
    client.cookies["django_language"] = language
    response = client.get(reverse("indicators:dashboard_report") + f"?plan={p.pk}&year=2018&annex=1")
    assert response.status_code == 200
    return response


def test_the_annex_prints_its_first_rows_and_the_totals_by_hand(manager_client, monkeypatch):
    p = annexed_data()
    monkeypatch.setattr(printed_report, "ANNEX_ROWS", 2)
    response = report(manager_client, p)
    measures, assistance, events = (response.context[name] for name in ("measures", "assistance", "events"))
    assert [m.title for m in measures.rows] == ["M-a", "M-b"] and (measures.total, measures.more) == (3, 1)
    assert [(a.establishment.code, a.year) for a in assistance.rows] == [("AX-2", 2015), ("AX-1", 2016)]
    assert (assistance.total, assistance.more) == (3, 1)
    assert [(e.start_date, e.attendees, e.completed) for e in events.rows] == [
        (datetime.date(2014, 6, 1), 3, 2), (datetime.date(2016, 6, 1), 1, 0)]
    assert (events.total, events.more) == (3, 1)
    html = response.content.decode()
    assert html.count("The first 2 of 3 rows are printed") == 3
    vietnamese = report(manager_client, p, "vi").content.decode()
    assert vietnamese.count("In 2 dòng đầu trong tổng số 3 dòng") == 3


def test_the_whole_annex_has_no_line_on_more_rows(manager_client):
    p = annexed_data()
    response = report(manager_client, p)
    events = response.context["events"]
    assert [m.title for m in response.context["measures"].rows] == ["M-a", "M-b", "M-c"]
    assert [(e.attendees, e.completed) for e in events.rows] == [(3, 2), (1, 0), (0, 0)]
    assert [e.pk for e in events.rows] == list(selectors.events_up_to(2018, 2013).values_list("pk", flat=True))
    assert all(t.more == 0 for t in (response.context["measures"], response.context["assistance"], events))
    assert "rows are printed" not in response.content.decode()
    assert "dòng đầu trong tổng số" not in report(manager_client, p, "vi").content.decode()


def test_the_annex_totals_are_counted_once_per_state_of_the_data(monkeypatch):
    p = annexed_data()
    monkeypatch.setattr(printed_report, "ANNEX_ROWS", 2)
    assert printed_report.annex(p, 2018)["events"].total == 3
    with CaptureQueriesContext(connection) as again:
        assert printed_report.annex(p, 2018)["events"].total == 3
    assert not [q["sql"] for q in again.captured_queries if "COUNT(*)" in q["sql"]]
    d.event(2015)  # a change of data: counted again
    assert printed_report.annex(p, 2018)["events"].total == 4
    d.measure(d.est("AX-4"), 2018, title="M-d")
    assert printed_report.annex(p, 2018)["measures"].total == 4


def test_the_fingerprint_that_keeps_the_totals_covers_every_table_they_count():
    counted = {"establishments.Establishment", "establishments.CPMeasure", "establishments.AssistanceRecord",
               "establishments.Place", "establishments.PlaceSuccession", "training.Event", "training.Attendance"}
    assert counted <= set(registry.tables())


def test_the_annex_runs_the_same_number_of_queries_whatever_the_data_size(manager_client, monkeypatch,
                                                                           django_assert_num_queries):
    monkeypatch.setattr(printed_report, "ANNEX_ROWS", 2)
    p = annexed_data()
    with CaptureQueriesContext(connection) as small:
        report(manager_client, p)
    for i in range(6):
        e = d.est(f"AX-X{i}")
        d.measure(e, 2016)
        d.assist(e, 2017)
        d.attend(d.person("manager", e), d.event(2016))
    with django_assert_num_queries(len(small.captured_queries)):
        report(manager_client, p)
