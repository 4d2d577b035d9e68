"""Every training URL × anonymous / data entry / manager / administrator × GET / POST."""
import pytest
from django.urls import reverse

from tests import factories as make
from training.models import EventKind

pytestmark = pytest.mark.django_db

ANON, ENTRY, MANAGER, ADMIN = "anonymous", "entry", "manager", "administrator"
ROLES = [ANON, ENTRY, MANAGER, ADMIN]


@pytest.fixture
def objects(db):
    event = make.event(code="PERM-1")
    attendance = make.attendance(event)
    make.event(code="MEDIA-1", kind=EventKind.MEDIA, audience_reached=500)
    make.headcount(2018)
    return {"event": event, "attendance": attendance, "person": attendance.person}


def _url(name, objects):
    args = {
        "event_list": [], "event_create": [], "person_list": [], "headcount_list": [], "headcount_create": [],
        "event_detail": [objects["event"].code], "event_edit": [objects["event"].code],
        "attendance_add": [objects["event"].code],
        "attendance_remove": [objects["attendance"].pk], "attendance_completion": [objects["attendance"].pk],
        "person_detail": [objects["person"].pk], "person_edit": [objects["person"].pk],
        "headcount_edit": [2018],
    }[name]
    return reverse(f"training:{name}", args=args)


# (url name, method) -> expected status for entry, manager, administrator. Anonymous always -> 302 to sign-in.
# POSTs are empty: an editor gets the form back with errors (200), a redirect (302) where
# the empty POST is a complete action, or 405 on a page that only shows data. The edit form of
# a saved record answers 400: an empty POST lacks the version it was opened with (issue 10).
EXPECTED = {
    ("event_list", "get"): (200, 200, 200),
    ("event_list", "post"): (405, 403, 405),
    ("event_detail", "get"): (200, 200, 200),
    ("event_detail", "post"): (405, 403, 405),
    ("event_create", "get"): (200, 403, 200),
    ("event_create", "post"): (200, 403, 200),
    ("event_edit", "get"): (200, 403, 200),
    ("event_edit", "post"): (400, 403, 400),
    ("attendance_add", "get"): (200, 403, 200),
    ("attendance_add", "post"): (200, 403, 200),
    ("attendance_remove", "get"): (200, 403, 200),
    ("attendance_remove", "post"): (302, 403, 302),
    ("attendance_completion", "get"): (405, 403, 405),
    ("attendance_completion", "post"): (302, 403, 302),
    ("person_list", "get"): (200, 200, 200),
    ("person_list", "post"): (405, 403, 405),
    ("person_detail", "get"): (200, 200, 200),
    ("person_detail", "post"): (405, 403, 405),
    ("person_edit", "get"): (200, 403, 200),
    ("person_edit", "post"): (400, 403, 400),
    ("headcount_list", "get"): (200, 200, 200),
    ("headcount_list", "post"): (405, 403, 405),
    ("headcount_create", "get"): (200, 403, 200),
    ("headcount_create", "post"): (200, 403, 200),
    ("headcount_edit", "get"): (200, 403, 200),
    ("headcount_edit", "post"): (400, 403, 400),
}

CASES = [
    (name, method, role, ({ANON: 302} | dict(zip([ENTRY, MANAGER, ADMIN], statuses)))[role])
    for (name, method), statuses in EXPECTED.items()
    for role in ROLES
]


@pytest.mark.parametrize("name,method,role,expected", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_status_by_role(request, client, objects, name, method, role, expected):
    fixtures = {ENTRY: "data_entry_user", MANAGER: "manager_user", ADMIN: "admin_user_role"}
    if role != ANON:
        client.force_login(request.getfixturevalue(fixtures[role]))
    url = _url(name, objects)
    response = getattr(client, method)(url)
    assert response.status_code == expected
    if role == ANON:
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_every_training_url_is_in_the_table():
    from training.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _method in EXPECTED}


def test_manager_sees_no_edit_controls(manager_client, objects):
    pages = [
        reverse("training:event_list"),
        objects["event"].get_absolute_url(),
        objects["person"].get_absolute_url(),
        reverse("training:headcount_list"),
    ]
    edit_urls = [
        reverse("training:event_create"),
        reverse("training:event_edit", args=[objects["event"].code]),
        reverse("training:attendance_add", args=[objects["event"].code]),
        reverse("training:attendance_remove", args=[objects["attendance"].pk]),
        reverse("training:attendance_completion", args=[objects["attendance"].pk]),
        reverse("training:person_edit", args=[objects["person"].pk]),
        reverse("training:headcount_create"),
        reverse("training:headcount_edit", args=[2018]),
    ]
    for page in pages:
        html = manager_client.get(page).content.decode()
        for edit_url in edit_urls:
            assert edit_url not in html, (page, edit_url)


def test_data_entry_sees_edit_controls(entry_client, objects):
    html = entry_client.get(objects["event"].get_absolute_url()).content.decode()
    assert reverse("training:event_edit", args=[objects["event"].code]) in html
    assert reverse("training:attendance_add", args=[objects["event"].code]) in html
    assert reverse("training:attendance_remove", args=[objects["attendance"].pk]) in html


def test_manager_post_changes_nothing(manager_client, objects):
    response = manager_client.post(reverse("training:attendance_remove", args=[objects["attendance"].pk]))
    assert response.status_code == 403
    assert objects["event"].attendances.count() == 1


def test_media_campaign_has_no_attendance_entry(entry_client, objects):
    media = objects["event"].__class__.objects.get(code="MEDIA-1")
    html = entry_client.get(media.get_absolute_url()).content.decode()
    assert reverse("training:attendance_add", args=[media.code]) not in html
    assert "500" in html
    response = entry_client.get(reverse("training:attendance_add", args=[media.code]))
    assert response.status_code == 302
    assert response["Location"] == media.get_absolute_url()
