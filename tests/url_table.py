"""Every page of the URLconf, once: how to build its URL, who may read it, who may post to it, and what
garbage its bad-input cases type. Three walks read this one table:

- the access walk (``kontum_cp/tests/test_access.py``): every role × GET and POST, with the expected status;
- the POST-refusal walk (``kontum_cp/tests/test_post_refusals.py``): a manager's or an anonymous POST changes
  nothing; it fails when a URL name of the URLconf is missing here, so a new page cannot go unchecked;
- the bad-input walk (``kontum_cp/tests/test_bad_input.py``): garbage in the query string, the URL and
  every form field never gives a server error.

The read-only API (``api=True``, /api/v1/) answers in its own way: anonymous → 401 (no redirect to sign in),
any role reads, every POST of a role is 405; the POST-refusal and bad-input walks of the pages leave it out
(``PROGRAMME``) and ``api/tests/test_api_walks.py`` walks ``API`` instead.

URL arguments and valid form data are built from ``world()``, a row of every kind.
"""
from dataclasses import dataclass
from typing import Callable

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from establishments.models import AssistanceRecord, CPMeasure, Establishment
from indicators.models import AnnualReport, Publication
from kontum_cp.models import ClosedYear
from kontum_cp.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER
from tests import factories as f
from training.models import Attendance, Event, Person, StaffHeadcount

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, DATA_ENTRY, MANAGER, ADMINISTRATOR)  # the role groups of kontum_cp.roles, and nobody
SIGNED_IN = frozenset({DATA_ENTRY, MANAGER, ADMINISTRATOR})
EDITORS = frozenset({DATA_ENTRY, ADMINISTRATOR})
EVERYONE = SIGNED_IN | {ANONYMOUS}
NOBODY = frozenset()
ADMINISTRATORS = frozenset({ADMINISTRATOR})

EST, EVENT = "KT-G1", "EV-G1"  # the codes of the world's establishment and event
CLOSED = 1995  # the world's closed year: no record of the world is dated in it


def world():
    """One row of every kind that a URL of the table can point at."""
    est = f.establishment(code=EST, name="Nhà máy thử")
    f.report(est, 2017, 1000, {"electricity": 200000, "water": 20000})
    event = f.event(code=EVENT, title="Tập huấn")
    person = f.person(name="Người thử")
    f.headcount(2018, "gov_staff", 10)
    ClosedYear.objects.create(year=CLOSED, reason="Báo cáo năm 1995 đã gửi")
    plan = f.plan()
    return {
        "est": est, "measure": f.measure(est, title="Good housekeeping"), "assistance": f.assistance(est),
        "event": event, "person": person, "attendance": f.attendance(event, person, completed=False),
        "plan": plan, "publication": f.publication(plan, 2017),
    }


def no_args(w):
    return []


@dataclass(frozen=True)
class Page:
    name: str
    args: Callable[[dict], list] = no_args
    # GET parameters the page reads (the bad-input walk sets each to garbage).
    params: tuple = ()
    read: frozenset = SIGNED_IN  # roles whose GET is answered with get_status
    post: frozenset = NOBODY  # roles whose POST is answered with post_status
    form: Callable[[dict], dict] | None = None  # valid POST data, for a page that saves a form
    saved: Callable[[dict], bool] | None = None  # True once the valid POST has saved
    get_status: int = 200
    post_status: int = 302
    html: bool = True  # an HTML page (not a file, a chart or a download)
    typed: tuple = ()  # number and date boxes: typed text comes back with a message, still in the box
    codes: tuple = ()  # code boxes: a code that would break its web address is refused
    outside: bool = False  # not a programme page (sign-in, language, password, liveness probe)
    # (GET, POST) statuses for a data-entry user whose area leaves the world's establishment out, on a page
    # that changes it or its records (nothing is saved); None: answered as for any data-entry user.
    outside_area: tuple | None = None
    admin_only: bool = False  # administrators only: any other role's POST is refused (403)
    api: bool = False  # a URL of the read-only API: anonymous → 401, every role's POST → 405

    def url(self, w):
        return reverse(self.name, args=self.args(w))

    def expected_status(self, role, method):
        """The answer to `role`'s GET or POST (a form page gets its valid data).

        A role the page is not for: anonymous → 302 to sign in; a manager's POST to a programme page → 403
        (a manager changes nothing); any other POST → 405 (a page to read only); a GET → 403."""
        if self.api:
            return 401 if role == ANONYMOUS else (self.get_status if method == "get" else 405)
        allowed, status = (self.read, self.get_status) if method == "get" else (self.post, self.post_status)
        if role in allowed:
            return status
        if role == ANONYMOUS:
            return 302
        if method == "post":
            return 403 if (role == MANAGER or self.admin_only) and not self.outside else 405
        return 403


def form_page(name, args, form, saved, **kwargs):
    """A page that saves a form: data entry and administrators only, a manager gets 403 even to read it."""
    return Page(name, args, read=EDITORS, post=EDITORS, form=form, saved=saved, **kwargs)


def _report_form(w, version=""):
    water = f.resource_type("water").pk
    return {
        "year": "2018", "product": "Tinh bột sắn", "product_unit": "t", "output": "1000", "notes": "",
        "version": version, "confirm_large_change": "on",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000", "lines-0-resource_type": str(water), "lines-0-quantity": "19000",
    }


def _report_2017(w):
    return AnnualReport.objects.get(establishment__code=EST, year=2017)


def _attendance_form(w):
    return {
        "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "50", "rows-0-person": "", "rows-0-name": "Nguyễn Văn A",
        "rows-0-category": "gov_staff", "rows-0-organisation": "Sở", "rows-0-establishment": EST,
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
_PERSON = {"name": "Nguyễn Thị Mai", "category": "gov_staff", "organisation": "Sở", "establishment": EST,
           "gender": "female"}
_HEADCOUNT = {"year": "2019", "note": "", "n_gov_staff": "10", "n_cp_staff": "3", "n_technical_staff": "",
              "n_manager": "", "n_other": ""}


def _headcounts_opened(year):
    """The fingerprint that the headcount form of `year` carries when opened (its optimistic lock)."""
    from training.services import headcount_fingerprint

    return headcount_fingerprint(StaffHeadcount.objects.filter(year=year))


def _place(w):
    """The place of the world's establishment (a form that keeps it inside an area that holds it)."""
    return str(w["est"].place_id)


def _version(key):
    return lambda w: str(type(w[key]).objects.get(pk=w[key].pk).version)


TABLE = [
    # --- outside the programme: sign-in and language open to all, the user's own account -------
    Page("login", read=EVERYONE, post=EVERYONE, post_status=200, outside=True),
    Page("logout", get_status=405, post=SIGNED_IN, outside=True),
    Page("password_change", post=SIGNED_IN, post_status=200, outside=True),
    Page("password_change_done", outside=True),
    Page("set_language", read=EVERYONE, post=EVERYONE, get_status=302, outside=True),
    Page("healthz", read=EVERYONE, post=EVERYONE, post_status=200, html=False, outside=True),
    # --- read-only pages -----------------------------------------------------------------------
    Page("home"),
    Page("user_guide"),
    Page("establishments:list", params=("q", "place", "sector", "cp_potential", "applying", "status", "sort",
                                        "page")),
    Page("establishments:detail", lambda w: [EST]),
    Page("establishments:measure_list", params=("q", "category", "status", "year", "place", "page")),
    Page("establishments:assistance_list", params=("q", "kind", "year", "place", "page")),
    Page("indicators:report_list", params=("q", "year", "sector", "state", "page")),
    Page("indicators:completeness", params=("year",)),
    Page("indicators:report_detail", lambda w: [EST, 2017]),
    Page("indicators:dashboard", params=("plan", "year")),
    Page("indicators:dashboard_report", params=("plan", "year")),
    Page("indicators:indicator_detail", lambda w: ["cp_adoption"], params=("plan", "year")),
    Page("indicators:dashboard_export", lambda w: ["csv"], params=("plan", "year"), html=False),
    Page("indicators:reductions_csv", lambda w: ["energy_intensity_reduction"], params=("plan", "year"), html=False),
    Page("indicators:dashboard_chart", lambda w: ["indicator-cp_adoption"], params=("plan", "year"), html=False),
    # Published figures: every role reads them; publishing (POST only) is for administrators.
    Page("indicators:publication", lambda w: [w["publication"].pk]),
    Page("indicators:publication_report", lambda w: [w["publication"].pk]),
    Page("indicators:publication_compare", lambda w: [w["publication"].pk], params=("page",)),
    Page("indicators:dashboard_publish", get_status=405, post=ADMINISTRATORS, admin_only=True,
         form=lambda w: {"plan": str(w["plan"].pk), "year": "2017"},
         saved=lambda w: Publication.objects.filter(plan=w["plan"], year=2017, number=2).exists()),
    Page("training:event_list", params=("q", "year", "kind", "sort", "page")),
    Page("training:event_detail", lambda w: [EVENT]),
    Page("training:person_list", params=("q", "sort", "page")),
    Page("training:person_detail", lambda w: [w["person"].pk]),
    Page("training:headcount_list"),
    # --- forms ---------------------------------------------------------------------------------
    form_page("establishments:create", no_args, lambda w: {**_ESTABLISHMENT, "place": _place(w)},
              lambda w: Establishment.objects.filter(code="KT-NEW").exists(),
              typed=("employees", "baseline_year", "cp_potential_assessed_on"), codes=("code",),
              outside_area=(200, 200)),
    form_page("establishments:edit", lambda w: [EST],
              lambda w: {**_ESTABLISHMENT, "code": EST, "place": _place(w), "version": _version("est")(w)},
              lambda w: Establishment.objects.get(code=EST).name == "Cơ sở mới",
              outside_area=(403, 403)),
    form_page("establishments:close", lambda w: [EST],
              lambda w: {"closed_year": "2020", "confirm": "on", "version": _version("est")(w)},
              lambda w: Establishment.objects.get(code=EST).status == "closed", typed=("closed_year",),
              outside_area=(403, 403)),
    form_page("establishments:measure_create", lambda w: [EST], lambda w: dict(_MEASURE),
              lambda w: CPMeasure.objects.filter(title="Biogas").exists(),
              typed=("year", "investment_vnd", "wastewater_capacity_m3_day"),
              outside_area=(403, 403)),
    form_page("establishments:measure_edit", lambda w: [EST, w["measure"].pk],
              lambda w: {**_MEASURE, "version": _version("measure")(w)},
              lambda w: CPMeasure.objects.get(pk=w["measure"].pk).title == "Biogas",
              outside_area=(403, 403)),
    form_page("establishments:assistance_create", lambda w: [EST], lambda w: dict(_ASSISTANCE),
              lambda w: AssistanceRecord.objects.filter(kind="cp_plan").exists(), typed=("date", "amount_vnd"),
              outside_area=(403, 403)),
    form_page("establishments:assistance_edit", lambda w: [EST, w["assistance"].pk],
              lambda w: {**_ASSISTANCE, "version": _version("assistance")(w)},
              lambda w: AssistanceRecord.objects.get(pk=w["assistance"].pk).kind == "cp_plan",
              outside_area=(403, 403)),
    form_page("indicators:report_create", lambda w: [EST], _report_form,
              lambda w: AnnualReport.objects.filter(establishment__code=EST, year=2018).exists(),
              params=("year",), typed=("output", "lines-0-quantity"),
              outside_area=(403, 403)),
    form_page("indicators:report_edit", lambda w: [EST, 2017],
              lambda w: {**_report_form(w, version=str(_report_2017(w).version)), "year": "2017"},
              lambda w: _report_2017(w).lines.get(resource_type__code="water").quantity == 19000,
              outside_area=(403, 403)),
    Page("indicators:report_transition", lambda w: [EST, 2017], get_status=405, post=EDITORS,
         form=lambda w: {"action": "submit", "version": str(_report_2017(w).version), "reason": ""},
         saved=lambda w: _report_2017(w).state == "submitted", outside_area=(405, 403)),
    form_page("training:event_create", no_args, lambda w: dict(_EVENT),
              lambda w: Event.objects.filter(code="EV-NEW").exists(), typed=("start_date", "audience_reached"),
              codes=("code",)),
    form_page("training:event_edit", lambda w: [EVENT],
              lambda w: {**_EVENT, "code": EVENT, "version": _version("event")(w)},
              lambda w: Event.objects.get(code=EVENT).title == "Hội thảo"),
    form_page("training:attendance_add", lambda w: [EVENT], _attendance_form,
              lambda w: Attendance.objects.filter(event__code=EVENT, person__name="Nguyễn Văn A").exists(),
              params=("q", "add"),
              outside_area=(200, 200)),
    form_page("training:attendance_completion", lambda w: [w["attendance"].pk], lambda w: {"completed": "1"},
              lambda w: Attendance.objects.get(pk=w["attendance"].pk).completed, get_status=405),
    form_page("training:attendance_remove", lambda w: [w["attendance"].pk], lambda w: {},
              lambda w: not Attendance.objects.filter(pk=w["attendance"].pk).exists()),
    form_page("training:person_edit", lambda w: [w["person"].pk],
              lambda w: {**_PERSON, "version": _version("person")(w)},
              lambda w: Person.objects.get(pk=w["person"].pk).name == "Nguyễn Thị Mai",
              outside_area=(200, 200)),
    form_page("training:headcount_create", no_args, lambda w: dict(_HEADCOUNT),
              lambda w: StaffHeadcount.objects.filter(year=2019, category="cp_staff", headcount=3).exists(),
              params=("year",), typed=("n_gov_staff",)),
    form_page("training:headcount_edit", lambda w: [2018],
              lambda w: {**_HEADCOUNT, "year": "2018", "opened": _headcounts_opened(2018)},
              lambda w: StaffHeadcount.objects.filter(year=2018, category="cp_staff", headcount=3).exists()),
    # --- closed years: administrators only -----------------------------------------------------------
    Page("establishments:closed_years", read=ADMINISTRATORS, post=ADMINISTRATORS, admin_only=True,
         form=lambda w: {"year": "1996", "reason": "Đã báo cáo", "registry_complete": ""},
         saved=lambda w: ClosedYear.objects.filter(year=1996, closed=True).exists()),
    Page("establishments:closed_year_reopen", lambda w: [CLOSED], get_status=405, post=ADMINISTRATORS,
         admin_only=True, form=lambda w: {"reason": "Sửa số liệu"},
         saved=lambda w: not ClosedYear.objects.get(year=CLOSED).closed),
    # --- spreadsheet import and export: without an upload in progress the steps go back to the import page
    Page("dataio:index"),
    Page("dataio:history", params=("page",)),
    Page("dataio:upload", read=EDITORS, post=EDITORS, get_status=302, post_status=400),  # 400: no file
    Page("dataio:preview", lambda w: ["no-such-upload"], read=EDITORS, post=EDITORS, get_status=302),
    Page("dataio:preview_errors", lambda w: ["no-such-upload"], read=EDITORS, post=EDITORS, get_status=302,
         html=False),
    # POST only: a GET is answered 405 whoever sends it.
    Page("dataio:confirm", lambda w: ["no-such-upload"], post=EDITORS, get_status=405),
    Page("dataio:cancel", lambda w: ["no-such-upload"], post=EDITORS, get_status=405),
    Page("dataio:template", lambda w: ["reports", "xlsx"], html=False),
    Page("dataio:export", lambda w: ["reports", "csv"], params=("establishment", "year", "event", "headers"),
         html=False),
]


def api_page(name, args=no_args, params=("year", "place", "sector", "page", "page_size")):
    return Page(name, args, params=params, html=False, api=True)


TABLE += [
    # --- the read-only API (api/urls.py, docs/api.md) -------------------------------------------------
    api_page("api:schema", params=()),
    api_page("api:docs", params=("script",)),
    api_page("api:plan-list", params=("page", "page_size")),
    api_page("api:target-list", params=("plan", "page", "page_size")),
    api_page("api:publication-list", params=("plan", "year", "page", "page_size")),
    api_page("api:publication-detail", lambda w: [w["publication"].pk], params=()),
    api_page("api:progress", params=("plan", "year")),
    api_page("api:establishment-list"),
    api_page("api:establishment-detail", lambda w: [EST], params=()),
    api_page("api:report-list", params=("year", "establishment", "place", "sector", "page", "page_size")),
    api_page("api:measure-list", params=("year", "establishment", "place", "sector", "page", "page_size")),
    api_page("api:assistance-list", params=("year", "establishment", "place", "sector", "page", "page_size")),
    api_page("api:event-list"),
    api_page("api:event-detail", lambda w: [EVENT], params=()),
    api_page("api:attendance-list", params=("year", "event", "place", "sector", "page", "page_size")),
]
BY_NAME = {page.name: page for page in TABLE}
PROGRAMME = [page for page in TABLE if not page.outside and not page.api]
API = [page for page in TABLE if page.api]
FORMS = [page for page in PROGRAMME if page.form]


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not str(entry.pattern).startswith("^static"):
            yield namespace + entry.name


def urlconf_names():
    """Every URL name of the URLconf, sorted; the Django admin is left out (administrators only, with its
    own sign-in: see kontum_cp/tests/test_access.py)."""
    return sorted(set(_url_names()))
