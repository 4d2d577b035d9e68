"""Users with an area (issue 11): a data-entry user limited to places changes only the establishments inside
them (and their records); a user whose area also limits reading reads only those establishments.

The area is Kon Tum province (62) as it was, or one of its districts; places inside by `Place.parent`.
Messages are checked in English (their Vietnamese is compiled by the lead). The URL table's walk over every
page is `kontum_cp/tests/test_access.py::test_every_page_answers_a_data_entry_user_with_an_area…`.
"""
import pytest
from django.urls import reverse
from django.utils import translation

from dataio.services import import_file
from establishments import areas
from establishments.models import CPMeasure, Establishment, Place, UserArea
from kontum_cp.roles import ADMINISTRATOR, DATA_ENTRY, MANAGER
from tests import factories as f
from training.models import Attendance

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def _messages_in_english():
    # The import messages are read here in English (the pages ask for it with their own header).
    with translation.override("en"):
        yield

def place(code):
    return Place.objects.get(code=code)


def limited(username, *codes, role=DATA_ENTRY, read_only_area=False):
    user = f.user(username, role)
    area = UserArea.objects.create(user=user, read_only_area=read_only_area)
    area.places.set([place(c) for c in codes])
    return user


def english_client(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def plants():
    """One establishment in Đắk Hà district (615, inside Kon Tum 62), one in Quảng Ngãi province (51), one
    without a place."""
    return {
        "dak_ha": f.establishment(code="KT-DH", name="Nhà máy Đắk Hà", place=place("615")),
        "quang_ngai": f.establishment(code="QN-01", name="Nhà máy Quảng Ngãi", place=place("51")),
        "nowhere": f.establishment(code="XX-01", name="Chưa có địa bàn", place=None),
    }


def test_the_area_holds_its_places_and_every_place_below_them(plants):
    kon_tum = limited("kt", "62")
    area = areas.user_area(kon_tum)
    assert area.place_ids == {place(c).pk for c in ("62", "608", "610", "611", "612", "613", "614", "615", "616",
                                                     "617", "618")}
    assert areas.may_edit(kon_tum, plants["dak_ha"])
    assert not areas.may_edit(kon_tum, plants["quang_ngai"])
    assert not areas.may_edit(kon_tum, plants["nowhere"])  # no place: in no area
    assert areas.may_edit(kon_tum, None)  # a record of no establishment (a person of no plant)

    district = limited("dh", "615")
    assert areas.may_edit(district, plants["dak_ha"]) and not areas.may_edit(district, plants["quang_ngai"])


def test_the_area_follows_the_lineage_of_places(plants):
    """A commune that succeeded Đắk Hà district lies inside an area of Kon Tum as it was; the former Kon Tum,
    merged into the new Quảng Ngãi province, lies inside an area of Quảng Ngãi (establishments.places)."""
    import datetime

    from establishments.models import PlaceSuccession

    commune = Place.objects.create(code="T-99999", name_vi="Xã Thử (ví dụ)", level="commune",
                                   parent=place("51"), valid_from=datetime.date(2025, 7, 1))
    PlaceSuccession.objects.create(predecessor=place("615"), successor=commune, date=datetime.date(2025, 7, 1))
    in_commune = f.establishment(code="XA-01", place=commune)
    kon_tum, quang_ngai = limited("kt", "62"), limited("qn", "51")
    assert areas.may_edit(kon_tum, in_commune) and areas.may_edit(kon_tum, plants["dak_ha"])
    assert not areas.may_edit(kon_tum, plants["quang_ngai"])
    assert all(areas.may_edit(quang_ngai, e) for e in (in_commune, plants["dak_ha"], plants["quang_ngai"]))
    assert not areas.may_edit(quang_ngai, plants["nowhere"])


def test_no_area_and_administrators_are_not_limited_and_managers_never_edit(plants):
    entry, admin = f.user("entry", DATA_ENTRY), limited("admin", "615", role=ADMINISTRATOR)
    for user in (entry, admin):
        assert areas.user_area(user) is None
        assert all(areas.may_edit(user, e) for e in plants.values())
    manager = limited("mgr", "62", role=MANAGER)
    assert not areas.may_edit(manager, plants["dak_ha"])


def test_outside_the_area_the_pages_show_no_edit_controls(client, plants):
    english_client(client, limited("kt", "62"))
    inside = client.get(plants["dak_ha"].get_absolute_url()).content.decode()
    assert reverse("establishments:edit", args=["KT-DH"]) in inside
    assert reverse("establishments:measure_create", args=["KT-DH"]) in inside
    outside = client.get(plants["quang_ngai"].get_absolute_url())
    assert outside.status_code == 200  # they read everything
    html = outside.content.decode()
    for name in ("edit", "close", "measure_create", "assistance_create"):
        assert reverse(f"establishments:{name}", args=["QN-01"]) not in html, name
    assert reverse("indicators:report_create", args=["QN-01"]) not in html
    refused = client.get(reverse("establishments:edit", args=["QN-01"]))
    assert refused.status_code == 403
    assert "QN-01 Nhà máy Quảng Ngãi lies outside your area" in refused.content.decode()
    assert "ask the portal administrator to change your area" in refused.content.decode()
    assert client.post(reverse("establishments:measure_create", args=["QN-01"]), {"title": "X"}).status_code == 403
    assert not CPMeasure.objects.filter(establishment=plants["quang_ngai"]).exists()


def test_report_detail_and_completeness_offer_edits_only_inside_the_area(client, plants):
    f.report(plants["dak_ha"], 2017, 100)
    f.report(plants["quang_ngai"], 2017, 100)
    english_client(client, limited("kt", "62"))
    inside = client.get(reverse("indicators:report_detail", args=["KT-DH", 2017])).content.decode()
    assert reverse("indicators:report_edit", args=["KT-DH", 2017]) in inside
    outside = client.get(reverse("indicators:report_detail", args=["QN-01", 2017])).content.decode()
    assert reverse("indicators:report_edit", args=["QN-01", 2017]) not in outside
    html = client.get(reverse("indicators:completeness") + "?year=2018").content.decode()
    assert reverse("indicators:report_create", args=["KT-DH"]) in html
    assert reverse("indicators:report_create", args=["QN-01"]) not in html
    assert "QN-01" in html  # still listed: they read everything


def test_an_establishment_is_added_and_moved_only_inside_the_area(client, plants):
    english_client(client, limited("kt", "62"))
    form = {"code": "KT-NEW", "name": "Cơ sở mới", "place": str(place("51").pk), "cp_potential": "on"}
    response = client.post(reverse("establishments:create"), form)
    assert response.status_code == 200 and "Choose a place inside your area." in response.content.decode()
    assert not Establishment.objects.filter(code="KT-NEW").exists()
    response = client.post(reverse("establishments:create"), {**form, "place": ""})
    assert "Choose a place inside your area." in response.content.decode()
    response = client.post(reverse("establishments:create"), {**form, "place": str(place("615").pk)})
    assert response.status_code == 302 and Establishment.objects.get(code="KT-NEW").place.code == "615"

    moved = {**form, "code": "KT-DH", "place": str(place("51").pk), "version": str(plants["dak_ha"].version)}
    response = client.post(reverse("establishments:edit", args=["KT-DH"]), moved)
    assert "Choose a place inside your area." in response.content.decode()
    assert Establishment.objects.get(code="KT-DH").place.code == "615"


def test_attendance_and_people_of_an_establishment_outside_the_area_are_refused(client, plants):
    user = limited("kt", "62")
    english_client(client, user)
    event = f.event(code="EV-A")
    outsider = f.person(name="Người Quảng Ngãi", establishment=plants["quang_ngai"])
    insider = f.person(name="Người Đắk Hà", establishment=plants["dak_ha"])
    row = f.attendance(event, outsider, completed=False)
    assert client.post(reverse("training:attendance_completion", args=[row.pk]), {"completed": "1"}).status_code \
        == 403
    assert client.post(reverse("training:attendance_remove", args=[row.pk])).status_code == 403
    assert client.get(reverse("training:person_edit", args=[outsider.pk])).status_code == 403
    assert client.get(reverse("training:person_edit", args=[insider.pk])).status_code == 200
    html = client.get(event.get_absolute_url()).content.decode()
    assert reverse("training:attendance_remove", args=[row.pk]) not in html

    rows = {
        "rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0", "rows-MIN_NUM_FORMS": "0", "rows-MAX_NUM_FORMS": "50",
        "rows-0-person": "", "rows-0-name": "Nguyễn Văn B", "rows-0-category": "cp_staff",
        "rows-0-organisation": "", "rows-0-establishment": "QN-01", "rows-0-gender": "male",
        "rows-0-completed": "on",
    }
    response = client.post(reverse("training:attendance_add", args=["EV-A"]), rows)
    assert "QN-01 Nhà máy Quảng Ngãi lies outside your area" in response.content.decode()
    assert not Attendance.objects.filter(person__name="Nguyễn Văn B").exists()
    response = client.post(reverse("training:attendance_add", args=["EV-A"]), {**rows, "rows-0-establishment": "KT-DH"})
    assert response.status_code == 302 and Attendance.objects.filter(person__name="Nguyễn Văn B").exists()

    edit = {"name": "Người Đắk Hà", "category": "cp_staff", "organisation": "", "establishment": "QN-01",
            "gender": "female", "version": str(insider.version)}
    response = client.post(reverse("training:person_edit", args=[insider.pk]), edit)
    assert "lies outside your area" in response.content.decode()
    insider.refresh_from_db()
    assert insider.establishment == plants["dak_ha"]


MEASURES = ("establishment_code,title,category,status,year\n"
            "KT-DH,Thu hồi nhiệt,onsite_recovery,implemented,2017\n"
            "{code},Quản lý nội vi,good_housekeeping,implemented,2017\n")


def test_an_import_with_rows_outside_the_area_is_refused_naming_the_establishment(plants):
    user = limited("kt", "62")
    with_outsider = MEASURES.format(code="QN-01").encode()
    result = import_file(kind="measures", file_name="m.csv", data=with_outsider, user=user)
    assert not result.ok and not result.written
    assert [i.message for i in result.errors] == [
        "QN-01 Nhà máy Quảng Ngãi lies outside your area: you may read it but not change it or its records."]
    assert not CPMeasure.objects.exists()
    # The same file from a user without an area, or rows inside the area only, is imported.
    inside_only = MEASURES.format(code="KT-DH").encode()
    assert import_file(kind="measures", file_name="m.csv", data=inside_only, user=user).written
    assert import_file(kind="measures", file_name="m.csv", data=with_outsider, user=f.user("entry", DATA_ENTRY)).ok


def test_an_import_cannot_move_an_establishment_out_of_or_into_the_area(plants):
    user = limited("kt", "62")
    header = "code,name,place\n"
    out = import_file(kind="establishments", file_name="e.csv", data=(header + "KT-DH,Nhà máy Đắk Hà,51\n").encode(),
                      user=user)
    assert [(i.value, "outside your area" in i.message) for i in out.errors] == [("KT-DH", True)]
    into = import_file(kind="establishments", file_name="e.csv",
                       data=(header + "QN-01,Nhà máy Quảng Ngãi,615\n").encode(), user=user)
    assert [(i.value, "outside your area" in i.message) for i in into.errors] == [("QN-01", True)]
    inside = import_file(kind="establishments", file_name="e.csv",
                         data=(header + "KT-DH,Nhà máy Đắk Hà,608\n").encode(), user=user)
    assert inside.written
    assert Establishment.objects.get(code="KT-DH").place.code == "608"  # moved inside the area
    assert Establishment.objects.get(code="QN-01").place.code == "51"


def test_a_manager_limited_to_reading_an_area_reads_only_its_establishments(client, plants):
    f.measure(plants["dak_ha"], title="Đo đếm điện")
    f.measure(plants["quang_ngai"], title="Thu hồi nước")
    english_client(client, limited("mgr", "62", role=MANAGER, read_only_area=True))
    listing = client.get(reverse("establishments:list")).content.decode()
    assert "KT-DH" in listing and "QN-01" not in listing and "XX-01" not in listing
    assert client.get(plants["quang_ngai"].get_absolute_url()).status_code == 404
    assert client.get(plants["dak_ha"].get_absolute_url()).status_code == 200
    measures = client.get(reverse("establishments:measure_list")).content.decode()
    assert "Đo đếm điện" in measures and "Thu hồi nước" not in measures
    for url in (reverse("dataio:export", args=["measures", "csv"]), reverse("establishments:measure_list") + "?export=csv"):
        download = client.get(url).getvalue().decode("utf-8-sig")
        assert "Đo đếm điện" in download and "Thu hồi nước" not in download, url
    download = client.get(reverse("dataio:export", args=["establishments", "csv"])).getvalue().decode("utf-8-sig")
    assert "KT-DH" in download and "QN-01" not in download
    # The figures are the plan's; the rows behind them in the drill-down are the area's.
    plan = f.plan(decision_number="AREA/1")  # no territory: every establishment counts
    drill = client.get(reverse("indicators:indicator_detail", args=["cp_adoption"]),
                       {"plan": plan.pk, "year": 2016}).content.decode()
    assert "KT-DH" in drill and "QN-01" not in drill and "XX-01" not in drill
    # Without the option, the same area does not limit what a manager reads.
    client.force_login(limited("mgr2", "62", role=MANAGER))
    assert "QN-01" in client.get(reverse("establishments:list")).content.decode()


def test_administrators_assign_areas_in_the_admin(admin_client_role):
    user = f.user("entry", DATA_ENTRY)
    add = reverse("admin:establishments_userarea_add")
    assert admin_client_role.get(add).status_code == 200
    response = admin_client_role.post(add, {"user": str(user.pk), "places": [str(place("62").pk)],
                                            "read_only_area": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(UserArea.objects.get(user=user).places.values_list("code", flat=True)) == ["62"]
    listing = admin_client_role.get(reverse("admin:establishments_userarea_changelist")).content.decode()
    assert "entry" in listing and "Tỉnh Kon Tum" in listing


def test_data_entry_and_managers_cannot_change_areas(data_entry_user, manager_user):
    for user in (data_entry_user, manager_user):
        assert not user.has_perm("establishments.change_userarea")
        assert not user.has_perm("establishments.add_userarea")


def test_an_attendance_import_refuses_the_people_of_establishments_outside_the_area(plants):
    user = limited("kt", "62")
    header = "event_code,event_title,event_kind,event_start,person_name,person_category,establishment_code\n"
    rows = (header + "HT-1,Hội thảo,workshop,20/09/2016,Nguyễn Thị Hồng,technical_staff,KT-DH\n"
            "HT-1,Hội thảo,workshop,20/09/2016,Trần Văn Nam,technical_staff,{code}\n")
    refused = import_file(kind="attendance", file_name="a.csv", data=rows.format(code="QN-01").encode(), user=user)
    assert [(i.value, "outside your area" in i.message) for i in refused.errors] == [("QN-01", True)]
    assert not Attendance.objects.exists()
    assert import_file(kind="attendance", file_name="a.csv", data=rows.format(code="KT-DH").encode(),
                       user=user).written
    assert Attendance.objects.count() == 2
