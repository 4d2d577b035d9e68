"""Every staff URL × role × method, with the expected status.

anonymous → 302 to sign-in; manager: reads 200, forms and any POST 403;
data entry and administrator: reads 200, POST to a read-only page 405,
valid POST to a form 302 after saving.
"""
import pytest
from django.urls import reverse

from establishments.models import AssistanceRecord, CPMeasure, Establishment
from indicators.models import AnnualReport, ResourceType

from . import factories as f

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "entry", "manager", "administrator"]


@pytest.fixture
def world(db):
    est = f.establishment(code="KT-T1", name="Nhà máy thử")
    m = f.measure(est, title="Good housekeeping 2016")
    a = f.assistance(est)
    f.report(est, 2017, 1000, {"electricity": 200000, "water": 20000})
    return {"est": est, "measure": m, "assistance": a}


def _establishment_post(w):
    return {"code": "KT-NEW", "name": "Cơ sở mới", "cp_potential": "on"}


def _report_post(year, version=""):
    water = ResourceType.objects.get(code="water").pk
    electricity = ResourceType.objects.get(code="electricity").pk
    return {
        "year": str(year), "product": "Tinh bột sắn", "product_unit": "t", "output": "1000", "version": version,
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-resource_type": str(electricity), "lines-0-quantity": "190000",
        "lines-1-resource_type": str(water), "lines-1-quantity": "19000",
    }


# (name, args(world), POST data(world) or None for a read-only page, check after a saving POST)
CASES = [
    ("establishments:list", lambda w: [], None, None),
    ("establishments:detail", lambda w: ["KT-T1"], None, None),
    ("establishments:measure_list", lambda w: [], None, None),
    ("establishments:assistance_list", lambda w: [], None, None),
    ("indicators:report_list", lambda w: [], None, None),
    ("indicators:report_detail", lambda w: ["KT-T1", 2017], None, None),
    ("indicators:completeness", lambda w: [], None, None),
    ("establishments:create", lambda w: [], _establishment_post,
     lambda w: Establishment.objects.filter(code="KT-NEW").exists()),
    ("establishments:edit", lambda w: ["KT-T1"],
     lambda w: {"code": "KT-T1", "name": "Tên mới", "version": str(w["est"].version)},
     lambda w: Establishment.objects.get(code="KT-T1").name == "Tên mới"),
    ("establishments:close", lambda w: ["KT-T1"],
     lambda w: {"closed_year": "2020", "confirm": "on", "version": str(w["est"].version)},
     lambda w: Establishment.objects.get(code="KT-T1").status == "closed"),
    ("establishments:measure_create", lambda w: ["KT-T1"],
     lambda w: {"title": "Biogas", "category": "onsite_recovery", "status": "planned"},
     lambda w: CPMeasure.objects.filter(title="Biogas").exists()),
    ("establishments:measure_edit", lambda w: ["KT-T1", w["measure"].pk],
     lambda w: {"title": "Renamed", "category": "good_housekeeping", "status": "implemented", "year": "2016",
                "version": str(w["measure"].version)},
     lambda w: CPMeasure.objects.filter(title="Renamed").exists()),
    ("establishments:assistance_create", lambda w: ["KT-T1"],
     lambda w: {"year": "2018", "kind": "cp_plan", "description": "Plan"},
     lambda w: AssistanceRecord.objects.filter(kind="cp_plan").exists()),
    ("establishments:assistance_edit", lambda w: ["KT-T1", w["assistance"].pk],
     lambda w: {"year": "2017", "kind": "technical_advice", "version": str(w["assistance"].version)},
     lambda w: AssistanceRecord.objects.filter(kind="technical_advice").exists()),
    ("indicators:report_create", lambda w: ["KT-T1"], lambda w: _report_post(2018),
     lambda w: AnnualReport.objects.filter(year=2018).exists()),
    ("indicators:report_edit", lambda w: ["KT-T1", 2017],
     lambda w: _report_post(2017, version=str(AnnualReport.objects.get(year=2017).version)),
     lambda w: AnnualReport.objects.get(year=2017).lines.get(resource_type__code="water").quantity == 19000),
]


def _client(client, role):
    if role != "anonymous":
        from django.contrib.auth.models import Group, User

        group = {"entry": "Data entry", "manager": "Manager", "administrator": "Administrator"}[role]
        user = User.objects.create(username=role)  # no password hashing: force_login is enough
        user.groups.add(Group.objects.get(name=group))
        client.force_login(user)
    return client


def _expected(role, method, is_form):
    if role == "anonymous":
        return 302
    if role == "manager":
        return 200 if (method == "get" and not is_form) else 403
    if method == "get":
        return 200
    return 302 if is_form else 405


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name,args,post,saved", CASES, ids=[c[0] for c in CASES])
def test_access(client, world, role, method, name, args, post, saved):
    url = reverse(name, args=args(world))
    c = _client(client, role)
    data = post(world) if post else {}
    response = getattr(c, method)(url, data) if method == "post" else c.get(url)
    expected = _expected(role, method, post is not None)
    assert response.status_code == expected, response.content[:2000]
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if expected == 302 and role != "anonymous":
        assert saved(world), "the POST redirected but did not save"
    if method == "post" and expected in (403, 405) and saved is not None:
        assert not saved(world)
