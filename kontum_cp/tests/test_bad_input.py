"""Garbage in the query string, the URL or a form never gives a server error.

Every page is requested with each GET parameter it reads set to letters,
huge and negative numbers, impossible dates, unknown codes, control
characters and very long text; every URL argument is replaced by the same
kind of garbage; every form is posted with garbage in each field. The
answer must be below 500 (a page, a form with messages, a 404 or a redirect).
"""
import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from establishments.tests import factories as f
from indicators.models import ActionPlan
from training.models import Attendance, Event, Person, StaffHeadcount

pytestmark = pytest.mark.django_db

GARBAGE = [
    "abc", "1e30", "99999999999999999999", "-1", "0", "", " ", "-99999999999999999999", "2.5",
    "31/02/2020", "99999", "²", "١٢", "NaN", "Infinity", "漢字ữ", "\x00", "x" * 3000, "<script>", "'; --",
]
# URL arguments that the path converter lets through (<str:...> takes anything without a slash,
# <int:...> only digits).
STR_ARGS = ["ZZZ-UNKNOWN", "漢字ữ", "x" * 3000, "%00", "-1"]
INT_ARGS = [0, 99999, 99999999999999999999, 10**30]


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    est = f.establishment(code="KT-G1", name="Nhà máy thử")
    measure = f.measure(est, title="Good housekeeping")
    assistance = f.assistance(est)
    f.report(est, 2017, 1000, {"electricity": 200000, "water": 20000})
    event = Event.objects.create(code="EV-G1", title="Tập huấn", kind="training_course",
                                 start_date=datetime.date(2018, 5, 10))
    person = Person.objects.create(name="Người thử", category="gov_staff", organisation="Sở Công Thương")
    attendance = Attendance.objects.create(event=event, person=person)
    StaffHeadcount.objects.create(year=2018, category="gov_staff", headcount=10)
    plan = ActionPlan.objects.create(title="Plan", issuer="UBND", decision_number="835/QĐ-UBND",
                                     start_year=2013, end_year=2020)
    return {"est": est, "measure": measure, "assistance": assistance, "event": event, "person": person,
            "attendance": attendance, "plan": plan}


# (URL name, args from the world, GET parameters the page reads)
PAGES = [
    ("home", lambda w: [], []),
    ("establishments:list", lambda w: [],
     ["q", "place", "sector", "cp_potential", "applying", "status", "sort", "page"]),
    ("establishments:detail", lambda w: ["KT-G1"], []),
    ("establishments:measure_list", lambda w: [], ["q", "category", "status", "year", "page"]),
    ("establishments:assistance_list", lambda w: [], ["q", "kind", "year", "page"]),
    ("establishments:create", lambda w: [], []),
    ("establishments:edit", lambda w: ["KT-G1"], []),
    ("establishments:close", lambda w: ["KT-G1"], []),
    ("establishments:measure_create", lambda w: ["KT-G1"], []),
    ("establishments:measure_edit", lambda w: ["KT-G1", w["measure"].pk], []),
    ("establishments:assistance_create", lambda w: ["KT-G1"], []),
    ("establishments:assistance_edit", lambda w: ["KT-G1", w["assistance"].pk], []),
    ("indicators:report_list", lambda w: [], ["q", "year", "sector", "page"]),
    ("indicators:completeness", lambda w: [], ["year"]),
    ("indicators:report_create", lambda w: ["KT-G1"], ["year"]),
    ("indicators:report_detail", lambda w: ["KT-G1", 2017], []),
    ("indicators:report_edit", lambda w: ["KT-G1", 2017], []),
    ("indicators:dashboard", lambda w: [], ["plan", "year"]),
    ("indicators:dashboard_report", lambda w: [], ["plan", "year"]),
    ("indicators:indicator_detail", lambda w: ["cp_adoption"], ["plan", "year"]),
    ("indicators:dashboard_export", lambda w: ["csv"], ["plan", "year"]),
    ("indicators:dashboard_chart", lambda w: ["indicator-cp_adoption"], ["plan", "year"]),
    ("training:event_list", lambda w: [], ["q", "year", "kind", "sort", "page"]),
    ("training:event_detail", lambda w: ["EV-G1"], []),
    ("training:event_create", lambda w: [], []),
    ("training:event_edit", lambda w: ["EV-G1"], []),
    ("training:attendance_add", lambda w: ["EV-G1"], ["q", "add"]),
    ("training:attendance_remove", lambda w: [w["attendance"].pk], []),
    ("training:person_list", lambda w: [], ["q", "sort", "page"]),
    ("training:person_detail", lambda w: [w["person"].pk], []),
    ("training:person_edit", lambda w: [w["person"].pk], []),
    ("training:headcount_list", lambda w: [], []),
    ("training:headcount_create", lambda w: [], ["year"]),
    ("training:headcount_edit", lambda w: [2018], []),
]


def _failures(client, url, params):
    client.raise_request_exception = False
    bad = []
    for name in params:
        for value in GARBAGE:
            response = client.get(url, {name: value})
            if response.status_code >= 500:
                bad.append((name, value[:40], response.status_code))
    return bad


@pytest.mark.parametrize("name,args,params", PAGES, ids=[p[0] for p in PAGES])
def test_garbage_query_parameters_never_break_a_page(admin_client_role, world, name, args, params):
    url = reverse(name, args=args(world))
    assert admin_client_role.get(url).status_code == 200
    assert _failures(admin_client_role, url, params) == []


def _argument_variants(args):
    """The page's arguments with one of them replaced by garbage of its kind."""
    for i, arg in enumerate(args):
        for value in INT_ARGS if isinstance(arg, int) else STR_ARGS:
            yield args[:i] + [value] + args[i + 1:]


class _AnyRow:
    pk = 1


PAGES_WITH_ARGS = [p for p in PAGES if p[1]({k: _AnyRow() for k in ("measure", "assistance", "attendance",
                                                                       "person")})]


@pytest.mark.parametrize("name,args,params", PAGES_WITH_ARGS, ids=[p[0] for p in PAGES_WITH_ARGS])
def test_garbage_url_arguments_give_not_found_not_an_error(admin_client_role, world, name, args, params):
    admin_client_role.raise_request_exception = False
    bad = []
    for variant in _argument_variants(args(world)):
        try:
            url = reverse(name, args=variant)
        except NoReverseMatch:  # the path converter refuses it: the URL cannot even be formed
            continue
        for method in ("get", "post"):
            status = getattr(admin_client_role, method)(url).status_code
            if status >= 500:
                bad.append((method, str(variant)[:60], status))
    assert bad == []
