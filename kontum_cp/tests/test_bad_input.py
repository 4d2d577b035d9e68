"""Garbage in the query string, the URL or a form never gives a server error.

Every page is requested with each GET parameter it reads set to letters,
huge and negative numbers, impossible dates, unknown codes, control
characters and very long text; every URL argument is replaced by the same
kind of garbage; every form is posted with garbage in each field. The
answer must be below 500 (a page, a form with messages, a 404 or a redirect).
"""
import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from kontum_cp.models import CODE_MESSAGE

pytestmark = pytest.mark.django_db

GARBAGE = [
    "abc", "1e30", "99999999999999999999", "-1", "0", "", " ", "-99999999999999999999", "2.5",
    "31/02/2020", "99999", "²", "١٢", "NaN", "Infinity", "漢字ữ", "\x00", "x" * 3000, "<script>", "'; --",
]
# URL arguments that the path converter lets through (<str:...> takes anything without a slash,
# <int:...> only digits).
STR_ARGS = ["ZZZ-UNKNOWN", "漢字ữ", "x" * 3000, "%00", "\x00", "-1"]
INT_ARGS = [0, 99999, 99999999999999999999, 10**30]


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
    ("user_guide", lambda w: [], []),
    ("dataio:index", lambda w: [], []),
    ("dataio:history", lambda w: [], ["page"]),
    ("dataio:upload", lambda w: [], []),
    ("dataio:preview", lambda w: ["no-such-upload"], []),
    ("dataio:preview_errors", lambda w: ["no-such-upload"], []),
    ("dataio:confirm", lambda w: ["no-such-upload"], []),
    ("dataio:cancel", lambda w: ["no-such-upload"], []),
    ("dataio:template", lambda w: ["reports", "xlsx"], []),
    ("dataio:export", lambda w: ["reports", "csv"], ["establishment", "year", "event", "headers"]),
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
    assert admin_client_role.get(url).status_code == PLAIN_GET_STATUS.get(name, 200)
    assert _failures(admin_client_role, url, params) == []


# Pages whose plain GET is not a 200 page: the upload steps without an upload in progress go back
# to the import page; confirm and cancel accept only POST.
PLAIN_GET_STATUS = {
    "dataio:upload": 302, "dataio:preview": 302, "dataio:preview_errors": 302,
    "dataio:confirm": 405, "dataio:cancel": 405,
}


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


# --- forms ------------------------------------------------------------------------------------

def _report_form(w, version=""):
    from indicators.models import ResourceType

    water = ResourceType.objects.get(code="water").pk
    return {
        "year": "2018", "product": "Tinh bột sắn", "product_unit": "t", "output": "1000", "notes": "",
        "version": version, "confirm_large_change": "on",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000", "lines-0-resource_type": str(water), "lines-0-quantity": "19000",
    }


def _attendance_form(w):
    return {
        "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "50", "rows-0-person": "", "rows-0-name": "Nguyễn Văn A",
        "rows-0-category": "gov_staff", "rows-0-organisation": "Sở", "rows-0-establishment": "KT-G1",
        "rows-0-gender": "male", "rows-0-completed": "on",
    }


_ESTABLISHMENT = {
    "code": "KT-NEW", "name": "Cơ sở mới", "legal_form": "", "parent_organisation": "", "place": "",
    "sector": "", "address": "", "main_products": "", "employees": "12", "technical_staff": "2",
    "cp_potential": "on", "cp_potential_assessed_on": "01/02/2018", "baseline_year": "2015",
    "established_year": "2001", "notes": "",
}
_MEASURE = {
    "title": "Biogas", "category": "onsite_recovery", "status": "implemented", "year": "2017",
    "investment_vnd": "1000000", "expected_savings_vnd": "", "achieved_savings_vnd": "", "savings_note": "",
    "environmental_benefit": "", "wastewater_capacity_m3_day": "12.5", "description": "",
}
_ASSISTANCE = {
    "year": "2018", "date": "03/04/2018", "kind": "cp_plan", "support_group": "", "staff_involved": "",
    "funding_source": "", "amount_vnd": "5000000", "description": "Plan", "outcome": "",
}
_EVENT = {
    "code": "EV-NEW", "title": "Hội thảo", "kind": "workshop", "start_date": "02/04/2019",
    "end_date": "03/04/2019", "place": "Kon Tum", "organiser": "Sở", "topic": "", "audience_reached": "",
}
_PERSON = {"name": "Người thử", "category": "gov_staff", "organisation": "Sở", "establishment": "KT-G1",
           "gender": "female"}
_HEADCOUNT = {"year": "2019", "note": "", "n_gov_staff": "10", "n_cp_staff": "3", "n_technical_staff": "",
              "n_manager": "", "n_other": ""}

# (URL name, args from the world, valid POST data from the world)
FORMS = [
    ("establishments:create", lambda w: [], lambda w: dict(_ESTABLISHMENT)),
    ("establishments:edit", lambda w: ["KT-G1"],
     lambda w: {**_ESTABLISHMENT, "code": "KT-G1", "version": str(w["est"].version)}),
    ("establishments:close", lambda w: ["KT-G1"],
     lambda w: {"closed_year": "2020", "confirm": "on", "version": str(w["est"].version)}),
    ("establishments:measure_create", lambda w: ["KT-G1"], lambda w: dict(_MEASURE)),
    ("establishments:measure_edit", lambda w: ["KT-G1", w["measure"].pk],
     lambda w: {**_MEASURE, "version": str(w["measure"].version)}),
    ("establishments:assistance_create", lambda w: ["KT-G1"], lambda w: dict(_ASSISTANCE)),
    ("establishments:assistance_edit", lambda w: ["KT-G1", w["assistance"].pk],
     lambda w: {**_ASSISTANCE, "version": str(w["assistance"].version)}),
    ("indicators:report_create", lambda w: ["KT-G1"], _report_form),
    ("indicators:report_edit", lambda w: ["KT-G1", 2017],
     lambda w: {**_report_form(w, version="1"), "year": "2017"}),
    ("training:event_create", lambda w: [], lambda w: dict(_EVENT)),
    ("training:event_edit", lambda w: ["EV-G1"],
     lambda w: {**_EVENT, "code": "EV-G1", "version": str(w["event"].version)}),
    ("training:attendance_add", lambda w: ["EV-G1"], _attendance_form),
    ("training:attendance_completion", lambda w: [w["attendance"].pk], lambda w: {"completed": "1"}),
    ("training:attendance_remove", lambda w: [w["attendance"].pk], lambda w: {}),
    ("training:person_edit", lambda w: [w["person"].pk],
     lambda w: {**_PERSON, "version": str(w["person"].version)}),
    ("training:headcount_create", lambda w: [], lambda w: dict(_HEADCOUNT)),
    ("training:headcount_edit", lambda w: [2018], lambda w: {**_HEADCOUNT, "year": "2018"}),
]


def _post_rolled_back(client, url, data):
    """POST, then undo whatever it saved, so that every variant starts from the same rows."""
    with transaction.atomic():
        response = client.post(url, data)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("name,args,data", FORMS, ids=[p[0] for p in FORMS])
def test_garbage_in_any_form_field_never_gives_a_server_error(admin_client_role, world, name, args, data):
    admin_client_role.raise_request_exception = False
    url = reverse(name, args=args(world))
    valid = data(world)
    assert _post_rolled_back(admin_client_role, url, valid).status_code == 302
    bad = []
    for field in list(valid) + ["version"]:
        for value in GARBAGE:
            status = _post_rolled_back(admin_client_role, url, {**valid, field: value}).status_code
            if status >= 500:
                bad.append((field, value[:40], status))
    assert bad == []


# Number and date boxes typed with text: the form comes back (200) with a message next to the
# field and the text still in the box.
TYPED_NUMBERS = [
    ("establishments:create", "employees"), ("establishments:create", "baseline_year"),
    ("establishments:create", "cp_potential_assessed_on"), ("establishments:close", "closed_year"),
    ("establishments:measure_create", "year"), ("establishments:measure_create", "investment_vnd"),
    ("establishments:measure_create", "wastewater_capacity_m3_day"), ("establishments:assistance_create", "date"),
    ("establishments:assistance_create", "amount_vnd"), ("indicators:report_create", "output"),
    ("indicators:report_create", "lines-0-quantity"), ("training:event_create", "start_date"),
    ("training:event_create", "audience_reached"), ("training:headcount_create", "n_gov_staff"),
]


@pytest.mark.parametrize("value", ["abc", "31/02/2020", "99999999999999999999", "-1", "1e30"])
@pytest.mark.parametrize("name,field", TYPED_NUMBERS)
def test_bad_number_or_date_gets_a_message_and_is_kept(admin_client_role, world, name, field, value):
    spec = {n: (a, d) for n, a, d in FORMS}[name]
    url = reverse(name, args=spec[0](world))
    response = admin_client_role.post(url, {**spec[1](world), field: value})
    assert response.status_code == 200, (field, value)
    page = response.content.decode()
    assert 'class="error-summary"' in page or 'class="errorlist' in page
    assert f'value="{value}"' in page


@pytest.mark.parametrize("name,field", [("establishments:create", "code"), ("training:event_create", "code")])
@pytest.mark.parametrize("value", ["KT/01", "KT 01", "..", "-x"])
def test_a_code_that_would_break_its_web_address_is_refused(admin_client_role, world, name, field, value):
    spec = {n: (a, d) for n, a, d in FORMS}[name]
    admin_client_role.cookies["django_language"] = "en"
    response = admin_client_role.post(reverse(name, args=spec[0](world)), {**spec[1](world), field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [str(CODE_MESSAGE)]
    assert f'value="{value}"' in response.content.decode()


def test_a_nul_character_in_the_address_is_a_bad_request(admin_client_role, world):
    # PostgreSQL refuses NUL in any query; SQLite would accept it, so this is checked on both.
    assert admin_client_role.get(reverse("establishments:list"), {"q": "a\x00b"}).status_code == 400
    assert admin_client_role.get(reverse("establishments:detail", args=["KT\x00G1"])).status_code == 400
    assert admin_client_role.get(reverse("establishments:list"), {"q": "ab"}).status_code == 200
